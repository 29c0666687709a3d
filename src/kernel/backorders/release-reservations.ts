import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { recordEvent } from '../events/domain-events.js';
import { releaseReserved, type StockKey } from '../ledger/stock.repository.js';
import { allocationsAt, takeFromAllocation } from './allocations.repository.js';
import { returnToWaiting } from './line-promise.repository.js';
import type { QueueChange } from './queue-change.js';

/**
 * Units that orders had reserved are gone (damage, a short count): the most recent
 * reservations at the location go back to waiting, unpromised until the re-plan that
 * must follow finds them supply. Returns the units released. The caller holds the item
 * lock; the releasing statement is conditional, so a concurrent change only makes the
 * later on_hand update refuse.
 */
export async function releaseReservations(
  trx: Transaction<DB>,
  key: StockKey,
  shortBy: number,
  change: QueueChange,
): Promise<number> {
  const allocations = await allocationsAt(trx, key);
  let left = shortBy;
  const takes: { lineId: number; orderId: number; quantity: number }[] = [];
  for (const a of allocations) {
    if (left === 0) break;
    const quantity = Math.min(a.quantity, left);
    takes.push({ lineId: a.order_line_id, orderId: a.order_id, quantity });
    left -= quantity;
  }
  const total = takes.reduce((s, t) => s + t.quantity, 0);
  if (total === 0) return 0;
  if (!(await releaseReserved(trx, key, total, change.now))) return 0;
  for (const take of takes) {
    await takeFromAllocation(trx, take.lineId, key.locationId, take.quantity);
    await returnToWaiting(trx, take.lineId, take.quantity, change.now);
    await recordEvent(trx, {
      type: 'order_line.reservation_lost',
      subject: `order:${take.orderId}`,
      payload: {
        orderId: take.orderId,
        lineId: take.lineId,
        quantity: take.quantity,
        reason: change.reason,
      },
      actor: change.actor,
      now: change.now,
    });
  }
  return total;
}
