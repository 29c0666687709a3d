import { openAlert, resolveAlert } from '../alerts/alerts.repository.js';
import type { Db } from '../db/schema.js';
import type { Availability, AvailabilityState } from '../domain/availability.js';
import {
  type ChannelPicture,
  decideTransition,
  isPhysicallyAvailable,
  nextWaveAt,
  type Transition,
  waveSize,
} from '../domain/notify-waves.js';
import type { AppContext } from '../kernel/context.js';
import { type NewDomainEvent, recordEvents } from '../kernel/events/domain-events.js';
import {
  DEFAULT_MESSAGING_SETTINGS,
  type MessagingSettings,
} from '../kernel/messaging-settings.js';
import { enqueueMessages, type NewMessage } from '../kernel/outbox/outbox.repository.js';
import {
  firstWaiting,
  lastWave,
  markNotified,
  waitingPairs,
} from '../subscriptions/subscriptions.repository.js';
import type { ItemRulesRow } from './availability.repository.js';
import {
  claimChanges,
  deleteChanges,
  dueWaves,
  insertSnapshots,
  lockItems,
  moveSnapshots,
  type NewSnapshot,
  openAlertKeys,
  queueReleasedItems,
  type SnapshotRow,
  scheduleIdleWave,
  setNextWave,
  snapshotKey,
  snapshotsOf,
  takeDueWave,
} from './availability-watcher.repository.js';
import {
  availabilityOnChannels,
  type ItemAvailabilities,
  loadChannels,
  type WatchedChannel,
} from './channel-availability.js';

/**
 * The availability watcher (DESIGN section 7): triggers queue the items whose stock,
 * supply or rules moved (availability_changes); this turns them into what each channel
 * now shows, and acts once on each change: an availability.changed event, the first
 * "notify me" wave when units are back on the shelf, and the low-stock alert opened or
 * resolved. Everything a batch causes commits with the deletion of its queue rows, so a
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
/** Due waves taken per transaction. */
const DUE_BATCH = 200;

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
const pictureOf = (answer: Availability): ChannelPicture => ({
  state: answer.state,
  available: answer.quantities.available,
});
const lowStockSubject = (sku: string, channel: string) => `item:${sku}/${channel}`;
/** The open_key alerts.repository.ts gives an open low-stock alert. */
const lowStockKey = (sku: string, channel: string) => `low_stock:${lowStockSubject(sku, channel)}`;

/** Drains the queue of changed items, a batch per transaction; returns what it did. */
export async function watchAvailability(
  ctx: AppContext,
  options: { batch?: number } = {},
): Promise<WatchResult> {
  const batch = options.batch ?? DEFAULT_BATCH;
  const settings = settingsOf(ctx);
  const postgres = ctx.dbKind === 'postgres';
  const totals: WatchResult = { items: 0, events: 0, notified: 0 };
  const today = ctx.clock.now().toISOString().slice(0, 10);
  await ctx.db.transaction().execute((trx) => queueReleasedItems(trx, today));
  for (;;) {
    const now = ctx.clock.now().toISOString();
    const round = await ctx.db.transaction().execute(async (trx) => {
      const claimed = await claimChanges(trx, batch, postgres);
      if (claimed.length === 0) return null;
      const channels = await loadChannels(trx);
      const itemIds = [...new Set(claimed.map((c) => c.item_id))].sort((a, b) => a - b);
      const result: WatchResult = { items: itemIds.length, events: 0, notified: 0 };
      // Chunks in item order: every run locks items in the same order.
      for (let i = 0; i < itemIds.length; i += CHUNK) {
        const part = await watchChunk(
          trx,
          itemIds.slice(i, i + CHUNK),
          channels,
          settings,
          now,
          postgres,
        );
        result.events += part.events;
        result.notified += part.notified;
      }
      await deleteChanges(
        trx,
        claimed.map((c) => c.id),
      );
      return { claimed: claimed.length, result };
    });
    if (round === null) break;
    totals.items += round.result.items;
    totals.events += round.result.events;
    totals.notified += round.result.notified;
    // A short batch: the queue is drained, or the rest is another watcher's.
    if (round.claimed < batch) break;
  }
  return totals;
}

interface Plan {
  item: ItemRulesRow;
  channel: WatchedChannel;
  key: string;
  previous: SnapshotRow | undefined;
  current: ChannelPicture;
  transition: Transition;
}

