import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { type Fill, partsFilled, planFairFill } from '../../domain/fair-queue.js';
import { type SupplySource, supplyKey } from '../../domain/supply.js';
import { ConflictError } from '../../shared/errors.js';
import { recordEvents } from '../events/domain-events.js';
import { reserveStock } from '../ledger/stock.repository.js';
import { addAllocations } from './allocations.repository.js';
import { fillLines, type LineFill } from './line-promise.repository.js';
import { type PegTake, pegKey, shrinkPegs } from './pegs.js';
import * as repo from './promise.repository.js';
import { chunks, type QueueChange } from './queue-change.js';

export interface Arrival {
  itemId: number;
  locationId: number;
  /** The supply the units came on; null for units freed by a cancellation, found or returned. */
  source: SupplySource | null;
  units: number;
}

/** The waiting lines of the item and their pegs, as the fill plan was made from them. */
interface Queue {
  lines: Map<number, repo.WaitingLineRow>;
  pegsOf: Map<number, repo.PegRow[]>;
  /** The arriving supply (supplyKey), null for units not tied to one. */
  key: string | null;
}

/** Units a fill moves onto one line. */
interface LineTotal {
  quantity: number;
  unpromised: number;
}

/**
 * Arriving units fill the item's waiting lines whose channel draws on the location in
 * queue order (domain/fair-queue.ts), whatever supply each line was pegged to; only the
 * rest becomes available for sale. The on_hand increase must already be posted.
 *
 * A line filled ahead of its own supply leaves that supply's pegs to the lines behind,
 * and lines pegged to the arriving supply may now rest on more than it still brings:
 * the caller re-plans the item (replanItems) in the same transaction, which re-pegs
 * everyone still waiting, in queue order, and writes their new dates.
 */
export async function fillFromArrival(
  trx: Transaction<DB>,
  arrival: Arrival,
  change: QueueChange,
): Promise<{ filled: number }> {
  const planned = await planArrival(trx, arrival);
  if (!planned) return { filled: 0 };
  const { queue, fills } = planned;
  const total = fills.reduce((s, f) => s + f.quantity, 0);
  if (total === 0) return { filled: 0 };

  const stockKey = { itemId: arrival.itemId, locationId: arrival.locationId };
  const releaseDate = await repo.itemReleaseDate(trx, arrival.itemId);
  if (!(await reserveStock(trx, stockKey, total, { respectSafetyStock: false }, change.now))) {
    throw new ConflictError(
      'STOCK_CHANGED',
      'The arriving units were taken before they could fill waiting orders',
      { itemId: arrival.itemId, locationId: arrival.locationId, units: total },
    );
  }
  // Decide every change first, then write them set by set: a receipt into a long queue
  // costs a few statements per thousand lines, not several per line.
  const { pegTakes, perLine } = decideTakes(queue, fills);
  await shrinkPegs(trx, pegTakes);
  await writeFilledLines(trx, stockKey, queue, perLine, releaseDate, change);
  return { filled: total };
}

/** Reads the item's queue and plans which lines the arriving units fill. */
async function planArrival(
  trx: Transaction<DB>,
  arrival: Arrival,
): Promise<{ queue: Queue; fills: Fill[] } | undefined> {
  const key = arrival.source === null ? null : supplyKey(arrival.source);
  const waiting = await repo.waitingLines(trx, arrival.itemId);
  if (waiting.length === 0) return undefined;
  // Every peg of the item belongs to a waiting line: one statement, however long the queue.
  const pegs = await repo.pegsOfItem(trx, arrival.itemId);
  const servedHere = await repo.channelsServedBy(trx, arrival.locationId);
  const pegsOf = new Map<number, repo.PegRow[]>();
  for (const peg of pegs)
    pegsOf.set(peg.order_line_id, [...(pegsOf.get(peg.order_line_id) ?? []), peg]);
  // A line promised this very supply keeps its claim on it even if its channel no longer
  // draws on the location; every other line must be one the location serves.
  const here = waiting.filter(
    (line) =>
      servedHere.has(line.channel_id) ||
      (key !== null && (pegsOf.get(line.id) ?? []).some((p) => pegKey(p) === key)),
  );
  const { fills } = planFairFill(
    arrival.units,
    here.map((line) => ({
      lineId: line.id,
      priority: line.priority,
      waiting: line.quantity_backordered,
    })),
  );
  const lines = new Map(waiting.map((w) => [w.id, w]));
  return { queue: { lines, pegsOf, key }, fills };
}

/** Which promise each fill settles (domain/fair-queue.ts partsFilled), as peg takes. */
function decideTakes(
  queue: Queue,
  fills: readonly Fill[],
): { pegTakes: PegTake[]; perLine: Map<number, LineTotal> } {
  const pegTakes: PegTake[] = [];
  const perLine = new Map<number, LineTotal>();
  for (const fill of fills) {
    const line = queue.lines.get(fill.lineId)!;
    const own = queue.pegsOf.get(fill.lineId) ?? [];
    const byId = new Map(own.map((p) => [p.id, p]));
    const parts = own.map((p) => ({
      id: p.id,
      supply: pegKey(p),
      quantity: p.quantity,
      expectedDate: p.expected_date,
    }));
    const taken = partsFilled(fill.quantity, line.quantity_unpromised, parts, queue.key);
    for (const { id, take } of taken.takes) pegTakes.push({ peg: byId.get(id)!, take });
    perLine.set(fill.lineId, { quantity: fill.quantity, unpromised: taken.unpromised });
  }
  return { pegTakes, perLine };
}

/**
 * Moves the filled units onto the lines, grouped by shape so lines filled alike share a
 * statement, adds them to the lines' allocations, and tells each line that is complete.
 */
async function writeFilledLines(
  trx: Transaction<DB>,
  stockKey: { itemId: number; locationId: number },
  queue: Queue,
  perLine: ReadonlyMap<number, LineTotal>,
  releaseDate: string | null,
  change: QueueChange,
): Promise<void> {
  const lineUpdates = new Map<string, { fill: LineFill; ids: number[] }>();
  const ready: { orderId: number; lineId: number; filled: number }[] = [];
  for (const [lineId, filled] of perLine) {
    const line = queue.lines.get(lineId)!;
    const done = line.quantity_backordered === filled.quantity;
    const fill = {
      quantity: filled.quantity,
      unpromisedTaken: filled.unpromised,
      done,
      preorder: line.preorder === 1,
    };
    const shape = JSON.stringify([fill.quantity, fill.unpromisedTaken, done, fill.preorder]);
    const group = lineUpdates.get(shape) ?? { fill, ids: [] };
    group.ids.push(lineId);
    lineUpdates.set(shape, group);
    if (done) ready.push({ orderId: line.order_id, lineId, filled: filled.quantity });
  }
  for (const { fill, ids } of lineUpdates.values()) {
    await fillLines(trx, ids, fill, releaseDate, change.now);
  }
  await addAllocations(
    trx,
    stockKey,
    [...perLine].map(([lineId, filled]) => ({ lineId, quantity: filled.quantity })),
  );
  for (const chunk of chunks(ready)) {
    await recordEvents(
      trx,
      chunk.map((r) => ({
        type: 'order_line.ready',
        subject: `order:${r.orderId}`,
        payload: r,
        actor: change.actor,
        now: change.now,
      })),
    );
  }
}
