import type { Db } from '../db/schema.js';
import type { EventReaction, RecordedEvent } from '../kernel/events/domain-events.js';
import { enqueueMessages, type NewMessage } from '../kernel/outbox/outbox.repository.js';
import {
  backorderedLinesWithCustomers,
  endWaitingSubscriptions,
  waitingSubscriptions,
} from './discontinued.repository.js';
import { routeFor } from './recipients.js';

/**
 * An item stopped: everyone still waiting for it hears, with alternatives: customers
 * with units on backorder, and "notify me" subscribers (whose wait ends here). Runs in
 * the transaction that records the event. Registered with the kernel at start.
 */
export const discontinuedReaction: EventReaction = async (db, events) => {
  const out: NewMessage[] = [];
  for (const event of events) {
    if (event.type !== 'item.discontinued') continue;
    out.push(...(await backorderMessages(db, event)), ...(await subscriberMessages(db, event)));
  }
  if (out.length > 0) await enqueueMessages(db, out, events[0]!.now);
};

type Discontinued = { itemId: number; sku: string };

async function backorderMessages(db: Db, event: RecordedEvent): Promise<NewMessage[]> {
  const { itemId, sku } = event.payload as Discontinued;
  const out: NewMessage[] = [];
  for (const line of await backorderedLinesWithCustomers(db, itemId)) {
    const route = routeFor(line);
    if (!route) continue;
    out.push({
      dedupeKey: `item:${itemId}:discontinued:line:${line.lineId}:${route.transport}`,
      audience: 'customer',
      transport: route.transport,
      template: 'discontinued',
      recipient: route.recipient,
      customerId: Number(line.customerId),
      orderId: Number(line.orderId),
      data: {
        customerName: line.name,
        orderId: Number(line.orderId),
        reference: line.reference,
        channel: line.channel,
        lineId: Number(line.lineId),
        sku,
        quantity: line.waiting,
      },
    });
  }
  return out;
}

async function subscriberMessages(db: Db, event: RecordedEvent): Promise<NewMessage[]> {
  const { itemId, sku } = event.payload as Discontinued;
  const subscribers = await waitingSubscriptions(db, itemId);
  // Their wait is over: nothing will come back in stock to notify them about.
  if (subscribers.length > 0) await endWaitingSubscriptions(db, itemId, event.now);
  return subscribers.map((s) => ({
    dedupeKey: `item:${itemId}:discontinued:subscription:${s.id}`,
    audience: 'customer',
    transport: s.preferred_channel,
    template: 'discontinued',
    recipient: s.contact,
    customerId: s.customer_id === null ? null : Number(s.customer_id),
    subscriptionId: Number(s.id),
    data: { customerName: s.name, channel: s.channel, sku, subscriptionId: Number(s.id) },
  }));
}
