import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { AppContext } from '../kernel/context.js';
import { type NewDomainEvent, recordEvents } from '../kernel/events/domain-events.js';
import {
  DEFAULT_MESSAGING_SETTINGS,
  type MessagingSettings,
} from '../kernel/messaging-settings.js';
import {
  prepareReactions,
  type Sighting,
  type SightingReaction,
} from './availability-reactions.js';
import {
  claimChanges,
  deleteChanges,
  lockItems,
  queueReleasedItems,
} from './availability-watcher.repository.js';
import {
  availabilityOnChannels,
  loadChannels,
  type WatchedChannel,
} from './channel-availability.js';
import { readSnapshots, recordSightings } from './record-sightings.js';

/**
 * The availability watcher (DESIGN section 7): triggers queue the items whose stock,
 * supply or rules moved (availability_changes); this turns them into what each channel
 * now shows, and acts once on each change: an availability.changed event, and what the
 * reactions other capabilities registered do (src/availability/availability-reactions.ts:
 * the first "notify me" wave when units are back on the shelf, the low-stock alert opened
 * or resolved). Everything a batch causes commits with the deletion of its queue rows, so a
 * crash replays the batch and a replay finds nothing left to do.
 *
 * Several processes may run it at once. On PostgreSQL they claim disjoint queue rows
 * (SKIP LOCKED); two batches may still hold the same item, so each run takes a
 * transaction lock per item before reading anything about it (the later run then sees
 * what the earlier committed, never an older picture), and each snapshot moves by a
 * conditional update from what was read to what was found: only the process whose
 * update hits acts on the change. On SQLite write transactions already run one at a time.
 */

const ACTOR = 'system:availability';
/** Queue rows per transaction. */
const DEFAULT_BATCH = 1000;
/** Items whose availability is read together (a few statements per chunk). */
const CHUNK = 500;

export interface WatchResult {
  /** Distinct items examined. */
  items: number;
  /** Events this watcher recorded: availability.changed and item.back_in_stock. */
  events: number;
  /** Subscribers notified by first waves. */
  notified: number;
}

const settingsOf = (ctx: AppContext): MessagingSettings =>
  ctx.messaging ?? DEFAULT_MESSAGING_SETTINGS;

/** Drains the queue of changed items, a batch per transaction; returns what it did. */
export async function watchAvailability(
  ctx: AppContext,
  options: { batch?: number } = {},
): Promise<WatchResult> {
  const batch = options.batch ?? DEFAULT_BATCH;
  const totals: WatchResult = { items: 0, events: 0, notified: 0 };
  const today = ctx.clock.now().toISOString().slice(0, 10);
  await ctx.db.transaction().execute((trx) => queueReleasedItems(trx, today));
  for (;;) {
    const now = ctx.clock.now().toISOString();
    const round = await ctx.db.transaction().execute((trx) => watchBatch(trx, ctx, batch, now));
    if (round === null) break;
    totals.items += round.result.items;
    totals.events += round.result.events;
    totals.notified += round.result.notified;
    // A short batch: the queue is drained, or the rest is another watcher's.
    if (round.claimed < batch) break;
  }
  return totals;
}

/** One batch of queued changes, deleted with everything it causes; null when none is left. */
async function watchBatch(trx: Transaction<DB>, ctx: AppContext, batch: number, now: string) {
  const postgres = ctx.dbKind === 'postgres';
  const claimed = await claimChanges(trx, batch, postgres);
  if (claimed.length === 0) return null;
  const channels = await loadChannels(trx);
  const itemIds = [...new Set(claimed.map((c) => c.item_id))].sort((a, b) => a - b);
  const result: WatchResult = { items: itemIds.length, events: 0, notified: 0 };
  // Chunks in item order: every run locks items in the same order.
  for (let i = 0; i < itemIds.length; i += CHUNK) {
    const part = await watchChunk(trx, itemIds.slice(i, i + CHUNK), {
      channels,
      settings: settingsOf(ctx),
      now,
      postgres,
    });
    result.events += part.events;
    result.notified += part.notified;
  }
  await deleteChanges(
    trx,
    claimed.map((c) => c.id),
  );
  return { claimed: claimed.length, result };
}

async function watchChunk(
  trx: Transaction<DB>,
  itemIds: readonly number[],
  round: {
    channels: readonly WatchedChannel[];
    settings: MessagingSettings;
    now: string;
    postgres: boolean;
  },
): Promise<{ events: number; notified: number }> {
  const { channels, settings, now } = round;
  if (round.postgres) await lockItems(trx, itemIds);
  const snapshots = await readSnapshots(trx, itemIds);
  const today = now.slice(0, 10);
  const answers = await availabilityOnChannels(trx, itemIds, channels, today);
  const items = [...answers.values()].map((a) => a.item);
  const reactions = await prepareReactions(trx, { items, channels, now, today, settings });
  const sightings = await recordSightings(trx, snapshots, answers, channels, now);
  const events: NewDomainEvent[] = [];
  let notified = 0;
  for (const sighting of sightings) {
    const told = await react(trx, reactions, sighting);
    notified += told;
    events.push(...eventsOf(sighting, told, now));
  }
  await recordEvents(trx, events);
  return { events: events.length, notified };
}

/**
 * Every reaction, unchanged pictures too: the alert may need to follow the item's rules,
 * or come back after staff closed it by hand; a wave may be due for people who joined
 * while units were on the shelf. Returns the subscribers notified.
 */
async function react(
  trx: Transaction<DB>,
  reactions: readonly SightingReaction[],
  sighting: Sighting,
): Promise<number> {
  let notified = 0;
  for (const reaction of reactions) notified += await reaction(trx, sighting);
  return notified;
}

/** availability.changed for a change, and item.back_in_stock when units are back. */
function eventsOf(
  { item, channel, previous, current, move }: Sighting,
  notified: number,
  now: string,
): NewDomainEvent[] {
  if (previous === null || !move.changed) return [];
  const event = { subject: `item:${item.sku}`, actor: ACTOR, now, channel: channel.code };
  const changed: NewDomainEvent = {
    ...event,
    type: 'availability.changed',
    payload: {
      sku: item.sku,
      channel: channel.code,
      state: current.state,
      available: current.available,
      previousState: previous.state,
      previousAvailable: previous.available,
    },
  };
  if (!move.backInStock) return [changed];
  return [
    changed,
    {
      ...event,
      type: 'item.back_in_stock',
      payload: {
        sku: item.sku,
        channel: channel.code,
        state: current.state,
        available: current.available,
        notified,
      },
    },
  ];
}