async function watchChunk(
  trx: Db,
  itemIds: readonly number[],
  channels: readonly WatchedChannel[],
  settings: MessagingSettings,
  now: string,
  postgres: boolean,
): Promise<{ events: number; notified: number }> {
  if (postgres) await lockItems(trx, itemIds);
  const snapshots = await snapshotMap(trx, itemIds);
  const today = now.slice(0, 10);
  const answers = await availabilityOnChannels(trx, itemIds, channels, today);
  const openLow = await openAlertKeys(
    trx,
    [...answers.values()].flatMap(({ item }) => channels.map((c) => lowStockKey(item.sku, c.code))),
  );
  const waiting = await waitingPairs(trx, itemIds);
  const plans: Plan[] = [];
  for (const { item, byChannel } of answers.values()) {
    for (const channel of channels) {
      const key = snapshotKey(item.id, channel.id);
      const current = pictureOf(byChannel.get(channel.id)!);
      plans.push(planFor(item, channel, key, snapshots.get(key), current, openLow, today));
    }
  }

  const firsts = plans.filter((p) => p.previous === undefined);
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
  // Recorded first by someone else (a new subscription, which takes no item lock): judge
  // the change against what they recorded.
  const lost = firsts.filter((p) => !inserted.has(p.key));
  if (lost.length > 0) {
    const recorded = await snapshotMap(trx, [...new Set(lost.map((p) => p.item.id))]);
    for (const p of lost) {
      Object.assign(
        p,
        planFor(p.item, p.channel, p.key, recorded.get(p.key), p.current, openLow, today),
      );
    }
  }

  const moves = plans.filter((p) => p.previous !== undefined && p.transition.changed);
  const moved = await moveSnapshots(
    trx,
    moves.map((p) => ({
      itemId: p.item.id,
      channelId: p.channel.id,
      from: p.previous!,
      to: p.current,
      // Gone from the shelf: no wave is due; back: the first wave sets the next.
      resetWave: !isPhysicallyAvailable(p.current) || p.transition.backInStock,
    })),
    now,
  );

  const events: NewDomainEvent[] = [];
  let notified = 0;
  for (const plan of plans) {
    const { item, channel, key, previous, current, transition } = plan;
    if (previous === undefined) {
      if (!inserted.has(key)) continue;
    } else if (transition.changed) {
      if (!moved.has(key)) continue;
      const event = { subject: `item:${item.sku}`, actor: ACTOR, now, channel: channel.code };
      events.push({
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
      });
      if (transition.backInStock) {
        const wave = servesWaves(item, waiting, key)
          ? await sendWave(trx, item, channel, current.available, 1, settings, now)
          : { notified: 0 };
        notified += wave.notified;
        events.push({
          ...event,
          type: 'item.back_in_stock',
          payload: {
            sku: item.sku,
            channel: channel.code,
            state: current.state,
            available: current.available,
            notified: wave.notified,
          },
        });
      }
    }
    if (
      !transition.backInStock &&
      isPhysicallyAvailable(current) &&
      servesWaves(item, waiting, key) &&
      (previous?.next_wave_at ?? null) === null
    ) {
      // Units on the shelf, people waiting, no wave coming: a due wave found the shelf
      // empty for a moment (and ended the schedule) before the units were back, or
      // someone joined just after the last wave. The next wave is due now.
      await scheduleIdleWave(trx, { itemId: item.id, channelId: channel.id }, current, now);
    }
    // Unchanged pictures too: the alert may need to follow the item's rules, or come back
    // after staff closed it by hand. Opening and resolving are idempotent.
    await followLowStock(trx, plan, settings, now);
  }
  await recordEvents(trx, events);
  return { events: events.length, notified };
}

/**
 * Someone waits, for an item that is still sold: subscribers of a discontinued item were
 * told so when it stopped (src/messaging/event-reactions.ts), and the units it sells
 * through are not the return they waited for.
 */
function servesWaves(item: ItemRulesRow, waiting: ReadonlySet<string>, key: string): boolean {
  return item.status === 'active' && waiting.has(key);
}

async function snapshotMap(trx: Db, itemIds: readonly number[]) {
  const rows = await snapshotsOf(trx, itemIds);
  return new Map(rows.map((s) => [snapshotKey(s.item_id, s.channel_id), s]));
}

function planFor(
  item: ItemRulesRow,
  channel: WatchedChannel,
  key: string,
  previous: SnapshotRow | undefined,
  current: ChannelPicture,
  openLow: ReadonlySet<string>,
  today: string,
): Plan {
  const transition = decideTransition(
    previous ? { state: previous.state as AvailabilityState, available: previous.available } : null,
    current,
    {
      threshold: item.low_stock_threshold,
      active: item.status === 'active',
      released: item.release_date === null || item.release_date <= today,
    },
    openLow.has(lowStockKey(item.sku, channel.code)),
  );
  return { item, channel, key, previous, current, transition };
}

