/**
 * Which customer message an order event calls for, and the key that makes it unique.
 * Pure: the caller looked up the order's customer and channel, and routes the result.
 */

export const CUSTOMER_MESSAGE_KINDS = [
  'backorder_confirmed',
  'promised',
  'delay',
  'earlier_date',
  'unpromised',
  'ready',
  'shipped',
  'discontinued',
  'back_in_stock',
] as const;
export const STAFF_MESSAGE_KINDS = [
  'alert_low_stock',
  'alert_shortage_ahead',
  'alert_po_overdue',
] as const;
export const MESSAGE_KINDS = [...CUSTOMER_MESSAGE_KINDS, ...STAFF_MESSAGE_KINDS] as const;
export type CustomerMessageKind = (typeof CUSTOMER_MESSAGE_KINDS)[number];
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** The order an event is about, with what a message to its customer needs. */
export interface OrderContact {
  orderId: number;
  reference: string | null;
  channel: string;
  channelKind: string;
  customer: {
    id: number;
    name: string;
    email: string | null;
    phone: string | null;
    preferredChannel: 'email' | 'sms' | 'none';
  } | null;
}

export interface PlannedMessage {
  kind: CustomerMessageKind;
  dedupeKey: string;
  data: Record<string, unknown>;
}

interface EventLike {
  /** The recorded event's id. */
  id: number;
  type: string;
  payload: unknown;
}

// biome-ignore lint/suspicious/noExplicitAny: event payloads are JSON written by the use cases
type Payload = Record<string, any>;

/** Order events that may message the customer; the others need no customer lookup. */
export const CUSTOMER_EVENT_TYPES: ReadonlySet<string> = new Set([
  'order.backordered',
  'order_line.repromised',
  'order_line.ready',
  'order.shipped',
]);

export function customerMessagesFor(event: EventLike, order: OrderContact): PlannedMessage[] {
  if (!order.customer || order.customer.preferredChannel === 'none') return [];
  const p = event.payload as Payload;
  const base = {
    customerName: order.customer.name,
    orderId: order.orderId,
    reference: order.reference,
    channel: order.channel,
    channelKind: order.channelKind,
  };
  switch (event.type) {
    case 'order.backordered':
      return [
        {
          kind: 'backorder_confirmed',
          dedupeKey: `order:${order.orderId}:backorder_confirmed`,
          data: {
            ...base,
            lines: (p.lines as Payload[]).map((l) => ({
              sku: l.sku,
              quantity: l.backordered,
              promisedDate: l.promisedDate,
              confidence: l.confidence,
              preorder: l.preorder,
            })),
          },
        },
      ];
    case 'order_line.repromised': {
      const kind = repromiseKind(p.direction as string);
      if (!kind) return [];
      return [
        {
          kind,
          dedupeKey: `promise_change:${p.promiseChangeId}`,
          data: {
            ...base,
            lineId: p.lineId,
            sku: p.sku,
            quantity: p.waiting,
            oldDate: p.oldDate,
            newDate: p.newDate,
            confidence: p.newConfidence,
            reason: p.reason,
          },
        },
      ];
    }
    case 'order_line.ready':
      // A line can become ready again after losing its reservation (units found missing
      // in a count); each time is an event of its own, recorded once.
      return [
        {
          kind: 'ready',
          dedupeKey: `order_line:${p.lineId}:ready:${event.id}`,
          data: { ...base, lineId: p.lineId, quantity: p.filled },
        },
      ];
    case 'order.shipped':
      return [
        {
          kind: 'shipped',
          dedupeKey: `order:${order.orderId}:fulfilment:${p.fulfilmentId}:shipped`,
          data: {
            ...base,
            fulfilmentId: p.fulfilmentId,
            lines: (p.lines as Payload[]).map((l) => ({ sku: l.sku, quantity: l.quantity })),
          },
        },
      ];
    default:
      return [];
  }
}

/** A later date is a delay; an earlier one good news; no date at all asks them to choose. */
function repromiseKind(direction: string): CustomerMessageKind | null {
  switch (direction) {
    case 'later':
      return 'delay';
    case 'earlier':
      return 'earlier_date';
    case 'unpromised':
      return 'unpromised';
    case 'promised':
      return 'promised';
    default:
      // Only the confidence changed: nothing the customer needs to hear.
      return null;
  }
}
