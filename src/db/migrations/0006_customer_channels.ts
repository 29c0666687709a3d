import { type Kysely, sql } from 'kysely';
import { idRef } from './helpers.js';

/**
 * A customer belongs to at most one channel: the one whose order created them (null for
 * customers staff create, unless staff say otherwise). A channel key may use only its
 * own channel's customers.
 *
 * Backfill: a customer whose orders all came from one channel belongs to it. One with no
 * orders (created by staff) or with orders on several channels belongs to none, so only
 * staff may use them: before this migration any channel key could attach any customer
 * id, so orders on two channels may be exactly that leak, and neither channel is trusted
 * with the customer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('customers')
    .addColumn('channel_id', idRef(db), (c) => c.references('channels.id'))
    .execute();
  await backfillCustomerChannels(db);
}

/** Exported for its test: a migrated database cannot be taken back to before 0006. */
export async function backfillCustomerChannels(db: Kysely<unknown>): Promise<void> {
  await sql`
    update customers set channel_id = (
      select min(o.channel_id) from orders o where o.customer_id = customers.id)
    where (
      select count(distinct o.channel_id) from orders o where o.customer_id = customers.id) = 1`.execute(
    db,
  );
}
