import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, type DatabaseKind, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/**
 * The databases every integration test runs against: a fresh SQLite file always, and
 * PostgreSQL when scripts/run-tests.mjs found one (STOCKROOM_TEST_POSTGRES_URL). Each
 * test gets its own migrated database: a temp file, or a fresh schema in the run's
 * PostgreSQL database, so tests never see each other's rows and may run in parallel.
 */
export interface TestDatabaseTarget {
  kind: DatabaseKind;
  open(options?: { poolSize?: number }): Promise<TestDatabase>;
}

export interface TestDatabase extends Database {
  /** A URL another process can open the same database with (e.g. a child server). */
  url: string;
  /**
   * Runs DDL against this database (a test that breaks its own schema). On PostgreSQL it
   * takes the schema lock, so no neighbour's migrator reads the catalogue mid-change.
   */
  alter(run: () => Promise<unknown>): Promise<void>;
  /** Closes and deletes the database. */
  drop(): Promise<void>;
}

export function testDatabases(): TestDatabaseTarget[] {
  const targets: TestDatabaseTarget[] = [{ kind: 'sqlite', open: openSqliteTestDatabase }];
  const pgUrl = process.env.STOCKROOM_TEST_POSTGRES_URL;
  if (pgUrl)
    targets.push({ kind: 'postgres', open: (options) => openPostgresTestDatabase(pgUrl, options) });
  return targets;
}

async function openSqliteTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'stockroom-test-'));
  const url = `file:${join(dir, 'test.db')}`;
  const database = openDatabase(url);
  await migrateToLatest(database.db);
  return {
    ...database,
    url,
    async alter(run) {
      await run();
    },
    async drop() {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let schemaCounter = 0;

async function openPostgresTestDatabase(
  runUrl: string,
  options: { poolSize?: number } = {},
): Promise<TestDatabase> {
  const schema = `t_${process.pid}_${++schemaCounter}_${Math.floor(Math.random() * 1e6)}`;
  const database = await withSchemaLock(runUrl, async (admin) => {
    await admin.query(`create schema ${schema}`);
    const opened = openDatabase(runUrl, { schema, ...options });
    await migrateToLatest(opened.db);
    return opened;
  });
  const url = new URL(runUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    ...database,
    url: url.toString(),
    async alter(run) {
      await withSchemaLock(runUrl, run);
    },
    async drop() {
      await database.close();
      await withSchemaLock(runUrl, (admin) => admin.query(`drop schema ${schema} cascade`));
    },
  };
}

/**
 * Kysely's migrator reads the catalogue of every schema in the database, and fails if a
 * table or schema vanishes under it. Test files run in parallel, each creating and
 * dropping its own schemas in the one run database, so migrating, dropping and any other
 * DDL take turns under an advisory lock. (A production database has one schema and no
 * such neighbours.)
 */
async function withSchemaLock<T>(url: string, run: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock(7321)');
    return await run(admin);
  } finally {
    await admin.end();
  }
}
