import type { Transaction } from 'kysely';
import type { ChannelScope } from '../access/channel-scope.js';
import { requireLocation } from '../catalogue/locations.service.js';
import type { DB } from '../db/schema.js';
import { fillFromArrival, replanItems } from '../kernel/backorders/promise-queue.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { recordEvent } from '../kernel/events/domain-events.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { postMovement } from '../kernel/ledger/movement.js';
import { ConflictError } from '../shared/errors.js';
import { lockOrderLines, requireLines } from './locked-order.js';
import { touchOrder } from './order-changes.repository.js';
import { loadOrder } from './order-document.js';
import type { LineRow } from './orders.repository.js';
import { insertOrderReturn, orderReturnsOf, takeReturnable } from './returns.repository.js';
import type { ReturnBody, ReturnReceipt } from './returns.schemas.js';
import { toOrderReturn } from './returns-view.js';

/**
 * A customer sends back units of a fulfilled line. Restocked units come back on hand at
 * the location (a `return` ledger row) and, like a receipt, serve the backorders waiting
 * for the item before anyone else; damaged ones are recorded as returned and written off
 * at once (a `return` row and a `damage` row), so stock does not grow. Never more than
 * fulfilled − already returned: the line's counter is taken by a conditional update.
 */
export async function returnLine(
  ctx: AppContext,
  target: { id: number; line: number },
  input: ReturnBody,
  actor: Actor,
  scope: ChannelScope,
  idempotency: IdempotentRequest | undefined,
): Promise<ReturnReceipt> {
  const now = ctx.clock.now().toISOString();
  return transactionWithAnswer(ctx, idempotency, async (trx) => {
    const { id } = target;
    const lines = await lockOrderLines(trx, id, scope);
    requireLines(id, lines, [target.line]);
    const line = lines.find((l) => l.line_no === target.line)!;
    const location = await requireLocation(trx, input.location);
    if (!(await takeReturnable(trx, line.id, input.quantity, now))) {
      throw exceedsFulfilled(id, line, input.quantity);
    }
    const returnId = await insertOrderReturn(trx, {
      order_id: id,
      order_line_id: line.id,
      location_id: location.id,
      quantity: input.quantity,
      disposition: input.disposition,
      reason: input.reason,
      actor,
      created_at: now,
    });
    const backordersFilled = await moveStock(
      trx,
      { id, returnId, line, location: { id: location.id, code: location.code } },
      input,
      { actor, now },
    );
    await touchOrder(trx, id, now);
    await recordEvent(trx, {
      type: 'order.line_returned',
      subject: `order:${id}`,
      payload: {
        orderId: id,
        returnId,
        line: line.line_no,
        sku: line.sku,
        quantity: input.quantity,
        location: location.code,
        disposition: input.disposition,
        reason: input.reason,
        backordersFilled,
      },
      actor,
      now,
    });
    const [row] = await orderReturnsOf(trx, id, returnId);
    return {
      return: toOrderReturn(row!),
      backordersFilled,
      order: await loadOrder(trx, id, now.slice(0, 10)),
    };
  });
}

/** The line's own figures, read under the order's lock, explain the refusal. */
function exceedsFulfilled(id: number, line: LineRow, quantity: number): ConflictError {
  const returnable = line.quantity_fulfilled - line.quantity_returned;
  return new ConflictError(
    'RETURN_EXCEEDS_FULFILLED',
    `Line ${line.line_no} has ${returnable} fulfilled unit(s) not yet returned; cannot return ${quantity}`,
    {
      id,
      line: line.line_no,
      fulfilled: line.quantity_fulfilled,
      returned: line.quantity_returned,
      returnable,
      quantity,
    },
  );
}

/** Posts the ledger rows; restocked units fill waiting backorders. Returns how many did. */
async function moveStock(
  trx: Transaction<DB>,
  doc: { id: number; returnId: number; line: LineRow; location: { id: number; code: string } },
  input: ReturnBody,
  { actor, now }: { actor: Actor; now: string },
): Promise<number> {
  const key = { itemId: doc.line.item_id, locationId: doc.location.id };
  const movement = {
    key,
    sku: doc.line.sku,
    location: doc.location.code,
    reference: `order:${doc.id}/return:${doc.returnId}`,
    actor,
    now,
  };
  await postMovement(trx, {
    ...movement,
    type: 'return',
    delta: input.quantity,
    reason: `customer return: ${input.reason}`,
  });
  if (input.disposition === 'damaged') {
    // Written off where it came back: the ledger shows the units arrived and why they
    // cannot be sold, and on_hand ends where it started.
    await postMovement(trx, {
      ...movement,
      type: 'damage',
      delta: -input.quantity,
      reason: `returned damaged: ${input.reason}`,
    });
    return 0;
  }
  const change = { reason: `order ${doc.id} line ${doc.line.line_no} returned`, actor, now };
  // As a receipt's units do: the queue waiting for the item first, then anyone.
  const { filled } = await fillFromArrival(
    trx,
    { ...key, source: null, units: input.quantity },
    change,
  );
  await replanItems(trx, [key.itemId], change);
  return filled;
}
