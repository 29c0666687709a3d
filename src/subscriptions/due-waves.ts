import type { Transaction } from 'kysely';
import {
  dueWaves,
  lockItems,
  type SnapshotRow,
  takeDueWave,
} from '../availability/availability-watcher.repository.js';
import {
  availabilityOnChannels,
  type ItemAvailabilities,
  loadChannels,
} from '../availability/channel-availability.js';
import { pictureOf } from '../availability/record-sightings.js';
import type { DB } from '../db/schema.js';
import { isPhysicallyAvailable } from '../domain/notify-waves.js';
import type { AppContext } from '../kernel/context.js';
import {
  DEFAULT_MESSAGING_SETTINGS,
  type MessagingSettings,
} from '../kernel/messaging-settings.js';
import { sendWave } from './send-wave.js';
import { lastWave } from './subscriptions.repository.js';

/** Due waves taken per transaction. */
const DUE_BATCH = 200;
/** Items whose availability is read together (a few statements per chunk). */
const CHUNK = 500;

/**
 * Sends the waves that are due: where units are still on the shelf and people still
 * wait, the next subscribers hear; where the units went, the schedule ends (a later
 * return starts again with a first wave). Returns how many subscribers were notified.
 */
export async function runDueWaves(ctx: AppContext): Promise<{ notified: number }> {
  const settings = ctx.messaging ?? DEFAULT_MESSAGING_SETTINGS;
  let notified = 0;
  for (;;) {
    const now = ctx.clock.now().toISOString();
    const due = await dueWaves(ctx.db, now, DUE_BATCH);
    if (due.length === 0) break;
    const round = await ctx.db
      .transaction()
      .execute((trx) => sendDueWaves(trx, ctx.dbKind === 'postgres', due, settings, now));
    notified += round.sent;
    // Nothing taken: what is left is another process's, or moved under us; stop here.
    if (round.taken === 0 || due.length < DUE_BATCH) break;
  }
  return { notified };
}

async function sendDueWaves(
  trx: Transaction<DB>,
  postgres: boolean,
  due: readonly SnapshotRow[],
  settings: MessagingSettings,
  now: string,
): Promise<{ taken: number; sent: number }> {
  const channels = await loadChannels(trx);
  const itemIds = [...new Set(due.map((d) => d.item_id))].sort((a, b) => a - b);
  if (postgres) await lockItems(trx, itemIds);
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
    // Taken with no next wave; sendWave schedules one if anyone is left.
    if (!(await takeDueWave(trx, d, null))) continue;
    taken += 1;
    if (
      !entry ||
      !answer ||
      !channel ||
      entry.item.status !== 'active' ||
      !isPhysicallyAvailable(pictureOf(answer))
    ) {
      continue;
    }
    const wave = (await lastWave(trx, { itemId: d.item_id, channelId: d.channel_id })) + 1;
    const target = { item: entry.item, channel, available: answer.quantities.available, wave };
    sent += (await sendWave(trx, target, settings, now)).notified;
  }
  return { taken, sent };
}
