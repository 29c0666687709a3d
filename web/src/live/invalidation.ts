import type { QueryClient } from '@tanstack/react-query';
import type { LiveEvent, LiveEventType } from './event-stream';

/*
 * Which cached queries an event makes stale, by the path prefix their key starts with
 * (keys are [pathTemplate, params], see src/api/query.ts). Broad on purpose: a refetch
 * of a visible screen is cheap, a stale number on it is not.
 */
// Alerts too: a low-stock alert resolves, silently, when availability rises again.
const AVAILABILITY = ['/v1/availability', '/v1/stock', '/v1/items', '/v1/reports', '/v1/alerts'];
const ORDERS = ['/v1/orders', '/v1/order-lines', '/v1/customers', '/v1/messages', ...AVAILABILITY];
const PURCHASING = ['/v1/purchase-orders', '/v1/supply', '/v1/suppliers', ...AVAILABILITY];
const TRANSFERS = ['/v1/transfers', '/v1/supply', ...AVAILABILITY];
const ALERTS = ['/v1/alerts'];

export const INVALIDATES: Record<LiveEventType, readonly string[]> = {
  'availability.changed': AVAILABILITY,
  'item.back_in_stock': [...AVAILABILITY, '/v1/subscriptions', '/v1/messages'],
  'item.discontinued': AVAILABILITY,
  'stock.low': [...AVAILABILITY, ...ALERTS],
  'alert.raised': ALERTS,
  'order.placed': ORDERS,
  'order.backordered': ORDERS,
  'order.repromised': ORDERS,
  'order.ready': ORDERS,
  'order.reservation_lost': ORDERS,
  'order.cancelled': ORDERS,
  'order.shipped': ORDERS,
  'order.picked_up': ORDERS,
  // A restocked return may fill waiting lines of other orders.
  'order.line_returned': ORDERS,
  // A move or a larger line changes stock at two locations and may fill other orders.
  'order.line_changed': ORDERS,
  // A hold moves reserved stock; released or lapsed units may fill waiting lines; a
  // converted one is a new order.
  'hold.created': AVAILABILITY,
  'hold.extended': [],
  'hold.released': ORDERS,
  'hold.expired': ORDERS,
  'hold.converted': ORDERS,
  'po.sent': PURCHASING,
  'po.confirmed': PURCHASING,
  'po.cancelled': PURCHASING,
  'po.line_changed': [...PURCHASING, ...ORDERS],
  'po.received': [...PURCHASING, ...ORDERS],
  'po.line_returned': PURCHASING,
  'transfer.dispatched': TRANSFERS,
  'transfer.received': TRANSFERS,
  'transfer.expected_date_changed': [...TRANSFERS, ...ORDERS],
};

export function invalidateFor(queryClient: QueryClient, event: LiveEvent): Promise<void> {
  const prefixes = INVALIDATES[event.type] ?? [];
  if (prefixes.length === 0) return Promise.resolve();
  return queryClient.invalidateQueries({
    predicate: (query) => {
      const path = query.queryKey[0];
      return typeof path === 'string' && prefixes.some((prefix) => path.startsWith(prefix));
    },
  });
}
