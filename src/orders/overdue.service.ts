import { OPEN_STATES } from '../domain/purchase-order-lifecycle.js';
import { OPEN_TRANSFER_STATES } from '../domain/transfer-lifecycle.js';
import { lockItems } from '../kernel/backorders/promise.repository.js';
import { replanItems } from '../kernel/backorders/promise-queue.js';
import type { AppContext } from '../kernel/context.js';

/**
 * Supply that was due and has not come (a late purchase order, a late transfer) breaks
 * the promises pegged to it even though nobody changed anything. The sweep re-plans every
 * item with promises resting on overdue supply: their dates move to what can still be
 * kept (from today, marked estimated), with the history and events of any re-promise.
 * Safe to run from several processes at once: each item is re-planned under its lock.
 */
export async function repromiseOverdue(
  ctx: AppContext,
  actor = 'system:overdue-sweep',
): Promise<{ items: number }> {
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const [lines, transfers] = await Promise.all([
    ctx.db
      .selectFrom('purchase_order_lines as line')
      .innerJoin('purchase_orders as po', 'po.id', 'line.purchase_order_id')
      .select('line.item_id')
      .distinct()
      .where('po.state', 'in', OPEN_STATES)
      .where('line.quantity_promised', '>', 0)
      .where('line.expected_date', '<', today)
      .execute(),
    ctx.db
      .selectFrom('transfers')
      .select('item_id')
      .distinct()
      .where('state', 'in', OPEN_TRANSFER_STATES)
      .where('quantity_promised', '>', 0)
      .where('expected_date', '<', today)
      .execute(),
  ]);
  const itemIds = [...new Set([...lines, ...transfers].map((r) => r.item_id))].sort(
    (a, b) => a - b,
  );
  const now = ctx.clock.now().toISOString();
  // One transaction per item: a long sweep never holds many locks at once.
  for (const itemId of itemIds) {
    await ctx.db.transaction().execute(async (trx) => {
      await lockItems(trx, [itemId]);
      await replanItems(trx, [itemId], { reason: 'supply overdue', actor, now });
    });
  }
  return { items: itemIds.length };
}
