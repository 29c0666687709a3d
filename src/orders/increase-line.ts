import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { promiseAfterGrowth } from '../domain/line-growth.js';
import type { AppContext } from '../kernel/context.js';
import { ConflictError } from '../shared/errors.js';
import {
  assessUnderLock,
  recordAssessed,
  refusedUnits,
  reserveAssessed,
} from './line-assessment.js';
import { lockOrderLines, requireLines } from './locked-order.js';
import { channelOfOrder, editOrder, type OrderEdit, recordLineChange } from './order-edit.js';
import { growLine, waitingBehind } from './order-edits.repository.js';
import { type IncreaseBody, MAX_LINE_QUANTITY } from './order-edits.schemas.js';
import type { LineRow } from './orders.repository.js';
import type { Order } from './orders.schemas.js';

/**
 * A line wants more units. They are taken as placing would take a new line of them:
 * reserved from the channel's free stock in priority order, the rest backordered from
 * supply nobody else is promised, under the line's own acceptBackorder. A line that does
 * not accept backorders, or units nothing can be promised for, are refused (409
 * INSUFFICIENT_STOCK) and nothing changes. Nobody else's reservation or promise moves.
 */
export async function increaseLine(
  ctx: AppContext,
  edit: OrderEdit,
  lineNo: number,
  input: IncreaseBody,
): Promise<Order> {
  const channel = await channelOfOrder(ctx, edit.id, edit.scope);
  return editOrder(ctx, edit, async ({ trx, now }) => {
    const lines = await lockOrderLines(trx, edit.id, edit.scope);
    requireLines(edit.id, lines, [lineNo]);
    const line = lines.find((l) => l.line_no === lineNo)!;
    requireGrowable(edit.id, line, input.by);
    const assessed = await assessUnderLock(
      trx,
      channel,
      {
        sku: line.sku,
        itemId: line.item_id,
        quantity: input.by,
        acceptBackorder: line.accept_backorder === 1,
      },
      now,
    );
    if (assessed.outcome === 'refused') throw refusedUnits({ id: edit.id, line: lineNo }, assessed);
    const waiting = input.by - assessed.takes.reduce((s, t) => s + t.quantity, 0);
    if (waiting > 0) await requireNobodyOvertaken(trx, edit.id, line, waiting);
    const allocated = await reserveAssessed(trx, assessed, now);
    const backordered = input.by - allocated;
    // One date covers every waiting unit of the line (domain/line-growth.ts).
    const promise =
      backordered > 0
        ? promiseAfterGrowth(
            { date: line.promised_date, confidence: line.promise_confidence },
            line.quantity_unpromised,
            {
              date: assessed.promise?.promisedDate ?? null,
              confidence: assessed.promise?.confidence ?? null,
            },
          )
        : undefined;
    await growLine(
      trx,
      line.id,
      { by: input.by, allocated, backordered, ...(promise && { promise }) },
      now,
    );
    await recordAssessed(trx, channel, assessed, line.id);
    await recordLineChange(
      trx,
      edit,
      line,
      'increased',
      {
        by: input.by,
        quantity: line.quantity + input.by,
        allocated,
        backordered,
        promisedDate: promise?.date ?? line.promised_date,
      },
      now,
    );
  });
}

/**
 * Waiting units keep their line's place in the queue (first placed, first filled), so
 * units added to a line now must not wait ahead of customers who ordered after it did.
 * When anyone like that waits for the item, the increase is refused; a new line
 * (POST /v1/orders/{id}/lines) queues the units from now instead.
 */
async function requireNobodyOvertaken(
  trx: Transaction<DB>,
  id: number,
  line: LineRow,
  waiting: number,
): Promise<void> {
  const behind = await waitingBehind(trx, line.item_id, line.id);
  if (behind === 0) return;
  throw new ConflictError(
    'INCREASE_WOULD_JUMP_QUEUE',
    `${waiting} of the extra units of line ${line.line_no} would wait ahead of ${behind} later line(s) of ${line.sku}; add a line instead, which queues from now`,
    { id, line: line.line_no, waiting, waitingBehind: behind },
  );
}

/** Only a line with units still open grows; a finished one is a new line's job. */
function requireGrowable(id: number, line: LineRow, by: number): void {
  const open = line.quantity_allocated + line.quantity_backordered;
  if (open === 0) {
    throw new ConflictError(
      'LINE_CLOSED',
      `Line ${line.line_no} has nothing open (fulfilled or cancelled); add a line instead`,
      {
        id,
        line: line.line_no,
        fulfilled: line.quantity_fulfilled,
        cancelled: line.quantity_cancelled,
      },
    );
  }
  if (line.quantity + by > MAX_LINE_QUANTITY) {
    throw new ConflictError(
      'LINE_QUANTITY_LIMIT',
      `Line ${line.line_no} holds ${line.quantity}; a line holds at most ${MAX_LINE_QUANTITY}`,
      { id, line: line.line_no, quantity: line.quantity, by, max: MAX_LINE_QUANTITY },
    );
  }
}
