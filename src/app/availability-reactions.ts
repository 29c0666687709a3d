import { lowStockReaction } from '../alerts/low-stock-reaction.js';
import { registerAvailabilityReaction } from '../availability/availability-reactions.js';
import { waveReaction } from '../subscriptions/wave-reaction.js';

/**
 * Registers what the availability watcher's sightings cause in other capabilities, in
 * the order they act on each item × channel: the "notify me" wave, then the low-stock
 * alert. Called with the event reactions (src/app/event-reactions.ts), so every entry
 * point that writes has them; registering again replaces, so twice is harmless.
 */
export function installAvailabilityReactions(): void {
  registerAvailabilityReaction('subscriptions', waveReaction);
  registerAvailabilityReaction('alerts', lowStockReaction);
}
