import type { Transaction } from 'kysely';
import { requireItem } from '../catalogue/items.service.js';
import { requireLocation } from '../catalogue/locations.service.js';
import type { DB, Db } from '../db/schema.js';
import { fillFromArrival } from '../kernel/backorders/fill-from-arrival.js';
import type { QueueChange } from '../kernel/backorders/queue-change.js';
import { releaseReservations } from '../kernel/backorders/release-reservations.js';
import { replanItems } from '../kernel/backorders/replan.js';
import { toStockLevel } from '../kernel/ledger/movement.js';
import type { StockKey } from '../kernel/ledger/stock.repository.js';
import * as repo from '../kernel/ledger/stock.repository.js';
import type { StockLevel } from './stock.schemas.js';

/** What the stock use cases share: finding the row, and settling the queue after a move. */

export async function resolveKey(db: Db, sku: string, location: string) {
  // Sequential: `db` is often a transaction, whose one connection runs one query at a time.
  const item = await requireItem(db, sku);
  const loc = await requireLocation(db, location);
  return { itemId: item.id, locationId: loc.id } satisfies StockKey;
}

/** Releases the most recent reservations so that on_hand + delta stays >= reserved. */
export async function makeRoom(
  trx: Transaction<DB>,
  key: StockKey,
  delta: number,
  change: QueueChange,
) {
  const row = await repo.findStock(trx, key);
  const shortBy = (row?.reserved ?? 0) - ((row?.on_hand ?? 0) + delta);
  if (shortBy > 0) await releaseReservations(trx, key, shortBy, change);
}

/**
 * After on_hand moved: units that came in serve waiting backorders first, and every
 * promise of the item is re-planned (lost reservations get new dates, or none).
 */
export async function settleQueue<T extends { stock: StockLevel }>(
  trx: Transaction<DB>,
  key: StockKey,
  delta: number,
  change: QueueChange,
  posted: T,
): Promise<T> {
  if (delta > 0) {
    await fillFromArrival(trx, { ...key, source: null, units: delta }, change);
  }
  await replanItems(trx, [key.itemId], change);
  const row = await repo.findStock(trx, key);
  return row
    ? { ...posted, stock: toStockLevel(posted.stock.sku, posted.stock.location, row) }
    : posted;
}
