import type { Db } from '../db/schema.js';
import { OPEN_STATES } from '../domain/purchase-order-lifecycle.js';

/** Costs and open purchase-order lines, as the stock and supplier reports need them. */

export interface CostRow {
  item_id: number;
  supplier: string;
  preferred: number;
  unit_cost_cents: number;
}

/** What each item costs from each of its suppliers. */
export function supplierCosts(db: Db): Promise<CostRow[]> {
  return db
    .selectFrom('supplier_items')
    .innerJoin('suppliers', 'suppliers.id', 'supplier_items.supplier_id')
    .select([
      'supplier_items.item_id',
      'suppliers.code as supplier',
      'supplier_items.preferred',
      'supplier_items.unit_cost_cents',
    ])
    .execute();
}

export interface OpenLineRow {
  supplier: string;
  quantity_ordered: number;
  quantity_received: number;
  quantity_cancelled: number;
  unit_cost_cents: number;
  expected_date: string;
}

/** Lines of orders the suppliers have (sent, confirmed, partly received). */
export function openPurchaseLines(db: Db): Promise<OpenLineRow[]> {
  return db
    .selectFrom('purchase_order_lines as line')
    .innerJoin('purchase_orders as po', 'po.id', 'line.purchase_order_id')
    .innerJoin('suppliers', 'suppliers.id', 'po.supplier_id')
    .select([
      'suppliers.code as supplier',
      'line.quantity_ordered',
      'line.quantity_received',
      'line.quantity_cancelled',
      'line.unit_cost_cents',
      'line.expected_date',
    ])
    .where('po.state', 'in', [...OPEN_STATES])
    .execute();
}
