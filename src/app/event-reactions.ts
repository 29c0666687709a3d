import { registerEventReaction } from '../kernel/events/domain-events.js';
import { messagingReaction } from '../messaging/event-reactions.js';
import { installAvailabilityReactions } from './availability-reactions.js';

/**
 * Registers what recorded events cause in other capabilities. Every entry point that
 * writes (the app, the command line, benchmarks) calls this before its first write;
 * registering again replaces, so calling it twice is harmless.
 */
export function installEventReactions(): void {
  registerEventReaction('messaging', messagingReaction);
  installAvailabilityReactions();
}
