import { holdStateAt } from '../../domain/holds.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { HoldRow } from './holds.repository.js';

/**
 * The hold, if it was found and is active at `now`; otherwise the error that says why:
 * 404 HOLD_NOT_FOUND (also for another channel's hold), or 409 HOLD_EXPIRED,
 * HOLD_RELEASED or HOLD_CONVERTED. Extend, release and convert all answer with these.
 */
export function requireActiveHold(id: number, hold: HoldRow | undefined, now: string): HoldRow {
  if (!hold) throw new NotFoundError('HOLD_NOT_FOUND', `No hold with id ${id}`, { id });
  const state = holdStateAt(hold.status, hold.expires_at, now);
  if (state === 'active') return hold;
  const details = { id, status: state, expiresAt: hold.expires_at, orderId: hold.order_id };
  if (state === 'expired') {
    throw new ConflictError('HOLD_EXPIRED', `Hold ${id} expired at ${hold.expires_at}`, details);
  }
  if (state === 'released') {
    throw new ConflictError('HOLD_RELEASED', `Hold ${id} was released`, details);
  }
  throw new ConflictError(
    'HOLD_CONVERTED',
    `Hold ${id} was already converted into order ${hold.order_id}`,
    details,
  );
}
