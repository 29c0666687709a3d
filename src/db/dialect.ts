import { type Kysely, PostgresAdapter } from 'kysely';

/**
 * The few places where SQLite and PostgreSQL need different SQL go through here, so that
 * the differences are listed in one file rather than scattered as `if` statements.
 */
export function isPostgres(db: Pick<Kysely<unknown>, 'getExecutor'>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
