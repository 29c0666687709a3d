import { writeTransaction } from '../db/write-transaction.js';
import { lockItems } from '../kernel/backorders/promise.repository.js';
import { replanItems } from '../kernel/backorders/promise-queue.js';
import type { AppContext } from '../kernel/context.js';
import { isoDate } from '../shared/dates.js';
import { itemsPromisedOnOverdueSupply } from './overdue.repository.js';

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
  const itemIds = await itemsPromisedOnOverdueSupply(ctx.db, isoDate(ctx.clock.now()));
  const now = ctx.clock.now().toISOString();
  // One transaction per item: a long sweep never holds many locks at once.
  for (const itemId of itemIds) {
    await writeTransaction(ctx.db, async (trx) => {
      await lockItems(trx, [itemId]);
      await replanItems(trx, [itemId], { reason: 'supply overdue', actor, now });
    });
  }
  return { items: itemIds.length };
}
