import type { CreateTableBuilder, Kysely } from 'kysely';
import { isPostgres } from '../dialect.js';

/*
 * Column helpers shared by migrations. Shipped migrations depend on these, so their
 * output must never change: add new helpers instead.
 */

/** Surrogate key: an identity column on PostgreSQL, a never-reused rowid on SQLite. */
export function withId<T extends string>(db: Kysely<unknown>, table: CreateTableBuilder<T, never>) {
  return isPostgres(db)
    ? table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** The type of a column that references a surrogate key. */
export const idRef = (db: Kysely<unknown>) => (isPostgres(db) ? 'bigint' : 'integer');
