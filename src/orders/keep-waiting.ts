import type { ChannelScope } from '../access/channel-scope.js';
import { writeTransaction } from '../db/write-transaction.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { ConflictError } from '../shared/errors.js';
import { lockOrderLines, requireLines } from './locked-order.js';
import { recordDecision } from './waiting-decisions.repository.js';
import type { KeepWaitingBody, WaitingDecision } from './waiting-lines.schemas.js';

/**
 * Staff keep a line without a date waiting (the alternative to cancelling it). Nothing about
 * the line changes: the decision is recorded so the line stops asking for one until it
 * loses its date again. The order lock keeps it from racing a cancel or an arrival that
 * would leave nothing undated to decide on.
 */
export async function keepWaiting(
  ctx: AppContext,
  orderId: number,
  lineNo: number,
  input: KeepWaitingBody,
  actor: Actor,
  scope: ChannelScope = null,
): Promise<WaitingDecision> {
  const decidedAt = ctx.clock.now().toISOString();
  return writeTransaction(ctx.db, async (trx) => {
    const lines = await lockOrderLines(trx, orderId, scope);
    requireLines(orderId, lines, [lineNo]);
    const line = lines.find((l) => l.line_no === lineNo)!;
    if (line.quantity_unpromised === 0) {
      throw new ConflictError(
        'NOT_UNPROMISED',
        `Line ${lineNo} of order ${orderId} has no units waiting without a date: nothing to decide`,
        { orderId, line: lineNo, state: line.quantity_backordered > 0 ? 'backordered' : 'open' },
      );
    }
    const note = input.note ?? null;
    await recordDecision(trx, {
      order_line_id: line.id,
      decision: 'keep_waiting',
      note,
      actor,
      decided_at: decidedAt,
    });
    return {
      orderId,
      line: lineNo,
      decision: 'keep_waiting' as const,
      note,
      actor,
      decidedAt,
      unpromised: line.quantity_unpromised,
    };
  });
}
