import type { Insertable, Selectable, Updateable } from 'kysely';
import type { ChannelScope } from '../access/channel-scope.js';
import type { Db } from '../db/schema.js';
import type { CustomersTable } from '../db/tables/orders.js';

/** Customers' contact details. SQL only. */

export type CustomerRow = Selectable<CustomersTable> & { channel: string | null };

export async function insertCustomer(db: Db, row: Insertable<CustomersTable>): Promise<number> {
  const { id } = await db
    .insertInto('customers')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

function selectCustomers(db: Db) {
  return db
    .selectFrom('customers')
    .leftJoin('channels', 'channels.id', 'customers.channel_id')
    .selectAll('customers')
    .select('channels.code as channel');
}

/**
 * A customer the caller may use: with a channel scope, only that channel's (another
 * channel's customer is not found, exactly like a missing one).
 */
export function findCustomer(
  db: Db,
  id: number,
  scope: ChannelScope = null,
): Promise<CustomerRow | undefined> {
  return selectCustomers(db)
    .where('customers.id', '=', id)
    .$if(scope !== null, (q) => q.where('customers.channel_id', '=', scope!.channelId))
    .executeTakeFirst();
}

/** Oldest first, by id. The email filter ignores letter case, as mail servers do. */
export function listCustomers(
  db: Db,
  filter: { afterId: number; limit: number; email?: string },
): Promise<CustomerRow[]> {
  let query = selectCustomers(db)
    .where('customers.id', '>', filter.afterId)
    .orderBy('customers.id')
    .limit(filter.limit);
  const email = filter.email?.toLowerCase();
  if (email !== undefined)
    query = query.where((eb) => eb(eb.fn('lower', ['customers.email']), '=', email));
  return query.execute();
}

export async function updateCustomer(
  db: Db,
  id: number,
  values: Updateable<CustomersTable>,
): Promise<void> {
  await db.updateTable('customers').set(values).where('id', '=', id).execute();
}
