import type { AlertKind, Message, MessageState } from './types';

/** Staff read "failed", not the outbox's word "dead": retrying is what they can do about it. */
export const STATE_LABELS: Record<MessageState, string> = {
  pending: 'Pending',
  sent: 'Sent',
  dead: 'Failed',
};

export const STATE_COLOURS: Record<MessageState, string> = {
  pending: 'yellow',
  sent: 'green',
  dead: 'red',
};

export const TRANSPORT_LABELS: Record<Message['transport'], string> = {
  email: 'Email',
  sms: 'SMS',
  webhook: 'Webhook',
};

export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  low_stock: 'Low stock',
  shortage_ahead: 'Shortage ahead',
  po_overdue: 'Purchase order overdue',
};

/** The same titles the server gives each kind (src/messaging/templates.ts KIND_TITLES). */
const KIND_TITLES: Record<string, string> = {
  backorder_confirmed: 'Backorder confirmed',
  promised: 'Delivery date found',
  delay: 'Delay notice',
  earlier_date: 'Earlier delivery date',
  unpromised: 'No delivery date',
  ready: 'Ready',
  shipped: 'Shipped',
  discontinued: 'Item discontinued',
  back_in_stock: 'Back in stock',
  alert_low_stock: 'Low stock alert',
  alert_shortage_ahead: 'Shortage ahead alert',
  alert_po_overdue: 'Purchase order overdue alert',
};

/** A message kind's title; a webhook's "kind" is its event type, shown as it is. */
export function kindTitle(kind: string): string {
  return KIND_TITLES[kind] ?? kind;
}
