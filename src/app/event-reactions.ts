import { registerEventReaction } from '../kernel/events/domain-events.js';
import { customerMessagesReaction } from '../messaging/customer-messages.reaction.js';
import { discontinuedReaction } from '../messaging/discontinued.reaction.js';
import { webhookDeliveriesReaction } from '../webhooks/webhook-deliveries.reaction.js';
import { installAvailabilityReactions } from './availability-reactions.js';

/**
 * Registers what recorded events (and availability transitions) cause in other
 * capabilities. Every entry point that writes (the app, the command line, benchmarks)
 * calls this before its first write; registering again replaces, so calling it twice is
 * harmless.
 */
export function installEventReactions(): void {
  // In this order, so outbox rows keep their order: webhook deliveries, then customer
  // messages, then what a discontinued item tells those waiting for it.
  registerEventReaction('webhook-deliveries', webhookDeliveriesReaction);
  registerEventReaction('customer-messages', customerMessagesReaction);
  registerEventReaction('item-discontinued', discontinuedReaction);
  installAvailabilityReactions();
}
