import type { ChannelScope } from '../access/channel-scope.js';
import { expiryOf } from '../domain/holds.js';
import { lockItems } from '../kernel/backorders/promise.repository.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { recordEvents } from '../kernel/events/domain-events.js';
import { requireActiveHold } from '../kernel/holds/hold-state.js';
import {
  closeHolds,
  findHold,
  itemsOfHold,
  linesOfHold,
} from '../kernel/holds/holds.repository.js';
import { freeHeldUnits, holdEvent } from '../kernel/holds/release-holds.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { toHold } from './hold-document.js';
import { extendHoldRow } from './holds.repository.js';
import type { ExtendHoldBody, Hold } from './holds.schemas.js';

/**
 * Extending and releasing a hold. Both need it active and unexpired at this moment (else
 * 409 HOLD_EXPIRED / HOLD_RELEASED / HOLD_CONVERTED); the statement that changes it is
 * conditional on exactly that, so a concurrent sweep, conversion or release wins cleanly
 * and this request answers with what it finds.
 */

const answer200 = (hold: Hold) => ({ status: 200, body: hold });

/** A new expiry, ttlSeconds from now (not from the old expiry). */
export async function extendHold(
  ctx: AppContext,
  id: number,
  input: ExtendHoldBody,
  actor: Actor,
  scope: ChannelScope,
  idempotency: IdempotentRequest | undefined,
): Promise<Hold> {
  const clock = ctx.clock.now();
  const now = clock.toISOString();
  const expiresAt = expiryOf(clock, input.ttlSeconds);
  return transactionWithAnswer(
    ctx,
    idempotency,
    async (trx) => {
      const hold = requireActiveHold(id, await findHold(trx, id, scope), now);
      if (!(await extendHoldRow(trx, id, expiresAt, now))) {
        requireActiveHold(id, await findHold(trx, id, scope), now);
        throw new Error(`Hold ${id} is active but could not be extended`);
      }
      await recordEvents(trx, [
        holdEvent('hold.extended', hold, actor, now, {
          expiresAt,
          previousExpiresAt: hold.expires_at,
        }),
      ]);
      const row = { ...hold, expires_at: expiresAt, updated_at: now };
      return toHold(row, await linesOfHold(trx, id), now);
    },
    answer200,
  );
}

/**
 * The hold's units go back to stock, where they first serve the backorders waiting for
 * the items (as a cancellation's do), under the items' promise locks.
 */
export async function releaseHold(
  ctx: AppContext,
  id: number,
  actor: Actor,
  scope: ChannelScope,
  idempotency: IdempotentRequest | undefined,
): Promise<Hold> {
  const now = ctx.clock.now().toISOString();
  return transactionWithAnswer(
    ctx,
    idempotency,
    async (trx) => {
      requireActiveHold(id, await findHold(trx, id, scope), now);
      await lockItems(trx, await itemsOfHold(trx, id));
      // Read again under the locks: the check above only spared them when it refuses.
      const hold = requireActiveHold(id, await findHold(trx, id, scope), now);
      const [closed] = await closeHolds(trx, [id], 'released', now);
      if (!closed) {
        requireActiveHold(id, await findHold(trx, id, scope), now);
        throw new Error(`Hold ${id} is active but could not be released`);
      }
      const freed = await freeHeldUnits(trx, id, { reason: `hold ${id} released`, actor, now });
      await recordEvents(trx, [
        holdEvent('hold.released', closed, actor, now, {
          units: freed.reduce((s, r) => s + r.quantity, 0),
        }),
      ]);
      const row = { ...hold, status: 'released' as const, updated_at: now };
      return toHold(row, await linesOfHold(trx, id), now);
    },
    answer200,
  );
}
