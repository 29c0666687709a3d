import {
  CUSTOMER_EVENT_TYPES,
  customerMessagesFor,
  type OrderContact,
} from '../domain/customer-messages.js';
import {
  type EventReaction,
  orderIdOf,
  type RecordedEvent,
} from '../kernel/events/domain-events.js';
import { enqueueMessages, type NewMessage } from '../kernel/outbox/outbox.repository.js';
import { orderContacts } from './order-contacts.repository.js';
import { routeFor } from './recipients.js';

/**
 * Messages to the customer of the order an event is about, written to the outbox in the
 * transaction that records the event. Registered with the kernel at start.
 */
export const customerMessagesReaction: EventReaction = async (db, events) => {
  const ids = new Set<number>();
  for (const event of events) {
    const id = orderIdOf(event);
    if (id !== undefined && CUSTOMER_EVENT_TYPES.has(event.type)) ids.add(id);
  }
  if (ids.size === 0) return;
  const messages = customerMessages(events, await orderContacts(db, [...ids]));
  if (messages.length > 0) await enqueueMessages(db, messages, events[0]!.now);
};

function customerMessages(
  events: readonly RecordedEvent[],
  orders: Map<number, OrderContact>,
): NewMessage[] {
  const out: NewMessage[] = [];
  for (const event of events) {
    if (!CUSTOMER_EVENT_TYPES.has(event.type)) continue;
    const order = orders.get(orderIdOf(event) ?? -1);
    if (!order?.customer) continue;
    const route = routeFor(order.customer);
    if (!route) continue;
    for (const planned of customerMessagesFor(event, order)) {
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
