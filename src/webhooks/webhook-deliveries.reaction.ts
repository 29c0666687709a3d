import type { EventReaction } from '../kernel/events/domain-events.js';
import { publicEventType } from '../kernel/events/event-types.js';
import { enqueueMessages, type NewMessage } from '../kernel/outbox/outbox.repository.js';
import { subscribedWebhooks } from './webhooks.repository.js';

/**
 * One delivery per event and endpoint subscribed to its public type (or to '*'), written
 * to the outbox in the transaction that records the event. Registered with the kernel at start.
 */
export const webhookDeliveriesReaction: EventReaction = async (db, events) => {
  const types = [...new Set(events.map((e) => publicEventType(e.type)))];
  const hooks = await subscribedWebhooks(db, types);
  if (hooks.length === 0) return;
  const out: NewMessage[] = [];
  for (const event of events) {
    const type = publicEventType(event.type);
    const seen = new Set<number>();
    for (const hook of hooks) {
      const id = Number(hook.id);
      if ((hook.event_type !== type && hook.event_type !== '*') || seen.has(id)) continue;
      seen.add(id);
      out.push({
        dedupeKey: `webhook:${id}:event:${event.id}`,
        audience: 'integrator',
        transport: 'webhook',
        template: type,
        recipient: hook.url,
        webhookId: id,
        data: {
          // The same id the live stream gives the event (its SSE id).
          id: event.id,
          type,
          createdAt: event.now,
          channel: event.channel ?? null,
          subject: event.subject,
          data: event.payload,
        },
      });
    }
  }
  if (out.length > 0) await enqueueMessages(db, out, events[0]!.now);
};
