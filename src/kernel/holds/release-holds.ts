import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { writeTransaction } from '../../db/write-transaction.js';
import { fillFromArrival } from '../backorders/fill-from-arrival.js';
import { lockItems } from '../backorders/promise.repository.js';
import type { QueueChange } from '../backorders/queue-change.js';
import { replanItems } from '../backorders/replan.js';
import type { AppContext } from '../context.js';
import { type NewDomainEvent, recordEvents } from '../events/domain-events.js';
import { releaseReserved } from '../ledger/stock.repository.js';
import {
  closeHolds,
  itemsOfHold,
  lapsedHolds,
  lapsedHoldsOn,
  type Rows,
  type SkuRows,
  type TakenUnits,
  takeHeldUnits,
} from './holds.repository.js';

/**
 * The end of a hold's units: released by its cart, expired, or (src/orders/convert-hold.ts)
 * turned into an order's allocations. In the kernel because every writer that reserves
 * stock first frees the lapsed holds on the rows it wants (lazy expiry), whichever
 * capability it belongs to; the kernel imports none of them.
 *
 * Lock order, as everywhere: item promise locks (when taken), the hold rows, their lines,
 * then stock rows in item then location order.
 */

const SWEEP_ACTOR = 'system:holds';

export interface UnitsPerRow {
  itemId: number;
  locationId: number;
  quantity: number;
}

/** The units taken off hold lines, summed per stock row, in item then location order. */
export function perRow(taken: readonly TakenUnits[]): UnitsPerRow[] {
  const rows = new Map<string, UnitsPerRow>();
  for (const t of taken) {
    const key = `${t.item_id}:${t.location_id}`;
    const row = rows.get(key) ?? { itemId: t.item_id, locationId: t.location_id, quantity: 0 };
    row.quantity += t.held;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => a.itemId - b.itemId || a.locationId - b.locationId);
}

/** stock.reserved drops by what the lines held, row by row in the fixed order. */
async function releaseStock(trx: Transaction<DB>, rows: readonly UnitsPerRow[], now: string) {
  for (const r of rows) {
    if (!(await releaseReserved(trx, r, r.quantity, now))) {
      throw new Error(`Stock of item ${r.itemId} at ${r.locationId} holds less than its holds`);
    }
  }
}

/**
 * releaseLapsedHoldsOn for the stock rows a writer is about to reserve on, in one look-up
 * before it locks any of them (hold rows before stock rows: the lock order above).
 */
export function releaseLapsedHoldsBefore(
  trx: Transaction<DB>,
  reservations: readonly { itemId: number; locationId: number }[],
  now: string,
): Promise<void> {
  const itemIds = [...new Set(reservations.map((r) => r.itemId))];
  const locationIds = [...new Set(reservations.map((r) => r.locationId))];
  return releaseLapsedHoldsOn(trx, { itemIds, locationIds }, now);
}

/**
 * Lazy expiry, for a writer about to reserve on `rows` in its own transaction: the holds
 * lapsed there give their units back first (only on these rows, which the writer is about
 * to lock anyway, and only for items no customer waits for: those units go to the queue
 * first, through the sweep), and each becomes `expired` with its event.
 * One indexed look-up when there is nothing to free.
 */
export async function releaseLapsedHoldsOn(
  trx: Transaction<DB>,
  rows: Rows | SkuRows,
  now: string,
): Promise<void> {
  const { holdIds, itemIds } = await lapsedHoldsOn(trx, rows, now);
  if (holdIds.length === 0) return;
  const closed = await closeHolds(trx, holdIds, 'expired', now);
  // Only the rows of items nobody waits for; the sweep frees the rest through the queue.
  const free = { itemIds, locationIds: rows.locationIds };
  await releaseStock(trx, perRow(await takeHeldUnits(trx, holdIds, free)), now);
  await recordEvents(
    trx,
    closed.map((h) => holdEvent('hold.expired', h, SWEEP_ACTOR, now)),
  );
}

/**
 * A hold's remaining units go back to stock, where they serve the backorders waiting for
 * the item before anyone else (as a cancellation's do). The caller holds the items' locks
 * (lockItems) and has closed the hold. Returns what was freed per stock row.
 */
export async function freeHeldUnits(
  trx: Transaction<DB>,
  holdId: number,
  change: QueueChange,
): Promise<UnitsPerRow[]> {
  const rows = perRow(await takeHeldUnits(trx, [holdId], undefined));
  await releaseStock(trx, rows, change.now);
  for (const r of rows) {
    await fillFromArrival(trx, { ...r, source: null, units: r.quantity }, change);
  }
  if (rows.length > 0) await replanItems(trx, [...new Set(rows.map((r) => r.itemId))], change);
  return rows;
}

/**
 * The sweep: holds with units still held past their expiry are closed as expired (the
 * event is recorded by whoever closes a hold: here, or a writer's lazy expiry before) and
 * their units freed, one transaction per hold. Returns how many it freed.
 */
export async function sweepLapsedHolds(ctx: AppContext, limit = 100): Promise<number> {
  const now = ctx.clock.now().toISOString();
  const holdIds = await lapsedHolds(ctx.db, now, limit);
  for (const holdId of holdIds) {
    await writeTransaction(ctx.db, async (trx) => {
      await lockItems(trx, await itemsOfHold(trx, holdId));
      const closed = await closeHolds(trx, [holdId], 'expired', now);
      await freeHeldUnits(trx, holdId, {
        reason: `hold ${holdId} expired`,
        actor: SWEEP_ACTOR,
        now,
      });
      await recordEvents(
        trx,
        closed.map((h) => holdEvent('hold.expired', h, SWEEP_ACTOR, now)),
      );
    });
  }
  return holdIds.length;
}

/** A hold event: which hold, its channel and the cart's reference, plus what it says. */
export function holdEvent(
  type: string,
  hold: { id: number; reference: string | null; channel: string },
  actor: string,
  now: string,
  payload: Record<string, unknown> = {},
): NewDomainEvent {
  return {
    type,
    subject: `hold:${hold.id}`,
    payload: { holdId: hold.id, channel: hold.channel, reference: hold.reference, ...payload },
    actor,
    now,
    channel: hold.channel,
  };
}
