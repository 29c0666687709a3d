import type { Db } from '../db/schema.js';

/** What a line-change preview reads back from its own (rolled-back) transaction. SQL only. */

/** The newest event id: events above it were written after this point. */
export async function lastEventId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('domain_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** `order_line.repromised` events written after `afterId`, oldest first. */
export async function repromisedSince(
  db: Db,
  afterId: number,
): Promise<{ id: number; payload: string }[]> {
  const rows = await db
    .selectFrom('domain_events')
    .select(['id', 'payload'])
    .where('type', '=', 'order_line.repromised')
    .where('id', '>', afterId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: Number(r.id), payload: r.payload }));
}

export interface QueuedMessageRow {
  dedupe_key: string;
  template: string;
  transport: 'email' | 'sms' | 'webhook';
  recipient: string;
  data: string;
}

export async function messagesByKey(db: Db, keys: readonly string[]): Promise<QueuedMessageRow[]> {
  const rows: QueuedMessageRow[] = [];
  for (let i = 0; i < keys.length; i += 500) {
    rows.push(
      ...(await db
        .selectFrom('outbox_messages')
        .select(['dedupe_key', 'template', 'transport', 'recipient', 'data'])
        .where('dedupe_key', 'in', keys.slice(i, i + 500))
        .execute()),
    );
  }
  return rows;
}

export interface OrderCustomerRow {
  id: number;
  reference: string | null;
  channel: string;
  customerId: number | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  preferredChannel: 'email' | 'sms' | 'none' | null;
}

export async function orderCustomers(
  db: Db,
  orderIds: readonly number[],
): Promise<Map<number, OrderCustomerRow>> {
  const found = new Map<number, OrderCustomerRow>();
  for (let i = 0; i < orderIds.length; i += 500) {
    const rows = await db
      .selectFrom('orders as o')
      .innerJoin('channels as ch', 'ch.id', 'o.channel_id')
      .leftJoin('customers as c', 'c.id', 'o.customer_id')
      .select([
        'o.id',
        'o.reference',
        'ch.code as channel',
        'c.id as customerId',
        'c.name',
        'c.email',
        'c.phone',
        'c.preferred_channel as preferredChannel',
      ])
      .where('o.id', 'in', orderIds.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      const customerId = r.customerId === null ? null : Number(r.customerId);
      found.set(Number(r.id), { ...r, id: Number(r.id), customerId });
    }
  }
  return found;
}
