import type { Transaction } from 'kysely';
import type { ResolvedChannel } from '../catalogue/channels.service.js';
import type { DB } from '../db/schema.js';
import { insertPegs } from '../kernel/backorders/promise.repository.js';
import { addAllocation } from '../kernel/backorders/promise-queue.js';
import { releaseLapsedHoldsOn } from '../kernel/holds/release-holds.js';
import { reserveStock } from '../kernel/ledger/stock.repository.js';
import { InsufficientStockError } from '../shared/errors.js';
import { assessLines } from './assess-lines.js';
import type { AssessedLine, LineRequest } from './assessed-line.js';
import { lockStockPicture, readStockPicture } from './stock-picture.repository.js';
import { holdSupply } from './write-order.js';

/**
 * Units added to a placed order (a line increased, a line added) are assessed and taken
 * exactly as placing takes a line: stock from the channel's locations in priority order,
 * the rest promised from supply nobody else holds, if the line accepts it. Here the stock
 * rows are read locked (item lock first, the caller's), so what is assessed is what the
 * conditional statements then find, and nobody else's reservation or promise moves.
 */

export async function assessUnderLock(
  trx: Transaction<DB>,
  channel: ResolvedChannel,
  request: LineRequest,
  now: string,
): Promise<AssessedLine> {
  const locationIds = channel.locations.map((l) => l.locationId);
  // Lapsed holds give their units back first, so what the locked read counts as free is
  // what the conditional reservation then finds.
  await releaseLapsedHoldsOn(trx, { itemIds: [request.itemId], locationIds }, now);
  const locked = await lockStockPicture(trx, [request.sku], locationIds, now);
  // No stock row at any of the channel's locations: nothing to lock, nothing to take.
  const snapshot =
    locked.items.length > 0
      ? locked
      : await readStockPicture(trx, { itemIds: [request.itemId] }, locationIds, now);
  const [assessed] = await assessLines(trx, channel, [request], now, { snapshot });
  return assessed!;
}

/** The refusal of units that can be neither reserved nor backordered: nothing is changed. */
export function refusedUnits(
  where: { id: number; line: number },
  assessed: AssessedLine,
): InsufficientStockError {
  return new InsufficientStockError(assessed.reason, {
    id: where.id,
    line: where.line,
    sku: assessed.request.sku,
    quantity: assessed.request.quantity,
    state: assessed.state,
    available: assessed.available,
    incoming: assessed.incoming,
    backorder:
      assessed.promise && assessed.promise.quantity > 0
        ? { quantity: assessed.promise.quantity, date: assessed.promise.promisedDate }
        : null,
  });
}

/**
 * Reserves what the assessment takes from stock, in location order (the item is one).
 * Answers how many units were reserved; the rest wait.
 */
export async function reserveAssessed(
  trx: Transaction<DB>,
  assessed: AssessedLine,
  now: string,
): Promise<number> {
  const itemId = assessed.item.id;
  let reserved = 0;
  for (const take of [...assessed.takes].sort((a, b) => a.locationId - b.locationId)) {
    const key = { itemId, locationId: take.locationId };
    // The rows were read locked: a refusal here is a broken invariant, not a race.
    if (!(await reserveStock(trx, key, take.quantity, { respectSafetyStock: true }, now))) {
      throw new Error(`Stock of item ${itemId} at ${take.locationId} moved under its lock`);
    }
    reserved += take.quantity;
  }
  return reserved;
}

/** The line `lineId` holds what was reserved for it, and pegs what was promised. */
export async function recordAssessed(
  trx: Transaction<DB>,
  channel: ResolvedChannel,
  assessed: AssessedLine,
  lineId: number,
): Promise<void> {
  let reserved = 0;
  for (const take of assessed.takes) {
    await addAllocation(trx, lineId, assessed.item.id, take.locationId, take.quantity);
    reserved += take.quantity;
  }
  if (reserved < assessed.request.quantity) {
    await insertPegs(trx, await holdSupply(trx, channel, assessed, lineId));
  }
}
