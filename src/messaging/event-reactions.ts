import type { Db } from '../db/schema.js';
import {
  CUSTOMER_EVENT_TYPES,
  customerMessagesFor,
  type OrderContact,
} from '../domain/customer-messages.js';
import {
  type EventReaction,
  type NewDomainEvent,
  orderIdOf,
} from '../kernel/events/domain-events.js';
import { publicEventType } from '../kernel/events/event-types.js';
import { enqueueMessages, type NewMessage } from '../kernel/outbox/outbox.repository.js';
import { routeFor } from './recipients.js';

/**
 * What events cause for messaging, inside the transaction that records them: webhook
 * deliveries to the endpoints subscribed to an event's type, and messages to the
 * customer of the order it is about. Registered with the kernel at start.
 */
export const messagingReaction: EventReaction = async (db, events) => {
  const orders = await orderContacts(db, events);
  const ids = events.map((e) => e.id);
  const messages: NewMessage[] = [
    ...(await webhookDeliveries(db, events, ids)),
    ...customerMessages(events, ids, orders),
    ...(await discontinuedMessages(db, events)),
  ];
  if (messages.length > 0) await enqueueMessages(db, messages, events[0]!.now);
};

/** The orders behind events that message a customer or do not name their channel. */
async function orderContacts(
  db: Db,
  events: readonly NewDomainEvent[],
): Promise<Map<number, OrderContact>> {
  const ids = new Set<number>();
  for (const event of events) {
    const id = orderIdOf(event);
    if (id === undefined) continue;
    if (CUSTOMER_EVENT_TYPES.has(event.type)) ids.add(id);
  }
  const found = new Map<number, OrderContact>();
  const all = [...ids];
  for (let i = 0; i < all.length; i += 500) {
    const rows = await db
      .selectFrom('orders as o')
      .innerJoin('channels as ch', 'ch.id', 'o.channel_id')
      .leftJoin('customers as c', 'c.id', 'o.customer_id')
      .select([
        'o.id',
        'o.reference',
        'ch.code as channel',
        'ch.kind as channelKind',
        'c.id as customerId',
        'c.name',
        'c.email',
        'c.phone',
        'c.preferred_channel as preferredChannel',
      ])
      .where('o.id', 'in', all.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      found.set(Number(r.id), {
        orderId: Number(r.id),
        reference: r.reference,
        channel: r.channel,
        channelKind: r.channelKind,
        customer:
          r.customerId === null
            ? null
            : {
                id: Number(r.customerId),
                name: r.name!,
                email: r.email,
                phone: r.phone,
                preferredChannel: r.preferredChannel!,
              },
      });
    }
  }
  return found;
}

function customerMessages(
  events: readonly NewDomainEvent[],
  ids: readonly number[],
  orders: Map<number, OrderContact>,
): NewMessage[] {
  const out: NewMessage[] = [];
  for (const [i, event] of events.entries()) {
    if (!CUSTOMER_EVENT_TYPES.has(event.type)) continue;
    const order = orders.get(orderIdOf(event) ?? -1);
    if (!order?.customer) continue;
    const route = routeFor(order.customer);
    if (!route) continue;
    for (const planned of customerMessagesFor({ ...event, id: ids[i]! }, order)) {
      out.push({
        dedupeKey: `${planned.dedupeKey}:${route.transport}`,
        audience: 'customer',
        transport: route.transport,
        template: planned.kind,
        recipient: route.recipient,
        customerId: order.customer.id,
        orderId: order.orderId,
        data: planned.data,
      });
    }
  }
  return out;
}

/** One delivery per event and endpoint subscribed to its public type (or to '*'). */
async function webhookDeliveries(
  db: Db,
  events: readonly NewDomainEvent[],
  ids: readonly number[],
): Promise<NewMessage[]> {
  const types = [...new Set(events.map((e) => publicEventType(e.type)))];
  const hooks = await db
    .selectFrom('webhook_events as we')
    .innerJoin('webhooks as w', 'w.id', 'we.webhook_id')
    .select(['w.id', 'w.url', 'we.event_type'])
    .where('w.active', '=', 1)
    .where('we.event_type', 'in', [...types, '*'])
    .execute();
  if (hooks.length === 0) return [];
  const out: NewMessage[] = [];
  events.forEach((event, i) => {
    const type = publicEventType(event.type);
    const seen = new Set<number>();
    for (const hook of hooks) {
      const id = Number(hook.id);
      if ((hook.event_type !== type && hook.event_type !== '*') || seen.has(id)) continue;
      seen.add(id);
      out.push({
        dedupeKey: `webhook:${id}:event:${ids[i]}`,
        audience: 'integrator',
        transport: 'webhook',
        template: type,
        recipient: hook.url,
        webhookId: id,
        data: {
          // The same id the live stream gives the event (its SSE id).
          id: ids[i],
          type,
          createdAt: event.now,
          channel: event.channel ?? null,
          subject: event.subject,
          data: event.payload,
        },
      });
    }
  });
  return out;
}

/**
 * An item stopped: everyone still waiting for it hears, with alternatives: customers
 * with units on backorder, and "notify me" subscribers (whose wait ends here).
 */
async function discontinuedMessages(
  db: Db,
  events: readonly NewDomainEvent[],
): Promise<NewMessage[]> {
  const out: NewMessage[] = [];
  for (const event of events) {
    if (event.type !== 'item.discontinued') continue;
    const { itemId, sku } = event.payload as { itemId: number; sku: string };
    const lines = await db
      .selectFrom('order_lines as l')
      .innerJoin('orders as o', 'o.id', 'l.order_id')
      .innerJoin('channels as ch', 'ch.id', 'o.channel_id')
      .innerJoin('customers as c', 'c.id', 'o.customer_id')
      .select([
        'l.id as lineId',
        'l.quantity_backordered as waiting',
        'o.id as orderId',
        'o.reference',
        'ch.code as channel',
        'c.id as customerId',
        'c.name',
        'c.email',
        'c.phone',
        'c.preferred_channel as preferredChannel',
      ])
      .where('l.item_id', '=', itemId)
      .where('l.quantity_backordered', '>', 0)
      .orderBy('l.id')
      .execute();
    for (const line of lines) {
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
    const subscribers = await db
      .selectFrom('subscriptions as s')
      .innerJoin('channels as ch', 'ch.id', 's.channel_id')
      .select([
        's.id',
        's.name',
        's.contact',
        's.preferred_channel',
        's.customer_id',
        'ch.code as channel',
      ])
      .where('s.item_id', '=', itemId)
      .where('s.state', '=', 'waiting')
      .orderBy('s.id')
      .execute();
    if (subscribers.length > 0) {
      // Their wait is over: nothing will come back in stock to notify them about.
      await db
        .updateTable('subscriptions')
        .set({ state: 'notified', notified_at: event.now, updated_at: event.now })
        .where('item_id', '=', itemId)
        .where('state', '=', 'waiting')
        .execute();
    }
    for (const s of subscribers) {
      out.push({
        dedupeKey: `item:${itemId}:discontinued:subscription:${s.id}`,
        audience: 'customer',
        transport: s.preferred_channel,
        template: 'discontinued',
        recipient: s.contact,
        customerId: s.customer_id === null ? null : Number(s.customer_id),
        subscriptionId: Number(s.id),
        data: { customerName: s.name, channel: s.channel, sku, subscriptionId: Number(s.id) },
      });
    }
  }
  return out;
}
