import type { Transaction } from 'kysely';
import { setNextWave } from '../availability/availability-watcher.repository.js';
import type { DB } from '../db/schema.js';
import { nextWaveAt, waveSize } from '../domain/notify-waves.js';
import type { MessagingSettings } from '../kernel/messaging-settings.js';
import { enqueueMessages, type NewMessage } from '../kernel/outbox/outbox.repository.js';
import { firstWaiting, markNotified, type WaitingSubscriber } from './subscriptions.repository.js';

export interface WaveTarget {
  item: { id: number; sku: string };
  channel: { id: number; code: string };
  /** Units back on the shelf. */
  available: number;
  /** The wave's number: 1 for the first after a return. */
  wave: number;
}

/**
 * Notifies the next subscribers waiting for an item × channel, first come first, at most
 * the units back times the multiple, and schedules the next wave while people still
 * wait. The caller has taken the snapshot (a conditional update), so no other process
 * sends this wave.
 */
export async function sendWave(
  trx: Transaction<DB>,
  target: WaveTarget,
  settings: MessagingSettings,
  now: string,
): Promise<{ notified: number }> {
  const key = { itemId: target.item.id, channelId: target.channel.id };
  const size = waveSize(target.available, settings.notifyWaveMultiple);
  // One more than the wave takes, to know whether anyone is left for the next.
  const waiting = await firstWaiting(trx, key, size + 1);
  const chosen = waiting.slice(0, size);
  const done = new Set(
    await markNotified(
      trx,
      chosen.map((s) => s.id),
      target.wave,
      now,
    ),
  );
  const messages = chosen.filter((s) => done.has(s.id)).map((s) => backInStockMessage(s, target));
  if (messages.length > 0) await enqueueMessages(trx, messages, now);
  const stillWaiting = waiting.length > size;
  if (stillWaiting) {
    await setNextWave(trx, key, nextWaveAt(now, settings.notifyWaveDelayMinutes, true));
  }
  return { notified: messages.length };
}

function backInStockMessage(s: WaitingSubscriber, target: WaveTarget): NewMessage {
  return {
    dedupeKey: `subscription:${s.id}:back_in_stock`,
    audience: 'customer',
    transport: s.preferred_channel,
    template: 'back_in_stock',
    recipient: s.contact,
    customerId: s.customer_id,
    subscriptionId: s.id,
    data: {
      customerName: s.name,
      sku: target.item.sku,
      channel: target.channel.code,
      available: target.available,
      subscriptionId: s.id,
      token: s.token,
    },
  };
}
