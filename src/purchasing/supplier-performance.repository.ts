import type { Db } from '../db/schema.js';

/** A purchase-order line sent to a supplier, with when its last unit so far arrived. */
export interface SentLineRow {
  line_id: number;
  sku: string;
  quantity_ordered: number;
  quantity_received: number;
  /** Received units sent back (0015): they count as not delivered in the fill rate. */
  quantity_returned: number;
  quantity_cancelled: number;
  sent_at: string;
  first_expected_date: string | null;
  expected_date: string;
  completed_at: string | null;
  last_received_at: string | null;
}

/**
 * Every line of the supplier's orders that were sent (drafts never reached the supplier,
 * so they say nothing about it), in line order. Timestamps are ISO-8601 text in UTC
 * on both databases, so max() over them is the latest.
 */
export async function listSentLines(db: Db, supplierId: number): Promise<SentLineRow[]> {
  const rows = await db
    .selectFrom('purchase_order_lines as line')
    .innerJoin('purchase_orders as po', 'po.id', 'line.purchase_order_id')
    .innerJoin('items', 'items.id', 'line.item_id')
    .select((eb) => [
      'line.id as line_id',
      'items.sku',
      'line.quantity_ordered',
      'line.quantity_received',
      'line.quantity_returned',
      'line.quantity_cancelled',
      'po.sent_at',
      'line.first_expected_date',
      'line.expected_date',
      'line.completed_at',
      eb
        .selectFrom('receipt_lines')
        .innerJoin('receipts', 'receipts.id', 'receipt_lines.receipt_pk')
        .select((sub) => sub.fn.max('receipts.created_at').as('at'))
        .whereRef('receipt_lines.line_id', '=', 'line.id')
        .as('last_received_at'),
    ])
    .where('po.supplier_id', '=', supplierId)
    .where('po.sent_at', 'is not', null)
    // An order we cancelled before anything arrived says nothing about the supplier.
    .where('po.state', '<>', 'cancelled')
    .orderBy('line.id')
    .execute();
  return rows.map((row) => ({ ...row, sent_at: row.sent_at! }));
}
