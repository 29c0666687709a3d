import { type Kysely, sql } from 'kysely';
import { idRef, withId } from './helpers.js';

/**
 * Staff sign-in (issue 13): people who use the staff app, their sessions, and failed
 * sign-ins, which are counted in the database so every server process enforces one limit.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const ref = idRef(db);

  await withId(db, db.schema.createTable('staff_users'))
    // Stored lower-cased, so the unique index is case-insensitive on both databases.
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'staff')`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .addColumn('last_sign_in_at', 'text')
    .execute();

  await withId(db, db.schema.createTable('staff_sessions'))
    .addColumn('user_id', ref, (c) => c.notNull().references('staff_users.id').onDelete('cascade'))
    // SHA-256 of the cookie's token: a leaked table does not hand out sessions.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('staff_sessions_user_idx')
    .on('staff_sessions')
    .column('user_id')
    .execute();

  await withId(db, db.schema.createTable('sign_in_failures'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('failed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sign_in_failures_email_idx')
    .on('sign_in_failures')
    .columns(['email', 'failed_at'])
    .execute();
  await db.schema
    .createIndex('sign_in_failures_address_idx')
    .on('sign_in_failures')
    .columns(['address', 'failed_at'])
    .execute();
}
