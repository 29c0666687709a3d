import type { PurchaseOrderState } from '../../src/domain/purchase-order-lifecycle.js';
import type { AppContext } from '../../src/kernel/context.js';
import { TEST_NOW } from './app.js';

/**
 * Purchase orders written straight into their tables, in any state, so supply and
 * availability tests do not depend on the purchase-order use cases.
 */

let counter = 0;

export async function insertSupplier(ctx: AppContext, code = `SUP${++counter}`) {
  const { id } = await ctx.db
    .insertInto('suppliers')
    .values({
      code,
      name: `Supplier ${code}`,
      email: `${code.toLowerCase()}@example.test`,
      lead_time_days: 10,
      min_order_quantity: 1,
      case_pack: 1,
      created_at: TEST_NOW,
      updated_at: TEST_NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, code };
}

export interface PurchaseOrderLineSpec {
  sku: string;
  ordered: number;
  received?: number;
  cancelled?: number;
  expectedDate: string;
  confidence?: 'confirmed' | 'estimated';
}

/** Inserts an order and its lines; returns the order id and the line ids in order. */
export async function insertPurchaseOrder(
  ctx: AppContext,
  spec: {
    supplier: { id: number };
    location: string;
    state: PurchaseOrderState;
    lines: PurchaseOrderLineSpec[];
  },
): Promise<{ id: number; lineIds: number[] }> {
  const location = await ctx.db
    .selectFrom('locations')
    .select('id')
    .where('code', '=', spec.location)
    .executeTakeFirstOrThrow();
  const { id } = await ctx.db
    .insertInto('purchase_orders')
    .values({
      supplier_id: spec.supplier.id,
      location_id: location.id,
      state: spec.state,
      reference: null,
      created_by: 'test',
      created_at: TEST_NOW,
      updated_at: TEST_NOW,
      sent_at: spec.state === 'draft' ? null : TEST_NOW,
      confirmed_at: null,
      closed_at: spec.state === 'received' || spec.state === 'cancelled' ? TEST_NOW : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const lineIds: number[] = [];
  for (const line of spec.lines) {
    const item = await ctx.db
      .selectFrom('items')
      .select('id')
      .where('sku', '=', line.sku)
      .executeTakeFirstOrThrow();
    const row = await ctx.db
      .insertInto('purchase_order_lines')
      .values({
        purchase_order_id: id,
        item_id: item.id,
        quantity_ordered: line.ordered,
        quantity_received: line.received ?? 0,
        quantity_cancelled: line.cancelled ?? 0,
        unit_cost_cents: 500,
        expected_date: line.expectedDate,
        first_expected_date: line.expectedDate,
        confidence: line.confidence ?? 'confirmed',
        completed_at: null,
        created_at: TEST_NOW,
        updated_at: TEST_NOW,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    lineIds.push(row.id);
  }
  return { id, lineIds };
}
