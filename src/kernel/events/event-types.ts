/**
 * Domain events keep the names the use cases gave them (order_line.ready); integrators see
 * stable public names (order.ready) in webhooks and the live stream. This is the one map.
 */
const RENAMED: Record<string, string> = {
  'order_line.repromised': 'order.repromised',
  'order_line.ready': 'order.ready',
  'order_line.reservation_lost': 'order.reservation_lost',
};

export function publicEventType(domainType: string): string {
  const renamed = RENAMED[domainType];
  if (renamed) return renamed;
  if (domainType.startsWith('purchase_order.'))
    return `po.${domainType.slice('purchase_order.'.length)}`;
  return domainType;
}

/** Event types a webhook may subscribe to ('*' takes them all). */
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
