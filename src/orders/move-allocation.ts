import type { AppContext } from '../kernel/context.js';
import { releaseLapsedHoldsBefore } from '../kernel/holds/release-holds.js';
import { BadRequestError, ConflictError, InsufficientStockError } from '../shared/errors.js';
import { sellingPoint } from './counter-location.js';
import { lockOrderLines, requireLines } from './locked-order.js';
import { channelOfOrder, editOrder, type OrderEdit, recordLineChange } from './order-edit.js';
import type { MoveBody } from './order-edits.schemas.js';
import { allocationsOf } from './orders.repository.js';
import type { Order } from './orders.schemas.js';
import {
  freeAt,
  inLockOrder,
  passOnReleased,
  releaseFromLine,
  reserveForLine,
} from './reallocation.js';

/**
 * Reserved units of a line move to another of the channel's locations, in one
 * transaction: reserved at `to` from its free stock, released at `from` (stock rows in the
 * fixed lock order), and the released units fill the backorders waiting at `from` before
 * anyone else, as a cancel's do. More than the line holds at `from` (409
 * MOVE_EXCEEDS_ALLOCATION) or too little free at `to` (409 INSUFFICIENT_STOCK) changes
 * nothing.
 */
export async function moveAllocation(
  ctx: AppContext,
  edit: OrderEdit,
  lineNo: number,
  input: MoveBody,
): Promise<Order> {
  if (input.from === input.to) {
    throw new BadRequestError('SAME_LOCATION', `Moving from ${input.from} to itself`, {
      from: input.from,
      to: input.to,
    });
  }
  const channel = await channelOfOrder(ctx, edit.id, edit.scope);
  // `to` must be a location the channel sells from (400 LOCATION_NOT_ON_CHANNEL).
  const to = sellingPoint(channel, input.to).stockFrom!;
  return editOrder(ctx, edit, async ({ trx, now }) => {
    const lines = await lockOrderLines(trx, edit.id, edit.scope);
    requireLines(edit.id, lines, [lineNo]);
    const line = lines.find((l) => l.line_no === lineNo)!;
    const held = (await allocationsOf(trx, [line.id])).find((a) => a.location === input.from);
    const allocated = held?.quantity ?? 0;
    if (!held || allocated < input.quantity) {
      throw new ConflictError(
        'MOVE_EXCEEDS_ALLOCATION',
        `Line ${lineNo} has ${allocated} reserved at ${input.from}; cannot move ${input.quantity}`,
        { id: edit.id, line: lineNo, from: input.from, allocated, quantity: input.quantity },
      );
    }
    const from = held.location_id;
    const key = { itemId: line.item_id, locationId: to };
    // Hold rows before stock rows: holds lapsed where the units go give theirs back first.
    await releaseLapsedHoldsBefore(trx, [key], now);
    // A refusal rolls the transaction back, with a release at `from` made before it.
    await inLockOrder([
      {
        ...key,
        phase: 'reserve',
        apply: async () => {
          if (await reserveForLine(trx, line, to, input.quantity, now)) return;
          const free = await freeAt(trx, key);
          throw new InsufficientStockError(
            `Only ${free} of ${line.sku} free at ${input.to}; cannot move ${input.quantity} there`,
            {
              id: edit.id,
              line: lineNo,
              location: input.to,
              available: free,
              quantity: input.quantity,
            },
          );
        },
      },
      {
        itemId: line.item_id,
        locationId: from,
        phase: 'release',
        apply: () => releaseFromLine(trx, line, from, input.quantity, now),
      },
    ]);
    const change = { reason: `order ${edit.id} line ${lineNo} moved`, actor: edit.actor, now };
    const backordersFilled = await passOnReleased(
      trx,
      [{ itemId: line.item_id, locationId: from, units: input.quantity }],
      change,
    );
    await recordLineChange(
      trx,
      edit,
      line,
      'moved',
      { from: input.from, to: input.to, quantity: input.quantity, backordersFilled },
      now,
    );
  });
}
