import type { SubscriptionRow } from './subscriptions.repository.js';
import type { NewSubscription, Subscription } from './subscriptions.schemas.js';

/** Subscription rows as the API shows them. */

function positionOf(row: SubscriptionRow): number | null {
  return row.state === 'waiting' ? Number(row.waiting_up_to) : null;
}

export function toNewSubscription(row: SubscriptionRow): NewSubscription {
  return {
    id: row.id,
    sku: row.sku,
    channel: row.channel,
    state: row.state,
    position: positionOf(row),
    token: row.token,
    createdAt: row.created_at,
  };
}

export function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    sku: row.sku,
    channel: row.channel,
    state: row.state,
    position: positionOf(row),
    name: row.name,
    email: row.email,
    phone: row.phone,
    preferredChannel: row.preferred_channel,
    contact: row.contact,
    customerId: row.customer_id,
    wave: row.wave,
    createdAt: row.created_at,
    notifiedAt: row.notified_at,
    updatedAt: row.updated_at,
  };
}
