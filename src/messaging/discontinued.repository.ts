import type { Db } from '../db/schema.js';

/**
 * Who is still waiting for an item that stopped: customers with units on backorder and
 * "notify me" subscribers. SQL only. (Ending the subscribers' wait is subscriptions' state;
 * it is written here until that capability registers a reaction of its own.)
 */

/** Order lines with units still on backorder for the item, with the customer to tell. */
export function backorderedLinesWithCustomers(db: Db, itemId: number) {
  return db
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
}

/** Subscriptions still waiting for the item. */
export function waitingSubscriptions(db: Db, itemId: number) {
  return db
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
}

/** Marks every subscription still waiting for the item as told. */
export async function endWaitingSubscriptions(db: Db, itemId: number, now: string): Promise<void> {
  await db
    .updateTable('subscriptions')
    .set({ state: 'notified', notified_at: now, updated_at: now })
    .where('item_id', '=', itemId)
    .where('state', '=', 'waiting')
    .execute();
}
