import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../db/schema.js';
import type { CustomersTable } from '../db/tables/orders.js';

/** Customers' contact details. SQL only. */

export type CustomerRow = Selectable<CustomersTable>;

export async function insertCustomer(db: Db, row: Insertable<CustomersTable>): Promise<number> {
  const { id } = await db
    .insertInto('customers')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

export function findCustomer(db: Db, id: number): Promise<CustomerRow | undefined> {
  return db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Oldest first, by id. The email filter ignores letter case, as mail servers do. */
export function listCustomers(
  db: Db,
  filter: { afterId: number; limit: number; email?: string },
): Promise<CustomerRow[]> {
  let query = db
    .selectFrom('customers')
    .selectAll()
    .where('id', '>', filter.afterId)
    .orderBy('id')
    .limit(filter.limit);
  const email = filter.email?.toLowerCase();
  if (email !== undefined) query = query.where((eb) => eb(eb.fn('lower', ['email']), '=', email));
  return query.execute();
}

export async function updateCustomer(
  db: Db,
  id: number,
  values: Updateable<CustomersTable>,
): Promise<void> {
  await db.updateTable('customers').set(values).where('id', '=', id).execute();
}
