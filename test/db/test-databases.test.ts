import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { AppContext } from '../../src/kernel/context.js';
import { fixedClock } from '../../src/shared/clock.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';

/*
 * The test databases are reused (SQLite copies of one migrated file, PostgreSQL schemas
 * emptied between tests): every test must still start from an empty, fully migrated
 * database, whatever the test before it did.
 */

async function fill(database: TestDatabase): Promise<void> {
  const ctx: AppContext = {
    db: database.db,
    dbKind: database.kind,
    clock: fixedClock('2026-11-26T10:00:00.000Z'),
  };
  await insertWorld(ctx);
  await insertItem(ctx, { sku: 'FILLED-1' });
  await putStock(ctx, 'FILLED-1', 'W1', 7);
}

/** Every table's row count (bar the migrator's), and the identity sequences that moved. */
async function leftovers(database: TestDatabase): Promise<string[]> {
  const found: string[] = [];
  const schema = database.kind === 'postgres' ? schemaOf(database) : undefined;
  for (const table of await database.db.introspection.getTables()) {
    // On PostgreSQL introspection lists every schema's tables; only this one's count.
    if (table.name.startsWith('kysely_migration') || (table.schema ?? schema) !== schema) continue;
    const { rows } = await sql<{
      n: number;
    }>`select count(*) as n from ${sql.table(table.name)}`.execute(database.db);
    if (Number(rows[0]!.n) !== 0) found.push(`${table.name}: ${rows[0]!.n} rows`);
  }
  if (database.kind === 'postgres') {
    const { rows } = await sql<{ name: string }>`
      select sequencename as name from pg_sequences
      where schemaname = current_schema() and last_value is not null`.execute(database.db);
    for (const row of rows) found.push(`sequence ${row.name} started`);
  }
  return found;
}

function schemaOf(database: TestDatabase): string {
  return /search_path=(\w+)/.exec(new URL(database.url).searchParams.get('options') ?? '')![1]!;
}

async function withAdmin<T>(run: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: process.env.STOCKROOM_TEST_POSTGRES_URL });
  await admin.connect();
  try {
    return await run(admin);
  } finally {
    await admin.end();
  }
}

for (const target of testDatabases()) {
  describe(`test databases (${target.kind})`, () => {
    it('opens empty and fully migrated, also after a test that filled one', async () => {
      for (let round = 0; round < 3; round++) {
        const database = await target.open();
        try {
          assert.deepEqual(await leftovers(database), []);
          assert.deepEqual(await migrateToLatest(database.db), []);
          await fill(database);
          assert.notDeepEqual(await leftovers(database), []);
        } finally {
          await database.drop();
        }
      }
    });

    it('keeps several open at once apart', async () => {
      const first = await target.open();
      const second = await target.open();
      try {
        assert.notEqual(first.url, second.url);
        await fill(first);
        assert.deepEqual(await leftovers(second), []);
      } finally {
        await first.drop();
        await second.drop();
      }
    });

    if (target.kind === 'postgres') {
      it('empties a given-back schema: no rows, identity sequences restarted, migrations kept', {
        skip: process.env.STOCKROOM_TEST_REUSE_SCHEMAS === '0' ? 'schemas are not reused' : false,
      }, async () => {
        const database = await target.open();
        const schema = schemaOf(database);
        await fill(database);
        await database.drop();
        await withAdmin(async (admin) => {
          await admin.query('begin');
          try {
            // Held, so no other test process claims it while it is looked at.
            const { rows } = await admin.query(
              'select free from public.stockroom_test_schemas where name = $1 for update',
              [schema],
            );
            if (!rows[0]?.free) return; // already handed to another test: nothing to look at
            await admin.query(`set local search_path = ${schema}`);
            const counts = await admin.query(
              `select (select count(*) from items) as items, (select count(*) from stock) as stock,
                      (select count(*) from stock_ledger) as ledger,
                      (select count(*) from kysely_migration) as migrations`,
            );
            assert.deepEqual(counts.rows[0], {
              items: '0',
              stock: '0',
              ledger: '0',
              migrations: counts.rows[0].migrations,
            });
            assert.ok(Number(counts.rows[0].migrations) > 0);
            const started = await admin.query(
              `select sequencename from pg_sequences
               where schemaname = $1 and last_value is not null`,
              [schema],
            );
            assert.deepEqual(started.rows, []);
          } finally {
            await admin.query('rollback');
          }
        });
      });

      it('drops a schema still connected to when given back (a child server not yet gone)', async () => {
        const database = await target.open();
        const schema = schemaOf(database);
        const lingering = new pg.Client({ connectionString: database.url });
        await lingering.connect();
        lingering.on('error', () => {}); // cut when the schema goes: expected
        try {
          await database.drop();
          const left = await withAdmin((admin) =>
            admin.query('select from pg_namespace where nspname = $1', [schema]),
          );
          assert.equal(left.rowCount, 0);
        } finally {
          await lingering.end().catch(() => {});
        }
      });

      for (const [how, change] of [
        [
          'altered through alter()',
          (d: TestDatabase) => d.alter(() => sql`drop table item_tags`.execute(d.db)),
        ],
        [
          'whose migrations changed',
          (d: TestDatabase) =>
            sql`insert into kysely_migration (name, timestamp) values ('9999_later', 'x')`.execute(
              d.db,
            ),
        ],
        [
          'with a table of its own',
          (d: TestDatabase) => sql`create table extra (n integer)`.execute(d.db),
        ],
      ] as const) {
        it(`drops a schema ${how} instead of reusing it`, async () => {
          const database = await target.open();
          const schema = schemaOf(database);
          await change(database);
          await database.drop();
          const left = await withAdmin(async (admin) => {
            const schemas = await admin.query('select from pg_namespace where nspname = $1', [
              schema,
            ]);
            const pooled = await admin.query(
              'select from public.stockroom_test_schemas where name = $1',
              [schema],
            );
            return { schemas: schemas.rowCount, pooled: pooled.rowCount };
          });
          assert.deepEqual(left, { schemas: 0, pooled: 0 });
        });
      }
    }
  });
}
