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
  await adminQuery(runUrl, `create schema ${schema}`);
  const database = openDatabase(runUrl, { schema, ...options });
  await migrateToLatest(database.db);
  const url = new URL(runUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    ...database,
    url: url.toString(),
    async drop() {
      await database.close();
      await adminQuery(runUrl, `drop schema ${schema} cascade`);
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
