import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { addDays } from '../shared/dates.js';
import { insertPurchaseOrder, insertSupplier, insertSupplierItems } from './seed.repository.js';

/**
 * Suppliers and purchase orders on their way for the demo store, so that `npm start`
 * shows backorders with real dates: every item has a preferred supplier, and most items
 * that are out or low have a sent purchase order due at the warehouse. One item is not
 * released yet and sells as a preorder.
 */

const DEMO_SUPPLIERS = [
  { code: 'HOMEWARE', name: 'Homeware Direct', email: 'orders@homeware.example', leadTimeDays: 10 },
  { code: 'NORDIC', name: 'Nordic Living', email: 'po@nordic.example', leadTimeDays: 21 },
  { code: 'QUICK', name: 'Quick Supply Co', email: 'sales@quick.example', leadTimeDays: 4 },
];

export interface ShortItem {
  itemId: number;
  priceCents: number;
}

export async function seedSupply(
  trx: Transaction<DB>,
  input: {
    now: string;
    actor: string;
    warehouseId: number;
    itemIds: number[];
    shortItems: ShortItem[];
    rand: () => number;
  },
): Promise<{ suppliers: number; purchaseOrders: number }> {
  const { now, rand } = input;
  const today = now.slice(0, 10);
  const supplierIds: number[] = [];
  for (const s of DEMO_SUPPLIERS) {
    supplierIds.push(
      await insertSupplier(trx, {
        code: s.code,
        name: s.name,
        email: s.email,
        lead_time_days: s.leadTimeDays,
        min_order_quantity: 1,
        case_pack: 1,
        created_at: now,
        updated_at: now,
      }),
    );
  }
  const supplierOf = new Map(
    input.itemIds.map((itemId, i) => [itemId, supplierIds[i % supplierIds.length]!]),
  );
  for (let i = 0; i < input.itemIds.length; i += 200) {
    await insertSupplierItems(
      trx,
      input.itemIds.slice(i, i + 200).map((itemId) => ({
        supplier_id: supplierOf.get(itemId)!,
        item_id: itemId,
        supplier_sku: null,
        unit_cost_cents: 100,
        lead_time_days: null,
        preferred: 1,
        created_at: now,
        updated_at: now,
      })),
    );
  }

  // One sent order per supplier, due at the warehouse, for four in five short items.
  let purchaseOrders = 0;
  for (const [index, supplierId] of supplierIds.entries()) {
    const lines = input.shortItems.filter(
      (item) => supplierOf.get(item.itemId) === supplierId && rand() < 0.8,
    );
    if (lines.length === 0) continue;
    const confirmed = index === 0;
    await insertPurchaseOrder(
      trx,
      {
        supplier_id: supplierId,
        location_id: input.warehouseId,
        state: confirmed ? 'confirmed' : 'sent',
        reference: `DEMO-${index + 1}`,
        created_by: input.actor,
        created_at: now,
        updated_at: now,
        sent_at: now,
        confirmed_at: confirmed ? now : null,
        closed_at: null,
      },
      (id) => lines.map((item) => orderLine(id, item, { today, now, confirmed, rand })),
    );
    purchaseOrders += 1;
  }
  return { suppliers: supplierIds.length, purchaseOrders };
}

/** A line due in 5 to 19 days, at a little under half the item's price. */
function orderLine(
  purchaseOrderId: number,
  item: ShortItem,
  at: { today: string; now: string; confirmed: boolean; rand: () => number },
) {
  const expected = addDays(at.today, 5 + Math.floor(at.rand() * 15));
  return {
    purchase_order_id: purchaseOrderId,
    item_id: item.itemId,
    quantity_ordered: 10 + Math.floor(at.rand() * 30),
    quantity_received: 0,
    quantity_cancelled: 0,
    unit_cost_cents: Math.round(item.priceCents * 0.45),
    expected_date: expected,
    first_expected_date: expected,
    confidence: at.confirmed ? ('confirmed' as const) : ('estimated' as const),
    completed_at: null,
    created_at: at.now,
    updated_at: at.now,
  };
}
