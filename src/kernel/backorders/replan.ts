import type { Transaction } from 'kysely';
import type { DB, Db } from '../../db/schema.js';
import { compareQueue } from '../../domain/fair-queue.js';
import {
  type LinePromise,
  type PromiseRules,
  type QueuedLine,
  replanQueue,
} from '../../domain/promising.js';
import { recordEvent } from '../events/domain-events.js';
import { incomingSupply } from '../supply/incoming-supply.js';
import { insertPromiseChange, setLinePromise } from './line-promise.repository.js';
import { linesRepegged, pegKey, pegValues, samePegs, writePromisedCounters } from './pegs.js';
import * as repo from './promise.repository.js';
import { rulesOf } from './promise-inputs.js';
import { findItemLeadTime } from './promise-inputs.repository.js';
import type { QueueChange } from './queue-change.js';

/**
 * Re-planning an item's backorder queue when its supply moves. Callers hold the item lock
 * (lockItems) and run inside their own transaction, so the change that moved the supply
 * and the promises it moves commit together.
 */

export async function rulesFor(
  db: Db,
  item: repo.ItemPromiseRow,
): Promise<Omit<PromiseRules, 'releaseDate'>> {
  return rulesOf(item, await findItemLeadTime(db, item.id));
}

/**
 * Re-runs the promise of every waiting line of the items, first come first served, and
 * writes what changed: pegs, the promised counters on supply, the lines' dates, a promise
 * history row and an `order_line.repromised` event per line whose date or confidence
 * moved. Lines nothing can be promised for become unpromised and are listed for staff.
 */
export async function replanItems(
  trx: Transaction<DB>,
  itemIds: Iterable<number>,
  change: QueueChange,
): Promise<void> {
  const ids = [...new Set(itemIds)].sort((a, b) => a - b);
  if (ids.length === 0) return;
  const items = await repo.findItemsForPromise(trx, ids);
  const codes = await repo.locationIds(trx);
  const channels = await repo.channelLocationCodes(trx);
  for (const item of items.sort((a, b) => a.id - b.id)) {
    await replanItem(trx, item, codes, channels, change);
  }
}

async function replanItem(
  trx: Transaction<DB>,
  item: repo.ItemPromiseRow,
  codes: ReadonlyMap<string, number>,
  channels: ReadonlyMap<number, string[]>,
  change: QueueChange,
): Promise<void> {
  // Queue order: staff priority, then placement (domain/fair-queue.ts), as fills use it.
  const waiting = (await repo.waitingLines(trx, item.id)).sort((a, b) =>
    compareQueue({ lineId: a.id, priority: a.priority }, { lineId: b.id, priority: b.priority }),
  );
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
  const repegged = new Set<number>();
  if (!samePegs(oldPegs, newPegs)) {
    await repo.deletePegsOfItem(trx, item.id);
    await repo.insertPegs(trx, newPegs);
    await writePromisedCounters(trx, oldPegs, newPegs);
    for (const lineId of linesRepegged(oldPegs, newPegs)) repegged.add(lineId);
  }

  for (const p of plan) {
    const line = before.get(p.lineId)!;
    // A line whose units now rest on other supply is rewritten too, if only its updated_at:
    // its document changed, and incremental sync (updatedSince) must see it.
    const same = !p.changed && line.quantity_unpromised === p.promise.unpromised;
    if (same && !repegged.has(p.lineId)) continue;
    await setLinePromise(trx, p.lineId, p.promise, change.now);
    if (p.changed) await recordPromiseChange(trx, item, line, p.promise, change);
  }
}

async function recordPromiseChange(
  trx: Transaction<DB>,
  item: repo.ItemPromiseRow,
  before: repo.WaitingLineRow,
  after: LinePromise,
  change: QueueChange,
): Promise<void> {
  const promiseChangeId = await insertPromiseChange(trx, {
    lineId: before.id,
    oldDate: before.promised_date,
    newDate: after.promisedDate,
    oldConfidence: before.promise_confidence,
    newConfidence: after.confidence,
    reason: change.reason,
    now: change.now,
  });
  await recordEvent(trx, {
    type: 'order_line.repromised',
    subject: `order:${before.order_id}`,
    payload: {
      orderId: before.order_id,
      lineId: before.id,
      promiseChangeId,
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