async function followLowStock(
  trx: Db,
  { item, channel, current, transition }: Plan,
  settings: MessagingSettings,
  now: string,
): Promise<void> {
  const subject = lowStockSubject(item.sku, channel.code);
  if (transition.low) {
    await openAlert(
      trx,
      {
        kind: 'low_stock',
        subject,
        itemId: item.id,
        channelId: channel.id,
        message: `${item.sku} (${item.name}) is low on ${channel.code}: ${current.available} available, threshold ${item.low_stock_threshold}`,
        details: {
          sku: item.sku,
          name: item.name,
          channel: channel.code,
          state: current.state,
          available: current.available,
          threshold: item.low_stock_threshold,
        },
      },
      settings,
      now,
    );
  } else if (transition.recovered) {
    await resolveAlert(trx, 'low_stock', subject, now);
  }
}

/**
 * Notifies the next subscribers waiting for an item × channel, first come first, at most
 * the units back times the multiple, and schedules the next wave while people still
 * wait. The caller has taken the snapshot (a conditional update), so no other process
 * sends this wave.
 */
async function sendWave(
  trx: Db,
  item: { id: number; sku: string },
  channel: { id: number; code: string },
  available: number,
  wave: number,
  settings: MessagingSettings,
  now: string,
): Promise<{ notified: number }> {
  const key = { itemId: item.id, channelId: channel.id };
  const size = waveSize(available, settings.notifyWaveMultiple);
  // One more than the wave takes, to know whether anyone is left for the next.
  const waiting = await firstWaiting(trx, key, size + 1);
  const chosen = waiting.slice(0, size);
  const done = new Set(
    await markNotified(
      trx,
      chosen.map((s) => s.id),
      wave,
      now,
    ),
  );
  const messages: NewMessage[] = chosen
    .filter((s) => done.has(s.id))
    .map((s) => ({
      dedupeKey: `subscription:${s.id}:back_in_stock`,
      audience: 'customer',
      transport: s.preferred_channel,
      template: 'back_in_stock',
      recipient: s.contact,
      customerId: s.customer_id,
      subscriptionId: s.id,
      data: {
        customerName: s.name,
        sku: item.sku,
        channel: channel.code,
        available,
        subscriptionId: s.id,
        token: s.token,
      },
    }));
  if (messages.length > 0) await enqueueMessages(trx, messages, now);
  const stillWaiting = waiting.length > size;
  if (stillWaiting) {
    await setNextWave(trx, key, nextWaveAt(now, settings.notifyWaveDelayMinutes, true));
  }
  return { notified: messages.length };
}

/**
 * Sends the waves that are due: where units are still on the shelf and people still
 * wait, the next subscribers hear; where the units went, the schedule ends (a later
 * return starts again with a first wave). Returns how many subscribers were notified.
 */
export async function runDueWaves(ctx: AppContext): Promise<{ notified: number }> {
  const settings = settingsOf(ctx);
  let notified = 0;
  for (;;) {
    const now = ctx.clock.now().toISOString();
    const due = await dueWaves(ctx.db, now, DUE_BATCH);
    if (due.length === 0) break;
    const round = await ctx.db.transaction().execute(async (trx) => {
      const channels = await loadChannels(trx);
      const itemIds = [...new Set(due.map((d) => d.item_id))].sort((a, b) => a - b);
      if (ctx.dbKind === 'postgres') await lockItems(trx, itemIds);
      const answers = new Map<number, ItemAvailabilities>();
      for (let i = 0; i < itemIds.length; i += CHUNK) {
        const part = await availabilityOnChannels(
          trx,
          itemIds.slice(i, i + CHUNK),
          channels,
          now.slice(0, 10),
        );
        for (const [id, entry] of part) answers.set(id, entry);
      }
      const channelOf = new Map(channels.map((c) => [c.id, c]));
      const ordered = [...due].sort((a, b) => a.item_id - b.item_id || a.channel_id - b.channel_id);
      let taken = 0;
      let sent = 0;
      for (const d of ordered) {
        const entry = answers.get(d.item_id);
        const answer = entry?.byChannel.get(d.channel_id);
        const channel = channelOf.get(d.channel_id);
        if (
          !entry ||
          !answer ||
          !channel ||
          entry.item.status !== 'active' ||
          !isPhysicallyAvailable(pictureOf(answer))
        ) {
          if (await takeDueWave(trx, d, null)) taken += 1;
          continue;
        }
        // Taken with no next wave; sendWave schedules one if anyone is left.
        if (!(await takeDueWave(trx, d, null))) continue;
        taken += 1;
        const wave = (await lastWave(trx, { itemId: d.item_id, channelId: d.channel_id })) + 1;
        const result = await sendWave(
          trx,
          entry.item,
          channel,
          answer.quantities.available,
          wave,
          settings,
          now,
        );
        sent += result.notified;
      }
      return { taken, sent };
    });
    notified += round.sent;
    // Nothing taken: what is left is another process's, or moved under us; stop here.
    if (round.taken === 0 || due.length < DUE_BATCH) break;
  }
  return { notified };
}
