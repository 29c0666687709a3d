import { type Insertable, type Selectable, sql } from 'kysely';
import type { ChannelScope } from '../access/channel-scope.js';
import type { Db } from '../db/schema.js';
import type { SubscriptionState, SubscriptionsTable } from '../db/tables/communication.js';

/** "Notify me" subscriptions: the queue per item × channel is the id order of waiting rows. */

export type SubscriptionRow = Selectable<SubscriptionsTable> & {
  sku: string;
  channel: string;
  waiting_up_to: number | string | null;
};

function selectSubscriptions(db: Db) {
  return db
    .selectFrom('subscriptions as s')
    .innerJoin('items as i', 'i.id', 's.item_id')
    .innerJoin('channels as ch', 'ch.id', 's.channel_id')
    .selectAll('s')
    .select((eb) => [
      'i.sku',
      'ch.code as channel',
      // Place in the queue (meaningful while waiting): the waiting rows up to this one,
      // counted on the partial index of waiting subscriptions.
      eb
        .selectFrom('subscriptions as w')
        .select((w) => w.fn.countAll<number>().as('n'))
        .whereRef('w.item_id', '=', 's.item_id')
        .whereRef('w.channel_id', '=', 's.channel_id')
        .where('w.state', '=', 'waiting')
        .whereRef('w.id', '<=', 's.id')
        .as('waiting_up_to'),
    ]);
}

export function findSubscription(db: Db, id: number): Promise<SubscriptionRow | undefined> {
  return selectSubscriptions(db).where('s.id', '=', id).executeTakeFirst();
}

export function findSubscriptionByToken(
  db: Db,
  token: string,
): Promise<SubscriptionRow | undefined> {
  return selectSubscriptions(db).where('s.token', '=', token).executeTakeFirst();
}

/** The one waiting subscription of a contact for an item × channel, if any. */
export function findWaiting(
  db: Db,
  key: { itemId: number; channelId: number; contact: string },
): Promise<SubscriptionRow | undefined> {
  return selectSubscriptions(db)
    .where('s.item_id', '=', key.itemId)
    .where('s.channel_id', '=', key.channelId)
    .where('s.contact', '=', key.contact)
    .where('s.state', '=', 'waiting')
    .executeTakeFirst();
}

/**
 * Adds a waiting subscription unless the contact already waits for the item × channel
 * (the unique partial index decides, so two requests at once add one). Returns the new
 * id, or null when one was already waiting.
 */
export async function insertSubscription(
  db: Db,
  values: Insertable<SubscriptionsTable>,
): Promise<number | null> {
  const row = await db
    .insertInto('subscriptions')
    .values(values)
    .onConflict((oc) =>
      oc
        .columns(['item_id', 'channel_id', 'contact'])
        // A literal, as in the index: SQLite matches a partial index's WHERE by its text.
        .where('state', '=', sql.lit('waiting'))
        .doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  return row ? Number(row.id) : null;
}

export function listSubscriptions(
  db: Db,
  filter: {
    itemId?: number;
    channelId?: number;
    state?: SubscriptionState;
    afterId: number;
    limit: number;
  },
): Promise<SubscriptionRow[]> {
  let query = selectSubscriptions(db)
    .where('s.id', '>', filter.afterId)
    .orderBy('s.id')
    .limit(filter.limit);
  if (filter.itemId !== undefined) query = query.where('s.item_id', '=', filter.itemId);
  if (filter.channelId !== undefined) query = query.where('s.channel_id', '=', filter.channelId);
  if (filter.state !== undefined) query = query.where('s.state', '=', filter.state);
  return query.execute();
}

/** Ends a subscription, whatever it was waiting for; false when it had ended already. */
export async function unsubscribe(db: Db, token: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('subscriptions')
    .set({ state: 'unsubscribed', updated_at: now })
    .where('token', '=', token)
    .where('state', '!=', 'unsubscribed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function unsubscribeById(db: Db, id: number, now: string): Promise<void> {
  await db
    .updateTable('subscriptions')
    .set({ state: 'unsubscribed', updated_at: now })
    .where('id', '=', id)
    .where('state', '!=', 'unsubscribed')
    .execute();
}

/** The name of the item a subscription waits for; undefined for no such subscription. */
export async function subscriptionItemName(db: Db, id: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('subscriptions as s')
    .innerJoin('items as i', 'i.id', 's.item_id')
    .select('i.name')
    .where('s.id', '=', id)
    .executeTakeFirst();
  return row?.name;
}

export interface WaitingSubscriber {
  id: number;
  name: string | null;
  contact: string;
  preferred_channel: 'email' | 'sms';
  customer_id: number | null;
  token: string;
}

/** The first `limit` subscribers waiting for an item × channel, first come first. */
export function firstWaiting(
  db: Db,
  key: { itemId: number; channelId: number },
  limit: number,
): Promise<WaitingSubscriber[]> {
  return db
    .selectFrom('subscriptions')
    .select(['id', 'name', 'contact', 'preferred_channel', 'customer_id', 'token'])
    .where('item_id', '=', key.itemId)
    .where('channel_id', '=', key.channelId)
    .where('state', '=', 'waiting')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Marks subscribers notified by a wave. Only those still waiting change (one who
 * unsubscribed a moment ago stays out); returns the ids that did.
 */
export async function markNotified(
  db: Db,
  ids: readonly number[],
  wave: number,
  now: string,
): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable('subscriptions')
    .set({ state: 'notified', wave, notified_at: now, updated_at: now })
    .where('id', 'in', ids)
    .where('state', '=', 'waiting')
    .returning('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

/** Of the given items, the item × channel pairs someone is waiting for, as "item/channel". */
export async function waitingPairs(db: Db, itemIds: readonly number[]): Promise<Set<string>> {
  if (itemIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('subscriptions')
    .select(['item_id', 'channel_id'])
    .distinct()
    .where('item_id', 'in', itemIds)
    .where('state', '=', 'waiting')
    .execute();
  return new Set(rows.map((r) => `${r.item_id}/${r.channel_id}`));
}

/** The wave that last notified someone for an item × channel (0: none yet). */
export async function lastWave(db: Db, key: { itemId: number; channelId: number }) {
  const row = await db
    .selectFrom('subscriptions')
    .select('wave')
    .where('item_id', '=', key.itemId)
    .where('channel_id', '=', key.channelId)
    .where('state', '!=', 'waiting')
    .where('wave', 'is not', null)
    .orderBy('notified_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.wave ?? 0;
}

/** With a channel scope, another channel's customer is not found, like a missing one. */
export function findCustomer(db: Db, id: number, scope: ChannelScope) {
  return db
    .selectFrom('customers')
    .select(['id', 'name'])
    .where('id', '=', id)
    .$if(scope !== null, (q) => q.where('channel_id', '=', scope!.channelId))
    .executeTakeFirst();
}
