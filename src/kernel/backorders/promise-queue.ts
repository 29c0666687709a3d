import type { Insertable } from 'kysely';
import type { Db } from '../../db/schema.js';
import type { BackorderPegsTable } from '../../db/tables/orders.js';
import {
  type LinePromise,
  type Peg,
  type PromiseRules,
  planFill,
  type QueuedLine,
  replanQueue,
} from '../../domain/promising.js';
import { type SupplySource, supplyKey } from '../../domain/supply.js';
import { ConflictError } from '../../shared/errors.js';
import { recordEvent, recordEvents } from '../events/domain-events.js';
import { releaseReserved, reserveStock } from '../ledger/stock.repository.js';
import { incomingSupply } from '../supply/incoming-supply.js';
import * as repo from './promise.repository.js';

/**
 * The backorder queue of an item: re-planning promises when supply moves, and filling
 * waiting lines when goods arrive. Callers hold the item lock (repo.lockItems) and run
 * inside their own transaction, so a receipt and the promises it keeps commit together.
 */

export interface QueueChange {
  reason: string;
  actor: string;
  now: string;
}

/** Location code ↔ id, read once per call. */
async function locationIds(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('locations').select(['id', 'code']).execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

export async function rulesFor(
  db: Db,
  item: repo.ItemPromiseRow,
): Promise<Omit<PromiseRules, 'releaseDate'>> {
  const lead = await repo.findItemLeadTime(db, item.id);
  return {
    policy: item.backorder_policy,
    handlingDays: item.handling_days,
    backorderCap: item.backorder_cap,
    leadTimeDays: lead?.leadTimeDays ?? null,
    supplier: lead?.supplier ?? null,
  };
}

export function pegValues(
  peg: Peg,
  lineId: number,
  itemId: number,
  fallbackLocationId: number,
  ids: ReadonlyMap<string, number>,
): Insertable<BackorderPegsTable> {
  return {
    order_line_id: lineId,
    item_id: itemId,
    location_id: peg.kind === 'supply' ? ids.get(peg.location)! : fallbackLocationId,
    purchase_order_line_id:
      peg.kind === 'supply' && peg.source.kind === 'purchase_order' ? peg.source.lineId : null,
    transfer_id:
      peg.kind === 'supply' && peg.source.kind === 'transfer' ? peg.source.transferId : null,
    quantity: peg.quantity,
    expected_date: peg.expectedDate,
    confidence: peg.confidence,
  };
}

function pegKey(peg: { purchase_order_line_id: number | null; transfer_id: number | null }) {
  if (peg.purchase_order_line_id !== null) return `po_line:${peg.purchase_order_line_id}`;
  if (peg.transfer_id !== null) return `transfer:${peg.transfer_id}`;
  return null;
}

/**
 * Re-runs the promise of every waiting line of the items, first come first served, and
 * writes what changed: pegs, the promised counters on supply, the lines' dates, a promise
 * history row and an `order_line.repromised` event per line whose date or confidence
 * moved. Lines nothing can be promised for become unpromised and are listed for staff.
 */
export async function replanItems(
  trx: Db,
  itemIds: Iterable<number>,
  change: QueueChange,
): Promise<void> {
  const ids = [...new Set(itemIds)].sort((a, b) => a - b);
  if (ids.length === 0) return;
  const items = await repo.findItemsForPromise(trx, ids);
  const codes = await locationIds(trx);
  const channels = await repo.channelLocationCodes(trx);
  for (const item of items.sort((a, b) => a.id - b.id)) {
    await replanItem(trx, item, codes, channels, change);
  }
}

async function replanItem(
  trx: Db,
  item: repo.ItemPromiseRow,
  codes: ReadonlyMap<string, number>,
  channels: ReadonlyMap<number, string[]>,
  change: QueueChange,
): Promise<void> {
  const waiting = await repo.waitingLines(trx, item.id);
  const oldPegs = await repo.pegsOfItem(trx, item.id);
  if (waiting.length === 0 && oldPegs.length === 0) return;

  const supply = await incomingSupply(trx, item.id, [...codes.values()]);
  const rules = await rulesFor(trx, item);
  const leadDates = new Map<number, string>();
  for (const peg of oldPegs) {
    if (pegKey(peg) === null) leadDates.set(peg.order_line_id, peg.expected_date);
  }
  const queue: QueuedLine[] = waiting.map((line) => ({
    lineId: line.id,
    waiting: line.quantity_backordered,
    locations: channels.get(line.channel_id) ?? [],
    releaseDate: line.preorder === 1 ? item.release_date : null,
    promisedDate: line.promised_date,
    confidence: line.promise_confidence,
    leadTimeDate: leadDates.get(line.id) ?? null,
  }));
  const plan = replanQueue(queue, supply, rules, change.now.slice(0, 10));

  const queued = new Map(queue.map((q) => [q.lineId, q]));
  const before = new Map(waiting.map((w) => [w.id, w]));
  const newPegs = plan.flatMap((p) => {
    const line = queued.get(p.lineId)!;
    const home = codes.get(line.locations[0] ?? '') ?? [...codes.values()][0]!;
    return p.promise.pegs.map((peg) => pegValues(peg, p.lineId, item.id, home, codes));
  });
  if (!samePegs(oldPegs, newPegs)) {
    await repo.deletePegsOfItem(trx, item.id);
    await repo.insertPegs(trx, newPegs);
    await writePromisedCounters(trx, oldPegs, newPegs);
  }

  for (const p of plan) {
    const line = before.get(p.lineId)!;
    if (!p.changed && line.quantity_unpromised === p.promise.unpromised) continue;
    await trx
      .updateTable('order_lines')
      .set({
        quantity_unpromised: p.promise.unpromised,
        promised_date: p.promise.promisedDate,
        promise_confidence: p.promise.confidence,
        updated_at: change.now,
      })
      .where('id', '=', p.lineId)
      .execute();
    if (p.changed) await recordPromiseChange(trx, item, line, p.promise, change);
  }
}

function samePegs(
  old: readonly repo.PegRow[],
  next: readonly Insertable<BackorderPegsTable>[],
): boolean {
  if (old.length !== next.length) return false;
  return old.every((o, i) => {
    const n = next[i]!;
    return (
      o.order_line_id === n.order_line_id &&
      o.location_id === n.location_id &&
      o.purchase_order_line_id === n.purchase_order_line_id &&
      o.transfer_id === n.transfer_id &&
      o.quantity === n.quantity &&
      o.expected_date === n.expected_date &&
      o.confidence === n.confidence
    );
  });
}

/** Sets each supply's promised counter to the sum of its new pegs. */
async function writePromisedCounters(
  trx: Db,
  oldPegs: readonly repo.PegRow[],
  newPegs: readonly Insertable<BackorderPegsTable>[],
): Promise<void> {
  const totals = new Map<string, number>();
  for (const peg of oldPegs) {
    const key = pegKey(peg);
    if (key !== null) totals.set(key, 0);
  }
  for (const peg of newPegs) {
    const key = pegKey({
      purchase_order_line_id: peg.purchase_order_line_id ?? null,
      transfer_id: peg.transfer_id ?? null,
    });
    if (key !== null) totals.set(key, (totals.get(key) ?? 0) + peg.quantity);
  }
  for (const [key, total] of [...totals].sort()) {
    const [kind, id] = key.split(':') as [string, string];
    const ok =
      kind === 'po_line'
        ? await repo.setOrderLinePromised(trx, Number(id), total)
        : await repo.setTransferPromised(trx, Number(id), total);
    // The plan was made from rows read under the item lock; a refusal means a bug.
    if (!ok) throw new Error(`Re-plan would promise ${total} from ${key}, more than it brings`);
  }
}

async function recordPromiseChange(
  trx: Db,
  item: repo.ItemPromiseRow,
  before: repo.WaitingLineRow,
  after: LinePromise,
  change: QueueChange,
): Promise<void> {
  const { id: promiseChangeId } = await trx
    .insertInto('promise_changes')
    .values({
      order_line_id: before.id,
      old_date: before.promised_date,
      new_date: after.promisedDate,
      old_confidence: before.promise_confidence,
      new_confidence: after.confidence,
      reason: change.reason,
      created_at: change.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordEvent(trx, {
    type: 'order_line.repromised',
    subject: `order:${before.order_id}`,
    payload: {
      orderId: before.order_id,
      lineId: before.id,
      promiseChangeId: Number(promiseChangeId),
      sku: item.sku,
      waiting: before.quantity_backordered,
      oldDate: before.promised_date,
      newDate: after.promisedDate,
      oldConfidence: before.promise_confidence,
      newConfidence: after.confidence,
      direction: direction(before.promised_date, after.promisedDate),
      reason: change.reason,
    },
    actor: change.actor,
    now: change.now,
  });
}

function direction(old: string | null, next: string | null) {
  if (next === null) return 'unpromised';
  if (old === null) return 'promised';
  return next > old ? 'later' : next < old ? 'earlier' : 'confidence';
}

export interface Arrival {
  itemId: number;
  locationId: number;
  /** The supply the units came on; null for units freed by a cancellation, found or returned. */
  source: SupplySource | null;
  units: number;
}

/**
 * Arriving units fill the lines pegged to that supply in queue order, then lines of the
 * item waiting with no supply behind them whose channel draws on the location; only the
 * rest becomes available for sale. The on_hand increase must already be posted.
 */
export async function fillFromArrival(trx: Db, arrival: Arrival, change: QueueChange) {
  const key = arrival.source === null ? null : supplyKey(arrival.source);
  const waiting = await repo.waitingLines(trx, arrival.itemId);
  if (waiting.length === 0) return { filled: 0 };
  // Every peg of the item belongs to a waiting line: one statement, however long the queue.
  const pegs = await repo.pegsOfItem(trx, arrival.itemId);
  const servedHere = new Set(
    (
      await trx
        .selectFrom('channel_locations')
        .select('channel_id')
        .where('location_id', '=', arrival.locationId)
        .execute()
    ).map((r) => r.channel_id),
  );
  const pegsOf = new Map<number, repo.PegRow[]>();
  for (const peg of pegs)
    pegsOf.set(peg.order_line_id, [...(pegsOf.get(peg.order_line_id) ?? []), peg]);
  const lines = new Map(waiting.map((w) => [w.id, w]));
  const pegged: { lineId: number; quantity: number }[] = [];
  const unpegged: { lineId: number; quantity: number }[] = [];
  for (const line of waiting) {
    const own = pegsOf.get(line.id) ?? [];
    const onThis = own.filter((p) => key !== null && pegKey(p) === key);
    const onSupply = own.filter((p) => pegKey(p) !== null).reduce((s, p) => s + p.quantity, 0);
    const here = onThis.reduce((s, p) => s + p.quantity, 0);
    if (here > 0) pegged.push({ lineId: line.id, quantity: here });
    // Units not tied to a supply (stock freed or found) may serve any waiting unit.
    const free = line.quantity_backordered - (key === null ? 0 : onSupply);
    if (free > 0 && servedHere.has(line.channel_id))
      unpegged.push({ lineId: line.id, quantity: free });
  }
  const { fills } = planFill({ units: arrival.units, pegged, unpegged });
  const total = fills.reduce((s, f) => s + f.quantity, 0);
  if (total === 0) return { filled: 0 };

  const stockKey = { itemId: arrival.itemId, locationId: arrival.locationId };
  const { release_date: releaseDate } = await trx
    .selectFrom('items')
    .select('release_date')
    .where('id', '=', arrival.itemId)
    .executeTakeFirstOrThrow();
  if (!(await reserveStock(trx, stockKey, total, { respectSafetyStock: false }, change.now))) {
    throw new ConflictError(
      'STOCK_CHANGED',
      'The arriving units were taken before they could fill waiting orders',
      { itemId: arrival.itemId, locationId: arrival.locationId, units: total },
    );
  }
  // Decide every change first, then write them set by set: a receipt into a long queue
  // costs a few statements per thousand lines, not several per line.
  const pegTakes: { peg: repo.PegRow; take: number }[] = [];
  const takenOf = new Map<number, number>();
  // A line may be filled twice by one arrival (its pegged units, then the rest): sum first.
  const perLine = new Map<number, { quantity: number; unpromised: number }>();
  for (const fill of fills) {
    const line = lines.get(fill.lineId)!;
    const own = pegsOf.get(fill.lineId) ?? [];
    const sofar = perLine.get(fill.lineId) ?? { quantity: 0, unpromised: 0 };
    // Which promise the units keep: the pegs to this supply, or else unpromised units
    // first and then lead-time estimates.
    let left = fill.quantity;
    let unpromisedTaken = 0;
    if (!fill.pegged) {
      unpromisedTaken = Math.min(left, line.quantity_unpromised - sofar.unpromised);
      left -= unpromisedTaken;
    }
    const candidates = fill.pegged
      ? own.filter((p) => pegKey(p) === key)
      : [
          ...own.filter((p) => pegKey(p) === null),
          // Latest-due supply first: the earliest promises stay with the queue behind.
          ...own
            .filter((p) => pegKey(p) !== null)
            .sort((a, b) => b.expected_date.localeCompare(a.expected_date) || b.id - a.id),
        ];
    for (const peg of candidates) {
      if (left === 0) break;
      const take = Math.min(peg.quantity - (takenOf.get(peg.id) ?? 0), left);
      if (take <= 0) continue;
      pegTakes.push({ peg, take });
      takenOf.set(peg.id, (takenOf.get(peg.id) ?? 0) + take);
      left -= take;
    }
    perLine.set(fill.lineId, {
      quantity: sofar.quantity + fill.quantity,
      unpromised: sofar.unpromised + unpromisedTaken,
    });
  }
  const lineUpdates = new Map<string, number[]>();
  const ready: { orderId: number; lineId: number; filled: number }[] = [];
  for (const [lineId, filled] of perLine) {
    const line = lines.get(lineId)!;
    const done = line.quantity_backordered === filled.quantity;
    const shape = JSON.stringify([filled.quantity, filled.unpromised, done, line.preorder === 1]);
    lineUpdates.set(shape, [...(lineUpdates.get(shape) ?? []), lineId]);
    if (done) ready.push({ orderId: line.order_id, lineId, filled: filled.quantity });
  }
  await shrinkPegs(trx, pegTakes);
  for (const [shape, ids] of lineUpdates) {
    const [quantity, unpromisedTaken, done, preorder] = JSON.parse(shape) as [
      number,
      number,
      boolean,
      boolean,
    ];
    for (const chunk of chunks(ids)) {
      await trx
        .updateTable('order_lines')
        .set((eb) => ({
          quantity_allocated: eb('quantity_allocated', '+', quantity),
          quantity_backordered: eb('quantity_backordered', '-', quantity),
          quantity_unpromised: eb('quantity_unpromised', '-', unpromisedTaken),
          // Nothing left waiting: no promise, unless a preorder still ships on its release.
          ...(done &&
            (preorder && releaseDate !== null
              ? { promised_date: releaseDate, promise_confidence: 'confirmed' as const }
              : { promised_date: null, promise_confidence: null })),
          updated_at: change.now,
        }))
        .where('id', 'in', chunk)
        .execute();
    }
  }
  for (const chunk of chunks([...perLine])) {
    await trx
      .insertInto('allocations')
      .values(
        chunk.map(([lineId, filled]) => ({
          order_line_id: lineId,
          location_id: arrival.locationId,
          item_id: arrival.itemId,
          quantity: filled.quantity,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['order_line_id', 'location_id']).doUpdateSet((eb) => ({
          quantity: eb('allocations.quantity', '+', eb.ref('excluded.quantity')),
        })),
      )
      .execute();
  }
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
  return { filled: total };
}

/** Slices of a list small enough for one statement's bound parameters on both engines. */
function chunks<T>(list: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * Takes units off many pegs at once: pegs used up are deleted together, the rest shrunk
 * one by one (at most a few per fill), and each supply's promised counter drops once.
 */
async function shrinkPegs(trx: Db, parts: readonly { peg: repo.PegRow; take: number }[]) {
  const byPeg = new Map<number, { peg: repo.PegRow; take: number }>();
  for (const { peg, take } of parts) {
    byPeg.set(peg.id, { peg, take: (byPeg.get(peg.id)?.take ?? 0) + take });
  }
  const takes = [...byPeg.values()];
  const gone = takes.filter((t) => t.take === t.peg.quantity).map((t) => t.peg.id);
  for (const chunk of chunks(gone)) {
    await trx.deleteFrom('backorder_pegs').where('id', 'in', chunk).execute();
  }
  for (const { peg, take } of takes.filter((t) => t.take < t.peg.quantity)) {
    await trx
      .updateTable('backorder_pegs')
      .set((eb) => ({ quantity: eb('quantity', '-', take) }))
      .where('id', '=', peg.id)
      .execute();
  }
  const released = new Map<string, number>();
  for (const { peg, take } of takes) {
    const key = pegKey(peg);
    if (key !== null) released.set(key, (released.get(key) ?? 0) + take);
  }
  for (const [key, quantity] of [...released].sort()) {
    const [kind, id] = key.split(':') as [string, string];
    const ok =
      kind === 'po_line'
        ? await repo.releaseOrderLinePromise(trx, Number(id), quantity)
        : await repo.releaseTransferPromise(trx, Number(id), quantity);
    if (!ok) throw new Error(`Pegs held more of ${key} than it had promised`);
  }
}

/** Takes units off a peg and off the promised counter of the supply behind it. */
export async function shrinkPeg(trx: Db, peg: repo.PegRow, quantity: number): Promise<void> {
  if (quantity === peg.quantity) {
    await trx.deleteFrom('backorder_pegs').where('id', '=', peg.id).execute();
  } else {
    await trx
      .updateTable('backorder_pegs')
      .set((eb) => ({ quantity: eb('quantity', '-', quantity) }))
      .where('id', '=', peg.id)
      .execute();
  }
  const released =
    peg.purchase_order_line_id !== null
      ? await repo.releaseOrderLinePromise(trx, peg.purchase_order_line_id, quantity)
      : peg.transfer_id !== null
        ? await repo.releaseTransferPromise(trx, peg.transfer_id, quantity)
        : true;
  if (!released) throw new Error(`Peg ${peg.id} held more than its supply had promised`);
}

export async function addAllocation(
  trx: Db,
  lineId: number,
  itemId: number,
  locationId: number,
  quantity: number,
): Promise<void> {
  await trx
    .insertInto('allocations')
    .values({ order_line_id: lineId, location_id: locationId, item_id: itemId, quantity })
    .onConflict((oc) =>
      oc
        .columns(['order_line_id', 'location_id'])
        .doUpdateSet((eb) => ({ quantity: eb('allocations.quantity', '+', quantity) })),
    )
    .execute();
}

/**
 * Units that orders had reserved are gone (damage, a short count): the most recent
 * reservations at the location go back to waiting, unpromised until the re-plan that
 * must follow finds them supply. Returns the units released. The caller holds the item
 * lock; the releasing statement is conditional, so a concurrent change only makes the
 * later on_hand update refuse.
 */
export async function releaseReservations(
  trx: Db,
  key: { itemId: number; locationId: number },
  shortBy: number,
  change: QueueChange,
): Promise<number> {
  const allocations = await trx
    .selectFrom('allocations')
    .innerJoin('order_lines', 'order_lines.id', 'allocations.order_line_id')
    .select(['allocations.order_line_id', 'allocations.quantity', 'order_lines.order_id'])
    .where('allocations.item_id', '=', key.itemId)
    .where('allocations.location_id', '=', key.locationId)
    .where('allocations.quantity', '>', 0)
    .orderBy('allocations.order_line_id', 'desc')
    .execute();
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
    await trx
      .updateTable('allocations')
      .set((eb) => ({ quantity: eb('quantity', '-', take.quantity) }))
      .where('order_line_id', '=', take.lineId)
      .where('location_id', '=', key.locationId)
      .execute();
    await trx
      .updateTable('order_lines')
      .set((eb) => ({
        quantity_allocated: eb('quantity_allocated', '-', take.quantity),
        quantity_backordered: eb('quantity_backordered', '+', take.quantity),
        quantity_unpromised: eb('quantity_unpromised', '+', take.quantity),
        updated_at: change.now,
      }))
      .where('id', '=', take.lineId)
      .execute();
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
