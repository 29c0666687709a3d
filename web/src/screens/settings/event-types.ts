/*
 * The event types a webhook may subscribe to. The API documents them only in prose (the
 * schema takes any string and answers 400 UNKNOWN_EVENT_TYPE), so they are listed here as
 * src/kernel/events/event-types.ts has them; a type missing here is still refused by the API.
 */
export const WEBHOOK_EVENT_TYPES = [
  'availability.changed',
  'item.back_in_stock',
  'item.discontinued',
  'stock.low',
  'alert.raised',
  'order.placed',
  'order.backordered',
  'order.repromised',
  'order.ready',
  'order.reservation_lost',
  'order.cancelled',
  'order.shipped',
  'order.picked_up',
  'order.line_returned',
  'order.line_changed',
  'hold.created',
  'hold.extended',
  'hold.released',
  'hold.expired',
  'hold.converted',
  'po.sent',
  'po.confirmed',
  'po.cancelled',
  'po.line_changed',
  'po.received',
  'po.line_returned',
  'transfer.dispatched',
  'transfer.received',
  'transfer.expected_date_changed',
] as const;

export const ALL_EVENTS = '*';
