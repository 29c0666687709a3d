import type {
  AvailabilityReaction,
  Sighting,
  WatchedChunk,
} from '../availability/availability-reactions.js';
import { decideLowStock } from '../domain/notify-waves.js';
import { openAlertKeys, openKey, resolveAlert } from './alerts.repository.js';
import { openAlert } from './open-alert.js';

/**
 * The low-stock alert of each item × channel follows what the availability watcher sees:
 * opened when an active, released item is at or below its threshold, resolved when it
 * no longer is. Unchanged pictures too: the alert may need to follow the item's rules,
 * or come back after staff closed it by hand. Opening and resolving are idempotent.
 * Registered at start (src/app/availability-reactions.ts).
 */
export const lowStockReaction: AvailabilityReaction = async (trx, chunk) => {
  const openLow = await openAlertKeys(trx, lowStockKeys(chunk));
  return async (trx, sighting) => {
    const { item, channel, current } = sighting;
    const subject = lowStockSubject(item.sku, channel.code);
    const change = decideLowStock(
      current,
      {
        threshold: item.low_stock_threshold,
        active: item.status === 'active',
        released: item.release_date === null || item.release_date <= chunk.today,
      },
      openLow.has(openKey('low_stock', subject)),
    );
    if (change.low) {
      await openAlert(trx, lowStockAlert(sighting), chunk.settings, chunk.now);
    } else if (change.recovered) {
      await resolveAlert(trx, 'low_stock', subject, chunk.now);
    }
    return 0;
  };
};

const lowStockSubject = (sku: string, channel: string) => `item:${sku}/${channel}`;

function lowStockKeys({ items, channels }: WatchedChunk): string[] {
  return items.flatMap((item) =>
    channels.map((c) => openKey('low_stock', lowStockSubject(item.sku, c.code))),
  );
}

function lowStockAlert({ item, channel, current }: Sighting) {
  return {
    kind: 'low_stock' as const,
    subject: lowStockSubject(item.sku, channel.code),
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
  };
}
