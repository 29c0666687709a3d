import { writeTransaction } from '../db/write-transaction.js';
import { replanItems } from '../kernel/backorders/promise-queue.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { recordEvent } from '../kernel/events/domain-events.js';
import { ConflictError } from '../shared/errors.js';
import { setLinePriority } from './line-priority.repository.js';
import type { LinePriority, LinePriorityBody } from './line-priority.schemas.js';
import { lockOrderLines, requireLines } from './locked-order.js';
import { touchOrder } from './order-changes.repository.js';
import { linesOf } from './orders.repository.js';

/**
 * Staff put a waiting line ahead in its item's queue, or back in placement order (the fair
 * queue's one exception, domain/fair-queue.ts). The queue is re-planned in the same
 * transaction, so the line may take earlier supply from lines behind it, whose customers
 * are re-promised and told as for a supplier's slip; arrivals then serve it first. Setting
 * the priority a line already has changes nothing, so a retry is harmless.
 */
export async function prioritiseLine(
  ctx: AppContext,
  orderId: number,
  lineNo: number,
  input: LinePriorityBody,
  actor: Actor,
): Promise<LinePriority> {
  const now = ctx.clock.now().toISOString();
  return writeTransaction(ctx.db, async (trx) => {
    const lines = await lockOrderLines(trx, orderId, null);
    requireLines(orderId, lines, [lineNo]);
    const line = lines.find((l) => l.line_no === lineNo)!;
    if (line.quantity_backordered === 0) {
      throw new ConflictError(
        'LINE_NOT_WAITING',
        `Line ${lineNo} of order ${orderId} has no units waiting: it has no place in a queue`,
        { orderId, line: lineNo, backordered: 0 },
      );
    }
    const changed = line.priority !== input.priority;
    if (changed) {
      await setLinePriority(trx, line.id, input.priority, now);
      await touchOrder(trx, orderId, now);
      await recordEvent(trx, {
        type: 'order_line.priority_changed',
        subject: `order:${orderId}`,
        payload: {
          orderId,
          lineId: line.id,
          line: lineNo,
          sku: line.sku,
          from: line.priority,
          to: input.priority,
        },
        actor,
        now,
      });
      const reason = `order ${orderId} line ${lineNo} priority set to ${input.priority}`;
      await replanItems(trx, [line.item_id], { reason, actor, now });
    }
    const after = (await linesOf(trx, [orderId])).find((l) => l.id === line.id)!;
    return {
      orderId,
      line: lineNo,
      sku: after.sku,
      priority: after.priority,
      changed,
      backordered: after.quantity_backordered,
      promisedDate: after.promised_date,
    };
  });
}
