import type { ItemRulesRow } from '../availability/availability.repository.js';
import type { AvailabilityReaction, Sighting } from '../availability/availability-reactions.js';
import { scheduleIdleWave, snapshotKey } from '../availability/availability-watcher.repository.js';
import { isPhysicallyAvailable } from '../domain/notify-waves.js';
import { sendWave } from './send-wave.js';
import { waitingPairs } from './subscriptions.repository.js';

/**
 * What the availability watcher's sightings mean for "notify me": units back on the
 * shelf send the first wave to those waiting; units on the shelf with people waiting and
 * no wave coming put one due now. Registered at start (src/app/availability-reactions.ts).
 */
export const waveReaction: AvailabilityReaction = async (trx, chunk) => {
  const waiting = await waitingPairs(
    trx,
    chunk.items.map((i) => i.id),
  );
  return async (trx, sighting) => {
    const { item, channel, current, move, previous } = sighting;
    if (!servesWaves(item, waiting, sighting)) return 0;
    if (move.backInStock) {
      const target = { item, channel, available: current.available, wave: 1 };
      return (await sendWave(trx, target, chunk.settings, chunk.now)).notified;
    }
    if (isPhysicallyAvailable(current) && (previous?.next_wave_at ?? null) === null) {
      // Units on the shelf, people waiting, no wave coming: a due wave found the shelf
      // empty for a moment (and ended the schedule) before the units were back, or
      // someone joined just after the last wave. The next wave is due now.
      await scheduleIdleWave(trx, { itemId: item.id, channelId: channel.id }, current, chunk.now);
    }
    return 0;
  };
};

/**
 * Someone waits, for an item that is still sold: subscribers of a discontinued item were
 * told so when it stopped (src/messaging/discontinued.reaction.ts), and the units it sells
 * through are not the return they waited for.
 */
function servesWaves(item: ItemRulesRow, waiting: ReadonlySet<string>, sighting: Sighting) {
  return item.status === 'active' && waiting.has(snapshotKey(item.id, sighting.channel.id));
}
