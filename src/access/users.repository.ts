import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../db/schema.js';
import type { StaffUsersTable } from '../db/tables/staff-users.js';

export type StaffUserRow = Selectable<StaffUsersTable>;

export function findUserByEmail(db: Db, email: string): Promise<StaffUserRow | undefined> {
  return db.selectFrom('staff_users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findUserById(db: Db, id: number): Promise<StaffUserRow | undefined> {
  return db.selectFrom('staff_users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listUsers(db: Db, filter: { afterId: number; limit: number }) {
  return db
    .selectFrom('staff_users')
    .selectAll()
    .where('id', '>', filter.afterId)
    .orderBy('id')
    .limit(filter.limit)
    .execute();
}

export async function insertUser(db: Db, values: Insertable<StaffUsersTable>): Promise<number> {
  const { id } = await db
    .insertInto('staff_users')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateUser(
  db: Db,
  id: number,
  values: Updateable<StaffUsersTable>,
): Promise<void> {
  await db.updateTable('staff_users').set(values).where('id', '=', id).execute();
}

export async function countUsers(db: Db): Promise<number> {
  const { n } = await db
    .selectFrom('staff_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Admins who can still sign in, other than `exceptId`. */
export async function countOtherActiveAdmins(db: Db, exceptId: number): Promise<number> {
  const { n } = await db
    .selectFrom('staff_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .where('id', '!=', exceptId)
    .executeTakeFirstOrThrow();
  return Number(n);
}
