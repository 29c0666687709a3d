import type { Db } from '../db/schema.js';

/**
 * The rows reorder points are computed from, each read in one statement for every item
 * and location at once: a refresh looks at the whole catalogue, so per-item queries
 * would cost one round trip per item × location.
 */

export interface ItemRow {
  id: number;
  sku: string;
  name: string;
  status: 'active' | 'discontinued';
  price_cents: number;
  service_level: number | null;
}

export function listItemsForReplenishment(db: Db): Promise<ItemRow[]> {
  return db
    .selectFrom('items')
    .select(['id', 'sku', 'name', 'status', 'price_cents', 'service_level'])
    .orderBy('id')
    .execute();
}

export interface LocationRow {
  id: number;
  code: string;
}

export function listLocationCodes(db: Db): Promise<LocationRow[]> {
  return db.selectFrom('locations').select(['id', 'code']).orderBy('id').execute();
}

/** A supplier that sells an item, with what ordering from it takes. */
export interface SupplierLinkRow {
  item_id: number;
  supplier_id: number;
  supplier: string;
  preferred: number;
  unit_cost_cents: number;
  /** The item's own lead time at this supplier, else null (the supplier's applies). */
  item_lead_time_days: number | null;
  supplier_lead_time_days: number;
  min_order_quantity: number;
  case_pack: number;
}

export function listSupplierLinks(db: Db): Promise<SupplierLinkRow[]> {
  return db
    .selectFrom('supplier_items')
    .innerJoin('suppliers', 'suppliers.id', 'supplier_items.supplier_id')
    .select([
      'supplier_items.item_id',
      'supplier_items.supplier_id',
      'suppliers.code as supplier',
      'supplier_items.preferred',
      'supplier_items.unit_cost_cents',
      'supplier_items.lead_time_days as item_lead_time_days',
      'suppliers.lead_time_days as supplier_lead_time_days',
      'suppliers.min_order_quantity',
      'suppliers.case_pack',
    ])
    .orderBy('supplier_items.item_id')
    .orderBy('supplier_items.supplier_id')
    .execute();
}

export interface StockLevelRow {
  item_id: number;
  location_id: number;
  on_hand: number;
  reserved: number;
}

export function listStockLevels(db: Db): Promise<StockLevelRow[]> {
  return db.selectFrom('stock').select(['item_id', 'location_id', 'on_hand', 'reserved']).execute();
}

export interface WaitingRow {
  item_id: number;
  location_id: number;
  units: number;
}

/**
 * Backordered units waiting, by the location they will be served from: units pegged to a
 * supply (or to the supplier lead time) wait where the peg is; units nothing is promised
 * for wait at the first location of their order's channel, where the kernel would peg them.
 */
export async function listBackordersWaiting(db: Db): Promise<WaitingRow[]> {
  const pegged = await db
    .selectFrom('backorder_pegs')
    .select(['item_id', 'location_id'])
    .select((eb) => eb.fn.sum<number | string>('quantity').as('units'))
    .groupBy(['item_id', 'location_id'])
    .execute();
  const unpromised = await db
    .selectFrom('order_lines')
    .innerJoin('orders', 'orders.id', 'order_lines.order_id')
    .innerJoin('channel_locations as home', 'home.channel_id', 'orders.channel_id')
    .where('order_lines.quantity_unpromised', '>', 0)
    .where(({ eb, selectFrom }) =>
      eb(
        'home.priority',
        '=',
        selectFrom('channel_locations as other')
          .select((o) => o.fn.min<number>('other.priority').as('first'))
          .whereRef('other.channel_id', '=', 'orders.channel_id'),
      ),
    )
    .select(['order_lines.item_id', 'home.location_id'])
    .select((eb) => eb.fn.sum<number | string>('order_lines.quantity_unpromised').as('units'))
    .groupBy(['order_lines.item_id', 'home.location_id'])
    .execute();
  const total = new Map<string, WaitingRow>();
  for (const r of [...pegged, ...unpromised]) {
    const key = `${r.item_id}:${r.location_id}`;
    const row = total.get(key) ?? { item_id: r.item_id, location_id: r.location_id, units: 0 };
    // PostgreSQL answers sum() of integers as a bigint string.
    row.units += Number(r.units);
    total.set(key, row);
  }
  return [...total.values()];
}

export interface DraftRow {
  item_id: number;
  location_id: number;
  units: number;
}

/**
 * Units on draft purchase orders, by item and destination. Drafts are no supply yet (the
 * supplier has not seen them), but one made from a suggestion is about to be sent: the
 * next refresh must not suggest the same units again.
 */
export async function listDraftOrderUnits(db: Db): Promise<DraftRow[]> {
  const rows = await db
    .selectFrom('purchase_order_lines as line')
    .innerJoin('purchase_orders as po', 'po.id', 'line.purchase_order_id')
    .where('po.state', '=', 'draft')
    .select(['line.item_id', 'po.location_id'])
    .select((eb) =>
      eb.fn
        .sum<number | string>(eb('line.quantity_ordered', '-', eb.ref('line.quantity_cancelled')))
        .as('units'),
    )
    .groupBy(['line.item_id', 'po.location_id'])
    .execute();
  return rows.map((r) => ({ ...r, units: Number(r.units) }));
}
