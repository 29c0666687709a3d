import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Availability, AvailabilityState } from '../domain/availability.js';
import { type ChannelPicture, decideMove, isPhysicallyAvailable } from '../domain/notify-waves.js';
import type { Sighting } from './availability-reactions.js';
import {
  insertSnapshots,
  moveSnapshots,
  type NewSnapshot,
  type SnapshotRow,
  snapshotKey,
  snapshotsOf,
} from './availability-watcher.repository.js';
import type { ItemAvailabilities, WatchedChannel } from './channel-availability.js';

/**
 * Records what each item × channel of a chunk shows now against what it showed before,
 * by conditional writes: a first sighting is inserted unless someone recorded it first,
 * a change moves the snapshot only from what was read. Only the sightings whose write
 * hit (or that did not change) are this watcher's to act on.
 */

interface Plan extends Sighting {
  key: string;
}

export const pictureOf = (answer: Availability): ChannelPicture => ({
  state: answer.state,
  available: answer.quantities.available,
});

/**
 * The sightings this watcher recorded, in item then channel order; `snapshots` are those
 * read (readSnapshots) before the answers were worked out.
 */
export async function recordSightings(
  trx: Transaction<DB>,
  snapshots: ReadonlyMap<string, SnapshotRow>,
  answers: ReadonlyMap<number, ItemAvailabilities>,
  channels: readonly WatchedChannel[],
  now: string,
): Promise<Sighting[]> {
  const plans: Plan[] = [];
  for (const { item, byChannel } of answers.values()) {
    for (const channel of channels) {
      const key = snapshotKey(item.id, channel.id);
      const current = pictureOf(byChannel.get(channel.id)!);
      plans.push(planFor({ item, channel, key, current }, snapshots.get(key)));
    }
  }
  const inserted = await insertFirsts(trx, plans, now);
  const moved = await moveChanged(trx, plans, now);
  return plans
    .filter((p) =>
      p.previous === null ? inserted.has(p.key) : !p.move.changed || moved.has(p.key),
    )
    .map(({ key: _key, ...sighting }) => sighting);
}

/**
 * Inserts the first sightings. Those recorded first by someone else (a new subscription,
 * which takes no item lock) are judged against what they recorded instead.
 */
async function insertFirsts(trx: Transaction<DB>, plans: Plan[], now: string) {
  const firsts = plans.filter((p) => p.previous === null);
  const inserted = await insertSnapshots(
    trx,
    firsts.map(
      (p): NewSnapshot => ({
        item_id: p.item.id,
        channel_id: p.channel.id,
        state: p.current.state,
        available: p.current.available,
      }),
    ),
    now,
  );
  const lost = firsts.filter((p) => !inserted.has(p.key));
  if (lost.length > 0) {
    const recorded = await readSnapshots(trx, [...new Set(lost.map((p) => p.item.id))]);
    for (const p of lost) Object.assign(p, planFor(p, recorded.get(p.key)));
  }
  return inserted;
}

function moveChanged(trx: Transaction<DB>, plans: readonly Plan[], now: string) {
  const moves = plans.filter((p) => p.previous !== null && p.move.changed);
  return moveSnapshots(
    trx,
    moves.map((p) => ({
      itemId: p.item.id,
      channelId: p.channel.id,
      from: p.previous!,
      to: p.current,
      // Gone from the shelf: no wave is due; back: the first wave sets the next.
      resetWave: !isPhysicallyAvailable(p.current) || p.move.backInStock,
    })),
    now,
  );
}

/** What the items showed when last recorded, by snapshotKey. */
export async function readSnapshots(
  trx: Transaction<DB>,
  itemIds: readonly number[],
): Promise<Map<string, SnapshotRow>> {
  const rows = await snapshotsOf(trx, itemIds);
  return new Map(rows.map((s) => [snapshotKey(s.item_id, s.channel_id), s]));
}

function planFor(
  plan: Pick<Plan, 'item' | 'channel' | 'key' | 'current'>,
  previous: SnapshotRow | undefined,
): Plan {
  const before = previous
    ? { state: previous.state as AvailabilityState, available: previous.available }
    : null;
  return { ...plan, previous: previous ?? null, move: decideMove(before, plan.current) };
}
