import type { Db } from '../db/schema.js';
import { OPEN_STATES } from '../domain/purchase-order-lifecycle.js';
import { OPEN_TRANSFER_STATES } from '../domain/transfer-lifecycle.js';

/**
 * Items with promises resting on supply that was due before `today` and is still open:
 * a late purchase-order line or a late transfer. In item id order, each once.
 */
export async function itemsPromisedOnOverdueSupply(db: Db, today: string): Promise<number[]> {
  const [lines, transfers] = await Promise.all([
    db
      .selectFrom('purchase_order_lines as line')
      .innerJoin('purchase_orders as po', 'po.id', 'line.purchase_order_id')
      .select('line.item_id')
      .distinct()
      .where('po.state', 'in', OPEN_STATES)
      .where('line.quantity_promised', '>', 0)
      .where('line.expected_date', '<', today)
      .execute(),
    db
      .selectFrom('transfers')
      .select('item_id')
      .distinct()
      .where('state', 'in', OPEN_TRANSFER_STATES)
      .where('quantity_promised', '>', 0)
      .where('expected_date', '<', today)
      .execute(),
  ]);
  return [...new Set([...lines, ...transfers].map((r) => r.item_id))].sort((a, b) => a - b);
}
