import { lockItems } from '../kernel/backorders/promise.repository.js';
import type { Actor, AppContext } from '../kernel/context.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { postMovement } from '../kernel/ledger/movement.js';
import { BadRequestError } from '../shared/errors.js';
import type { AdjustmentBody } from './stock.schemas.js';
import { makeRoom, resolveKey, settleQueue } from './stock-queue.js';

const SIGN_RULES: Record<NonNullable<AdjustmentBody['type']>, -1 | 0 | 1> = {
  adjustment: 0,
  receipt: 1,
  return: 1,
  sale: -1,
  damage: -1,
};

/** Adds or removes units with a reason; refuses to leave fewer units than are reserved. */
export async function adjustStock(
  ctx: AppContext,
  input: AdjustmentBody,
  actor: Actor,
  idempotency?: IdempotentRequest,
) {
  const type = input.type ?? 'adjustment';
  const sign = SIGN_RULES[type];
  if (sign !== 0 && Math.sign(input.delta) !== sign) {
    throw new BadRequestError(
      'DELTA_SIGN_MISMATCH',
      `A ${type} must ${sign > 0 ? 'add' : 'remove'} units: delta must be ${sign > 0 ? 'positive' : 'negative'}`,
      { type, delta: input.delta },
    );
  }
  const now = ctx.clock.now().toISOString();
  return transactionWithAnswer(ctx, idempotency, async (trx) => {
    const key = await resolveKey(trx, input.sku, input.location);
    // Units coming or going may keep or break promises: the item's promise lock first.
    await lockItems(trx, [key.itemId]);
    const change = { reason: `${type} of ${input.delta} at ${input.location}`, actor, now };
    if (input.delta < 0 && input.releaseReservations) {
      await makeRoom(trx, key, input.delta, change);
    }
    const posted = await postMovement(trx, {
      key,
      sku: input.sku,
      location: input.location,
      type,
      delta: input.delta,
      reason: input.reason,
      reference: input.reference ?? null,
      actor,
      now,
    });
    return settleQueue(trx, key, input.delta, change, posted);
  });
}
