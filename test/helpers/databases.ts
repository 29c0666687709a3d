import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, type DatabaseKind, openDatabase } from '../../src/db/database.js';
import { migrateToLatest, migrationNames } from '../../src/db/migrate.js';

/**
 * The databases every integration test runs against: a fresh SQLite file always, and
 * PostgreSQL when scripts/run-tests.mjs found one (STOCKROOM_TEST_POSTGRES_URL). Each
 * test gets its own migrated database: a temp file, or a schema of its own in the run's
 * PostgreSQL database, so tests never see each other's rows and may run in parallel.
 *
 * Migrating is most of what opening costs, so it is done rarely: SQLite files are copies
 * of one file migrated once per process, and PostgreSQL schemas are emptied and handed to
 * the next test (of any test process) instead of being dropped.
 */
export interface TestDatabaseTarget {
  kind: DatabaseKind;
  open(options?: { poolSize?: number; pgNamedStatements?: boolean }): Promise<TestDatabase>;
}

export interface TestDatabase extends Database {
  /** A URL another process can open the same database with (e.g. a child server). */
  url: string;
  /**
   * Runs DDL against this database (a test that breaks its own schema). On PostgreSQL it
   * takes the schema lock, so no neighbour's migrator reads the catalogue mid-change, and
   * the schema is dropped afterwards rather than reused.
   */
  alter(run: () => Promise<unknown>): Promise<void>;
  /** Closes the database; no later test sees its rows. */
  drop(): Promise<void>;
}

export function testDatabases(): TestDatabaseTarget[] {
  const targets: TestDatabaseTarget[] = [{ kind: 'sqlite', open: openSqliteTestDatabase }];
  const pgUrl = process.env.STOCKROOM_TEST_POSTGRES_URL;
  if (pgUrl)
    targets.push({ kind: 'postgres', open: (options) => openPostgresTestDatabase(pgUrl, options) });
  return targets;
}

let sqliteTemplate: Promise<string> | undefined;

/** A migrated, closed SQLite file (WAL checkpointed into it), deleted when the process ends. */
function migratedSqliteTemplate(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockroom-template-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'template.db');
    const database = openDatabase(`file:${file}`);
    try {
      await migrateToLatest(database.db);
    } finally {
      await database.close();
    }
    return file;
  })();
  return sqliteTemplate;
}

