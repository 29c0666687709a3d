import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/schema.js';
import type { StaffSessionsTable, StaffUsersTable } from '../db/tables/staff-users.js';

export type SessionWithUser = Selectable<StaffSessionsTable> &
  Pick<Selectable<StaffUsersTable>, 'email' | 'name' | 'role'>;

/** A live session of a user who may still sign in. */
export function findLiveSession(
  db: Db,
  tokenHash: string,
  now: string,
): Promise<SessionWithUser | undefined> {
  return db
    .selectFrom('staff_sessions')
    .innerJoin('staff_users', 'staff_users.id', 'staff_sessions.user_id')
    .selectAll('staff_sessions')
    .select(['staff_users.email', 'staff_users.name', 'staff_users.role'])
    .where('staff_sessions.token_hash', '=', tokenHash)
    .where('staff_sessions.expires_at', '>', now)
    .where('staff_users.disabled_at', 'is', null)
    .executeTakeFirst();
}

export async function insertSession(
  db: Db,
  values: Insertable<StaffSessionsTable>,
): Promise<number> {
  const { id } = await db
    .insertInto('staff_sessions')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function deleteSession(db: Db, id: number): Promise<void> {
  await db.deleteFrom('staff_sessions').where('id', '=', id).execute();
}

/** Signs a user out everywhere (disabled, or a new password), but for `keepId` if given. */
export async function deleteUserSessions(db: Db, userId: number, keepId?: number): Promise<void> {
  let query = db.deleteFrom('staff_sessions').where('user_id', '=', userId);
  if (keepId !== undefined) query = query.where('id', '!=', keepId);
  await query.execute();
}

export async function deleteExpiredSessions(db: Db, now: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('expires_at', '<=', now).execute();
}

export async function recordSignInFailure(
  db: Db,
  failure: { email: string; address: string; failedAt: string },
): Promise<void> {
  await db
    .insertInto('sign_in_failures')
    .values({ email: failure.email, address: failure.address, failed_at: failure.failedAt })
    .execute();
}

/** Failures since `since` for this email and from this address. */
export async function countSignInFailures(
  db: Db,
  key: { email: string; address: string },
  since: string,
): Promise<{ email: number; address: number; oldest: string | null }> {
  const rows = await db
    .selectFrom('sign_in_failures')
    .select(['email', 'address', 'failed_at'])
    .where('failed_at', '>', since)
    .where((eb) => eb.or([eb('email', '=', key.email), eb('address', '=', key.address)]))
    .orderBy('failed_at')
    .execute();
  return {
    email: rows.filter((r) => r.email === key.email).length,
    address: rows.filter((r) => r.address === key.address).length,
    oldest: rows[0]?.failed_at ?? null,
  };
}

export async function clearSignInFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('email', '=', email).execute();
}

export async function deleteOldSignInFailures(db: Db, before: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('failed_at', '<=', before).execute();
}
