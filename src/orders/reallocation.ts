import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { availableAt } from '../domain/availability.js';
import {
  addAllocation,
  fillFromArrival,
  type QueueChange,
  replanItems,
  takeFromAllocation,
} from '../kernel/backorders/promise-queue.js';
import {
  findStock,
  releaseReserved,
  reserveStock,
  type StockKey,
} from '../kernel/ledger/stock.repository.js';

/**
 * Reserved units of a line changing location: reserved at the new one from free stock,
 * released at the old one, and the released units handed to the backorders waiting there
 * (as a cancel's are). Moving an allocation and shipping from another location share it.
 */

/**
 * One statement on one stock row. Phases order the statements on the same row: units are
 * reserved there first, then shipped, and released last, so units released at a row are
 * still free when the waiting lines are filled from them.
 */
export interface StockStep extends StockKey {
  phase: 'reserve' | 'consume' | 'release';
  apply: () => Promise<void>;
}

const PHASES = { reserve: 0, consume: 1, release: 2 } as const;

/** Runs the steps in the fixed lock order: item, then location, then phase. */
export async function inLockOrder(steps: readonly StockStep[]): Promise<void> {
  const sorted = [...steps].sort(
    (a, b) =>
      a.itemId - b.itemId || a.locationId - b.locationId || PHASES[a.phase] - PHASES[b.phase],
  );
  for (const step of sorted) await step.apply();
}

/**
 * Reserves units for a line at a location from its free stock (above safety stock, as
 * placing does); false, changing nothing, when fewer are free. The caller has let holds
 * lapsed on the row give their units back first (releaseLapsedHoldsBefore), before it
 * locked any stock row: hold rows lock before stock rows.
 */
export async function reserveForLine(
  trx: Transaction<DB>,
  line: { id: number; item_id: number },
  locationId: number,
  quantity: number,
  now: string,
): Promise<boolean> {
  const key = { itemId: line.item_id, locationId };
  if (!(await reserveStock(trx, key, quantity, { respectSafetyStock: true }, now))) return false;
  await addAllocation(trx, line.id, line.item_id, locationId, quantity);
  return true;
}

/** Releases units a line holds at a location; the caller knows the allocation holds them. */
export async function releaseFromLine(
  trx: Transaction<DB>,
  line: { id: number; item_id: number },
  locationId: number,
  quantity: number,
  now: string,
): Promise<void> {
  const key = { itemId: line.item_id, locationId };
  if (!(await releaseReserved(trx, key, quantity, now))) {
    throw new Error(`Stock of item ${key.itemId} at ${locationId} holds less than its allocations`);
  }
  await takeFromAllocation(trx, line.id, locationId, quantity);
}

/**
 * Released units serve the backorders waiting for the item at their location before
 * anyone else, then the items' queues are re-promised. Returns the units that filled lines.
 */
export async function passOnReleased(
  trx: Transaction<DB>,
  released: readonly (StockKey & { units: number })[],
  change: QueueChange,
): Promise<number> {
  let filled = 0;
  const sorted = [...released].sort((a, b) => a.itemId - b.itemId || a.locationId - b.locationId);
  for (const r of sorted) {
    filled += (await fillFromArrival(trx, { ...r, source: null }, change)).filled;
  }
  await replanItems(
    trx,
    sorted.map((r) => r.itemId),
    change,
  );
  return filled;
}

/** Units free for sale at a stock row now, for a refusal's details. */
export async function freeAt(trx: Transaction<DB>, key: StockKey): Promise<number> {
  const row = await findStock(trx, key);
  if (!row) return 0;
  return availableAt({
    location: '',
    onHand: row.on_hand,
    reserved: row.reserved,
    safetyStock: row.safety_stock,
  });
}
