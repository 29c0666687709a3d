import type { AppContext } from '../kernel/context.js';
import { ConflictError } from '../shared/errors.js';
import {
  assessUnderLock,
  recordAssessed,
  refusedUnits,
  reserveAssessed,
} from './line-assessment.js';
import { lockOrderLines } from './locked-order.js';
import { channelOfOrder, editOrder, type OrderEdit, recordLineChange } from './order-edit.js';
import type { AddLineBody } from './order-edits.schemas.js';
import { insertOrderLines } from './order-writes.repository.js';
import type { Order } from './orders.schemas.js';
import { resolveLines } from './requested-lines.js';
import { lineRows } from './write-order.js';

/** An order holds at most as many lines as one can be placed with. */
export const MAX_ORDER_LINES = 100;

/**
 * A line added to an open order, placed as if it were one more line of it: reserved from
 * the channel's free stock, the rest backordered if it accepts backorders, or refused
 * (409 INSUFFICIENT_STOCK) changing nothing. It takes the next line number, and its
 * waiting units queue from now, behind everyone already waiting.
 */
export async function addLine(
  ctx: AppContext,
  edit: OrderEdit,
  input: AddLineBody,
): Promise<Order> {
  const channel = await channelOfOrder(ctx, edit.id, edit.scope);
  // An unknown SKU is a 404 before anything is locked.
  const { requests } = await resolveLines(ctx.db, [input], channel, ctx.clock.now().toISOString());
  const request = requests[0]!;
  return editOrder(ctx, edit, async ({ trx, now }) => {
    // The new item is locked with the order's, in one ascending pass: it may take a promise.
    const lines = await lockOrderLines(trx, edit.id, edit.scope, [request.itemId]);
    if (lines.every((l) => l.quantity_allocated + l.quantity_backordered === 0)) {
      throw new ConflictError(
        'ORDER_CLOSED',
        `Order ${edit.id} has nothing open (fulfilled or cancelled); place a new order`,
        { id: edit.id },
      );
    }
    if (lines.length >= MAX_ORDER_LINES) {
      throw new ConflictError(
        'TOO_MANY_LINES',
        `Order ${edit.id} has ${lines.length} lines; an order holds at most ${MAX_ORDER_LINES}`,
        { id: edit.id, lines: lines.length, max: MAX_ORDER_LINES },
      );
    }
    const lineNo = Math.max(...lines.map((l) => l.line_no)) + 1;
    const assessed = await assessUnderLock(trx, channel, request, now);
    if (assessed.outcome === 'refused') throw refusedUnits({ id: edit.id, line: lineNo }, assessed);
    // Stock first (the lock order), then the line as placing writes one, then what it holds.
    await reserveAssessed(trx, assessed, now);
    const row = { ...lineRows(edit.id, [assessed], now)[0]!, line_no: lineNo };
    const [inserted] = await insertOrderLines(trx, [row]);
    await recordAssessed(trx, channel, assessed, inserted!.id);
    await recordLineChange(
      trx,
      edit,
      { line_no: lineNo, sku: request.sku },
      'added',
      {
        quantity: row.quantity,
        allocated: row.quantity_allocated,
        backordered: row.quantity_backordered,
        promisedDate: row.promised_date ?? null,
      },
      now,
    );
  });
}
