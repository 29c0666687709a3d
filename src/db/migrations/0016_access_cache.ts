import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../dialect.js';

/**
 * What the per-process caches of API keys and channels (src/db/change-watch.ts) learn a
 * change from, made by triggers so that no path that writes these tables (the API, the
 * CLI, a restore, hand-written SQL) can forget to say so.
 *
 * PostgreSQL: a statement trigger NOTIFYs `stockroom_keys` or `stockroom_channels`, with
 * the schema as payload, in the writing transaction: delivered at commit, never on
 * rollback, to every process LISTENing.
 *
 * SQLite has no NOTIFY. A one-row-per-topic counter (absent: 0, so a new database holds
 * no rows) is bumped by the triggers in the
 * writing transaction, and each process compares it before trusting its cache: one
 * primary-key read of a two-row table per look-up, which a second process on the same
 * file (the CLI beside the server) cannot get around. PRAGMA data_version would be as
 * cheap, but it moves on every write by another process (each order), emptying the
 * caches all the time under several writers; the counter moves only when keys or
 * channels do.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    await postgresNotifications(db);
  } else {
    await sqliteGenerations(db);
  }
}

/** Keys carry their channel's code; channels carry their locations' codes. */
const WATCHED = [
  ['api_keys', 'keys'],
  ['channels', 'keys'],
  ['channels', 'channels'],
  ['channel_locations', 'channels'],
  ['locations', 'channels'],
] as const;

async function sqliteGenerations(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table access_generations (
      topic text primary key check (topic in ('keys', 'channels')),
      generation integer not null
    )`.execute(db);
  for (const [table, topic] of WATCHED) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql
        .raw(
          `create trigger ${table}_${event}_bumps_${topic} after ${event} on ${table}
           begin
             insert into access_generations (topic, generation) values ('${topic}', 1)
             on conflict (topic) do update set generation = generation + 1;
           end`,
        )
        .execute(db);
    }
  }
}

async function postgresNotifications(db: Kysely<unknown>): Promise<void> {
  for (const topic of ['keys', 'channels']) {
    await sql
      .raw(
        `create function stockroom_notify_${topic}() returns trigger language plpgsql
         set search_path from current as $$
         begin
           perform pg_notify('stockroom_${topic}', current_schema());
           return null;
         end $$`,
      )
      .execute(db);
  }
  for (const [table, topic] of WATCHED) {
    await sql
      .raw(
        `create trigger ${table}_notifies_${topic} after insert or update or delete or truncate
         on ${table} for each statement execute function stockroom_notify_${topic}()`,
      )
      .execute(db);
  }
}
