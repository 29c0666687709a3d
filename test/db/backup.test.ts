import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { backupSqlite } from '../../src/app/backup.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Db } from '../../src/db/schema.js';
import { auditLedger } from '../../src/inventory/stock.service.js';
import type { AppContext } from '../../src/kernel/context.js';
import { systemClock } from '../../src/shared/clock.js';
import type { AppError } from '../../src/shared/errors.js';
import { startServer } from '../concurrency/servers.js';
import { startTestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { orderKit } from '../helpers/orders.js';

/**
 * Backups that restore. SQLite: `stockroom backup` run as users run it, while a real
 * `stockroom serve` keeps placing orders into the same file; the copy must be one
 * consistent moment of the database. PostgreSQL: the real pg_dump and pg_restore, from a
 * test schema into a fresh database.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN_KEY = 'backup-test-admin-key-0123456789';
/** Kills a hung command; not a performance assertion. */
const COMMAND_LIMIT_MS = 60_000;
const run = promisify(execFile);

const ctxOf = (database: Database): AppContext => ({
  db: database.db,
  dbKind: database.kind,
  clock: systemClock,
});

/** Runs `stockroom ARGS` on a database, as a child process. */
function stockroom(databaseUrl: string, ...args: string[]) {
  const { NODE_TEST_CONTEXT: _ctx, NODE_OPTIONS: _opts, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...inherited, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: COMMAND_LIMIT_MS,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function tempDir(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'stockroom-backup-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const SKUS = ['A', 'B', 'C', 'D', 'E'];

/** What must agree in any consistent moment of the database. */
async function assertConsistent(db: Db) {
  const orphans = await db
    .selectFrom('orders as o')
    .select('o.id')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(selectFrom('order_lines as l').select('l.id').whereRef('l.order_id', '=', 'o.id')),
      ),
    )
    .execute();
  assert.deepEqual(orphans, [], 'every order has its lines');
  const reservedDrift = await db
    .selectFrom('stock as s')
    .select(['s.item_id', 's.location_id', 's.reserved'])
    .where(
      's.reserved',
      '!=',
      sql<number>`coalesce((select sum(a.quantity) from allocations a where a.item_id = s.item_id and a.location_id = s.location_id), 0)`,
    )
    .execute();
  assert.deepEqual(reservedDrift, [], 'reserved units are the sum of allocations');
  const [orders, placedEvents] = await Promise.all([
    db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('domain_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('type', '=', 'order.placed')
      .executeTakeFirstOrThrow(),
  ]);
  assert.equal(Number(placedEvents.n), Number(orders.n), 'an order.placed event per order');
}

const orderIds = async (db: Db) =>
  (await db.selectFrom('orders').select('id').orderBy('id').execute()).map((r) => Number(r.id));

for (const target of testDatabases()) {
  if (target.kind === 'sqlite') {
    describe('stockroom backup (sqlite)', () => {
      it('copies a live database while orders keep coming; the copy restores, whole and consistent', async (t) => {
        const dir = tempDir(t);
        const database = await target.open();
        t.after(() => database.drop());
        const ctx = ctxOf(database);
        await insertWorld(ctx);
        for (const sku of SKUS) {
          await insertItem(ctx, { sku });
          await putStock(ctx, sku, 'W1', 100_000);
        }

        const server = await startServer(database.url, ADMIN_KEY, {
          STOCKROOM_DISPATCH_INTERVAL_MS: '0',
          STOCKROOM_WATCH_INTERVAL_MS: '0',
        });
        t.after(() => server.stop());
        let acknowledged = 0;
        let stopping = false;
        let sent = 0;
        // Four clients placing orders until told to stop.
        const clients = Array.from({ length: 4 }, async (_, client) => {
          while (!stopping) {
            const n = sent++;
            const response = await fetch(`${server.url}/v1/orders`, {
              method: 'POST',
              headers: {
                authorization: `Bearer ${ADMIN_KEY}`,
                'content-type': 'application/json',
                'idempotency-key': `backup-${client}-${n}`,
              },
              body: JSON.stringify({
                channel: 'web',
                lines: [
                  { sku: SKUS[n % SKUS.length], quantity: 1 + (n % 3) },
                  { sku: SKUS[(n + 2) % SKUS.length], quantity: 1 },
                ],
              }),
            });
            assert.equal(response.status, 201, await response.text());
            await response.arrayBuffer().catch(() => undefined);
            acknowledged++;
          }
        });
        const until = async (condition: () => boolean) => {
          while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
        };
        try {
          await until(() => acknowledged >= 20);
          const copy = join(dir, 'copy.db');
          const result = await stockroom(database.url, 'backup', copy);
          assert.equal(result.code, 0, result.stderr);
          const after = acknowledged;
          assert.match(
            result.stdout,
            /^Backed up file:\S+ to \S+copy\.db: \d+ bytes, integrity ok, audit clean \(5 stock rows\)\n$/,
          );
          // Orders kept coming during and after the copy.
          await until(() => acknowledged >= after + 20);
        } finally {
          stopping = true;
          await Promise.all(clients);
        }
        await server.stop();
        assert.deepEqual(
          readdirSync(dir),
          ['copy.db'],
          'one self-contained file, nothing partial left',
        );

        const copyFile = join(dir, 'copy.db');
        const raw = new SqliteDatabase(copyFile, { readonly: true });
        assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
        raw.close();

        // Restore: open the copy as the server opens its database.
        const restored = openDatabase(`file:${copyFile}`);
        t.after(() => restored.close());
        assert.deepEqual(await migrateToLatest(restored.db), [], 'the copy is fully migrated');
        const audit = await auditLedger(ctxOf(restored));
        assert.deepEqual({ ok: audit.ok, drift: audit.drift }, { ok: true, drift: [] });
        await assertConsistent(restored.db);
        await assertConsistent(database.db);

        const copied = await orderIds(restored.db);
        const all = await orderIds(database.db);
        assert.equal(all.length, acknowledged, 'every acknowledged order is in the source');
        assert.ok(copied.length >= 20, `the copy holds the orders before it (${copied.length})`);
        assert.ok(copied.length < all.length, 'orders placed after the copy are not in it');
        assert.deepEqual(
          copied,
          all.filter((id) => id <= copied.at(-1)!),
          'the copy is the source up to one moment: no later order, no gap',
        );
      });

      it('refuses a path that exists, and leaves it alone', async (t) => {
        const dir = tempDir(t);
        const database = await target.open();
        t.after(() => database.drop());
        const existing = join(dir, 'taken.db');
        const source = database.url.slice('file:'.length);
        await backupSqlite(source, existing);
        const before = readFileSync(existing);
        await assert.rejects(backupSqlite(source, existing), (error: AppError) => {
          assert.equal(error.code, 'BACKUP_EXISTS');
          return true;
        });
        assert.deepEqual(readFileSync(existing), before);
        assert.ok(existsSync(existing));
      });
    });
  } else {
    describe('backups (postgres): pg_dump -Fc, then pg_restore into a fresh database', () => {
      it('the command prints the pg_dump to run; that dump restores with the audit clean and every row', async (t) => {
        const dir = tempDir(t);
        const app = await startTestApp(target);
        t.after(() => app.close());
        await insertWorld(app.ctx);
        for (const sku of SKUS) {
          await insertItem(app.ctx, { sku });
          await putStock(app.ctx, sku, 'W1', 50);
        }
        const { placed } = orderKit(() => app);
        for (let n = 0; n < 12; n++) {
          await placed({
            channel: 'web',
            lines: [{ sku: SKUS[n % SKUS.length], quantity: 2, acceptBackorder: false }],
          });
        }

        const dumpFile = join(dir, 'stockroom.dump');
        // The run's database URL: the test's own carries its schema in a form only node-pg reads.
        const runUrl = process.env.STOCKROOM_TEST_POSTGRES_URL!;
        const advice = await stockroom(runUrl, 'backup', dumpFile);
        assert.equal(advice.code, 2, 'nothing written, and the caller can tell');
        const command = /^ {2}(pg_dump --format=custom .*)$/m.exec(advice.stderr)?.[1];
        assert.ok(command, advice.stderr);
        assert.equal(existsSync(dumpFile), false);

        // The printed command as is, limited to this test's schema: the run's database
        // holds other tests' schemas, changing as they run.
        const options = new URL(app.database.url).searchParams.get('options');
        const schema = /search_path=(\w+)/.exec(options ?? '')![1]!;
        await run('sh', ['-c', `${command} --schema=${schema}`], { timeout: COMMAND_LIMIT_MS });
        assert.ok(existsSync(dumpFile));

        const fresh = `stockroom_restore_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
        const admin = new pg.Client({ connectionString: runUrl });
        await admin.connect();
        await admin.query(`create database ${fresh}`);
        let restored: Database | undefined;
        t.after(async () => {
          // Closed before the drop, which would otherwise cut its connections.
          await restored?.close();
          await admin.query(`drop database if exists ${fresh} with (force)`);
          await admin.end();
        });
        const freshUrl = new URL(runUrl);
        freshUrl.pathname = `/${fresh}`;
        await run('pg_restore', ['--exit-on-error', `--dbname=${freshUrl}`, dumpFile], {
          timeout: COMMAND_LIMIT_MS,
        });

        restored = openDatabase(freshUrl.toString(), { schema });
        assert.deepEqual(await migrateToLatest(restored.db), [], 'the restore is fully migrated');
        const audit = await auditLedger(ctxOf(restored));
        assert.deepEqual({ ok: audit.ok, drift: audit.drift }, { ok: true, drift: [] });
        await assertConsistent(restored.db);
        const tables = [
          'orders',
          'order_lines',
          'allocations',
          'stock',
          'stock_ledger',
          'domain_events',
          'idempotency_keys',
          'api_keys',
        ] as const;
        for (const table of tables) {
          const count = async (db: Db) =>
            Number(
              (
                await db
                  .selectFrom(table)
                  .select((eb) => eb.fn.countAll<number>().as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            );
          assert.equal(await count(restored.db), await count(app.ctx.db), table);
        }
        assert.equal((await orderIds(restored.db)).length, 12);
        // The restored sequences go on from where the source's stopped.
        const [last] = await orderIds(app.ctx.db).then((ids) => ids.slice(-1));
        const web = await restored.db
          .selectFrom('channels')
          .select('id')
          .where('code', '=', 'web')
          .executeTakeFirstOrThrow();
        const { id } = await restored.db
          .insertInto('orders')
          .values({
            channel_id: web.id,
            customer_id: null,
            reference: null,
            created_by: 'test',
            created_at: 'now',
            updated_at: 'now',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        assert.equal(Number(id), last! + 1);
      });
    });
  }
}