async function openSqliteTestDatabase(): Promise<TestDatabase> {
  const template = await migratedSqliteTemplate();
  const dir = mkdtempSync(join(tmpdir(), 'stockroom-test-'));
  const file = join(dir, 'test.db');
  copyFileSync(template, file);
  const url = `file:${file}`;
  const database = openDatabase(url);
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

/**
 * Which schemas of the run's database are migrated test schemas, and which of those are
 * free for the next test. Shared by every test process, so a run migrates about as many
 * schemas as tests are open at once, not one per test.
 */
const POOL_TABLE = 'public.stockroom_test_schemas';
/** The migrator's own tables: a reset leaves them, so a reused schema stays migrated. */
const MIGRATIONS_KEPT = ['kysely_migration', 'kysely_migration_lock'];

/**
 * On unless STOCKROOM_TEST_REUSE_SCHEMAS=0, which makes each test migrate and drop a
 * schema of its own (slow, but nothing shared: for ruling the pool out when hunting a bug).
 */
const REUSE_SCHEMAS = process.env.STOCKROOM_TEST_REUSE_SCHEMAS !== '0';

let admin: pg.Pool | undefined;
let poolTableReady: Promise<void> | undefined;
let schemaCounter = 0;

/** Short queries on the run's database; idle connections do not keep the process alive. */
function adminPool(runUrl: string): pg.Pool {
  admin ??= new pg.Pool({ connectionString: runUrl, max: 2, allowExitOnIdle: true });
  return admin;
}

async function openPostgresTestDatabase(
  runUrl: string,
  options: { poolSize?: number; pgNamedStatements?: boolean } = {},
): Promise<TestDatabase> {
  const schema = (await claimFreeSchema(runUrl)) ?? (await createSchema(runUrl));
  // Connections to the schema, the test's and its child processes', are named after it,
  // so the reset can tell whether any is still open. Through the startup options, not an
  // application_name parameter: a name the code sets itself (its LISTEN connection's)
  // still wins over these, as it does in production.
  const url = new URL(runUrl);
  url.searchParams.set('options', `-c search_path=${schema} -c application_name=${schema}`);
  const database = openDatabase(url.toString(), { schema, ...options });
  let altered = false;
  let dropped: Promise<void> | undefined;
  return {
    ...database,
    url: url.toString(),
    async alter(run) {
      altered = true;
      await withSchemaLock(runUrl, run);
    },
    // Once only: a second reset could empty the schema under the next test to claim it.
    drop() {
      dropped ??= (async () => {
        await database.close();
        const reused = REUSE_SCHEMAS && !altered && (await resetAndRelease(runUrl, schema));
        if (!reused) await dropSchema(runUrl, schema);
      })();
      return dropped;
    },
  };
}

async function claimFreeSchema(runUrl: string): Promise<string | undefined> {
  poolTableReady ??= withSchemaLock(runUrl, async (client) => {
    await client.query(
      `create table if not exists ${POOL_TABLE} (
         name text primary key,
         free boolean not null,
         -- The tables and migrations a clean schema has, checked before it is reused.
         signature text not null)`,
    );
  });
  await poolTableReady;
  // Only a schema migrated exactly as this code migrates: branches with migrations of their
  // own share the run database, and one's schema lacks (or has extra) tables for another.
  const migrations = migrationNames().join(',');
  const { rows } = await adminPool(runUrl).query<{ name: string }>(
    `update ${POOL_TABLE} set free = false
     where name = (select name from ${POOL_TABLE}
                   where free and right(signature, length($1) + 1) = '|' || $1
                   limit 1 for update skip locked)
     returning name`,
    [migrations],
  );
  return rows[0]?.name;
}

async function createSchema(runUrl: string): Promise<string> {
  const schema = `t_${process.pid}_${++schemaCounter}_${Math.floor(Math.random() * 1e6)}`;
  await withSchemaLock(runUrl, async (client) => {
    await client.query(`create schema ${schema}`);
    const opened = openDatabase(runUrl, { schema, poolSize: 1 });
    try {
      await migrateToLatest(opened.db);
    } finally {
      await opened.close();
    }
    await client.query(
      `insert into ${POOL_TABLE} (name, free, signature) values ($1, false, (${signatureOf(schema)}))`,
      [schema],
    );
  });
  return schema;
}

/**
 * Empties the schema and restarts its identity sequences, then frees it for the next test
 * if its tables and migrations are still exactly those it was created with; false if not
 * (a test that changed them), and the schema is not freed.
 *
 * A connection still open (a child server not yet gone) could commit rows after the reset,
 * into the next test's schema: the schema is dropped instead, which makes its later
 * statements fail, as every test's drop did before schemas were reused.
 *
 * DELETE, not TRUNCATE: TRUNCATE gives every table and index new files, 0.2–1 s for the
 * whole schema, while a test leaves rows in a few tables. Triggers (foreign keys among
 * them) are off for the reset, which needs the superuser the test database is run as;
 * without it the reset fails and the schema is dropped instead.
 */
async function resetAndRelease(runUrl: string, schema: string): Promise<boolean> {
  const kept = MIGRATIONS_KEPT.map((name) => `'${name}'`).join(', ');
  try {
    const results = (await adminPool(runUrl).query(
      // One round trip: the reset, then the check-and-free.
      `do $$
       declare
         tables text[] := array(
           select format('%I.%I', schemaname, tablename) from pg_tables
           where schemaname = '${schema}' and tablename not in (${kept}));
         t text;
         has_rows boolean;
       begin
         -- A closed pool's connections leave pg_stat_activity a moment after it closes.
         for wait in 1..40 loop
           perform pg_stat_clear_snapshot(); -- else the first look is kept all along
           exit when not exists (select from pg_stat_activity
             where application_name = '${schema}' and pid <> pg_backend_pid());
           perform pg_sleep(0.005);
         end loop;
         perform pg_stat_clear_snapshot();
         if exists (select from pg_stat_activity
             where application_name = '${schema}' and pid <> pg_backend_pid()) then
           raise exception 'still connected';
         end if;
         -- Triggers off for this transaction: foreign keys need no delete order, and the
         -- triggers that note availability changes (a channel_locations delete appends
         -- to availability_changes) cannot put rows back behind the restarted sequences.
         perform set_config('session_replication_role', 'replica', true);
         foreach t in array tables loop
           execute format('select exists (select from %s)', t) into has_rows;
           if has_rows then
             execute format('delete from %s', t);
           end if;
         end loop;
         perform setval(format('%I.%I', schemaname, sequencename), start_value, false)
         from pg_sequences where schemaname = '${schema}' and last_value is not null;
       end $$;
       update ${POOL_TABLE} set free = true
       where name = '${schema}' and signature = (${signatureOf(schema)})
       returning name`,
    )) as unknown as pg.QueryResult[];
    return results.at(-1)!.rowCount === 1;
  } catch {
    return false;
  }
}

function signatureOf(schema: string): string {
  return `select
      (select string_agg(tablename, ',' order by tablename) from pg_tables
       where schemaname = '${schema}')
      || '|' || (select string_agg(name, ',' order by name) from ${schema}.kysely_migration)`;
}

async function dropSchema(runUrl: string, schema: string): Promise<void> {
  await withSchemaLock(runUrl, async (client) => {
    await client.query(`drop schema ${schema} cascade`);
    await client.query(`delete from ${POOL_TABLE} where name = $1`, [schema]);
  });
}

/**
 * Kysely's migrator reads the catalogue of every schema in the database, and fails if a
 * table or schema vanishes under it. Test files run in parallel, each creating and
 * dropping schemas in the one run database, so migrating, dropping and any other DDL
 * take turns under an advisory lock. (A production database has one schema and no such
 * neighbours.) Emptying a schema changes no catalogue a migrator reads, and needs no turn.
 */
async function withSchemaLock<T>(url: string, run: (admin: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(7321)');
    return await run(client);
  } finally {
    await client.end();
  }
}
