import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { freePort } from '../helpers/ports.js';

/**
 * The real server as a child process: `stockroom serve` over real HTTP, and a graceful
 * stop on SIGTERM that finishes the response in flight and leaves the SQLite file intact.
 * SQLite only: starting and stopping the process is the same code on both engines, and
 * the server's database behaviour is tested on both through buildApp.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN_KEY = 'sr_test_bootstrap_admin_key_0123456789abcdef';
/** Guards against a hung child, not a performance assertion. */
const STARTUP_LIMIT_MS = 60_000;
const SHUTDOWN_LIMIT_MS = 30_000;
/**
 * Enough CSV (over 10 MB) that it cannot sit whole in the loopback socket buffers while
 * the client is not reading: the server is still writing when it handles SIGTERM.
 */
const FEED_ITEMS = 50_000;
const LONG_NAME = `Bulk item with a long descriptive name ${'for the listings feed '.repeat(7)}`;

interface Served {
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything the process printed to stdout up to now. */
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} after ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** Resolves once nothing listens on the port any more: the server has begun to stop. */
async function untilRefused(port: number): Promise<void> {
  for (let attempt = 0; attempt < 3000; attempt++) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    if (refused) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`port ${port} is still accepting connections`);
}

const children = new Set<ChildProcess>();

/** Starts `stockroom serve` and resolves once it says it is listening. */
async function serve(dbFile: string, env: Record<string, string> = {}): Promise<Served> {
  const port = await freePort();
  // The parent's own settings (and the test runner's) must not leak into the child.
  const {
    DATABASE_URL: _db,
    STOCKROOM_BOOTSTRAP_ADMIN_KEY: _key,
    NODE_TEST_CONTEXT: _ctx,
    ...inherited
  } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    cwd: ROOT,
    env: {
      ...inherited,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${dbFile}`,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not start.\nstdout: ${out}\nstderr: ${err}`)),
      STARTUP_LIMIT_MS,
    );
    const check = () => {
      if (out.includes('Stockroom listening on')) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code ?? signal}) before listening.\n${out}\n${err}`));
    });
  });
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stderr: () => err,
    exited,
  };
}

function call(
  served: Served,
  method: string,
  path: string,
  options: { key?: string | null; body?: unknown } = {},
) {
  const key = options.key === undefined ? ADMIN_KEY : options.key;
  const headers: Record<string, string> = {};
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${served.url}${path}`, {
    method,
    headers,
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
}

async function expectStatus(response: Response, status: number): Promise<unknown> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  return text === '' ? null : JSON.parse(text);
}

/** A migrated SQLite file holding many items, each with stock at one location. */
async function prepareLargeCatalogue(dbFile: string): Promise<void> {
  const database = openDatabase(`file:${dbFile}`);
  await migrateToLatest(database.db);
  await database.close();
  const sqlite = new SqliteDatabase(dbFile);
  try {
    const now = '2026-11-26T10:00:00.000Z';
    const location = sqlite
      .prepare(
        `insert into locations (code, name, kind, time_zone, created_at, updated_at)
         values ('BULK', 'Bulk warehouse', 'warehouse', 'UTC', ?, ?)`,
      )
      .run(now, now);
    const item = sqlite.prepare(
      `insert into items (sku, name, category, price_cents, status, release_date,
         backorder_policy, backorder_cap, low_stock_threshold, handling_days, created_at, updated_at)
       values (?, ?, 'bulk', 100, 'active', null, 'none', null, 0, 0, ?, ?)`,
    );
    const stock = sqlite.prepare(
      `insert into stock (item_id, location_id, on_hand, reserved, safety_stock, last_delta, updated_at)
       values (?, ?, ?, 0, 0, ?, ?)`,
    );
    const ledger = sqlite.prepare(
      `insert into stock_ledger (item_id, location_id, type, quantity, on_hand_after, reason,
         reference, actor, created_at)
       values (?, ?, 'receipt', ?, ?, 'bulk load', null, 'test', ?)`,
    );
    sqlite.transaction(() => {
      for (let i = 0; i < FEED_ITEMS; i++) {
        const sku = `BULK-${String(i).padStart(6, '0')}`;
        const { lastInsertRowid } = item.run(sku, `${LONG_NAME}${i}`, now, now);
        const onHand = i % 7;
        if (onHand > 0) {
          stock.run(lastInsertRowid, location.lastInsertRowid, onHand, onHand, now);
          ledger.run(lastInsertRowid, location.lastInsertRowid, onHand, onHand, now);
        }
      }
    })();
  } finally {
    sqlite.close();
  }
}

describe('stockroom serve as a process', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stockroom-serve-'));
  });
  afterEach(async () => {
    for (const child of children) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves over HTTP and on SIGTERM finishes the streaming response, then exits 0', async () => {
    const dbFile = join(dir, 's.db');
    await prepareLargeCatalogue(dbFile);
    const served = await serve(dbFile, { STOCKROOM_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY });
    assert.match(served.stdout(), /Created the admin API key from STOCKROOM_BOOTSTRAP_ADMIN_KEY/);
    assert.doesNotMatch(served.stdout(), new RegExp(ADMIN_KEY), 'a preset key is never echoed');

    assert.deepEqual(await expectStatus(await call(served, 'GET', '/health', { key: null }), 200), {
      status: 'ok',
    });
    await expectStatus(await call(served, 'GET', '/v1/items?limit=1'), 200);
    const refused = (await expectStatus(
      await call(served, 'GET', '/v1/items', { key: null }),
      401,
    )) as { error: { code: string } };
    assert.equal(refused.error.code, 'UNAUTHORIZED');

    await expectStatus(
      await call(served, 'POST', '/v1/locations', {
        body: { code: 'S1', name: 'High Street', kind: 'store' },
      }),
      201,
    );
    await expectStatus(
      await call(served, 'POST', '/v1/items', {
        body: { sku: 'ZZ-KETTLE', name: 'Kettle', category: 'kitchen', price: 40 },
      }),
      201,
    );
    const adjusted = (await expectStatus(
      await call(served, 'POST', '/v1/stock/adjustments', {
        body: { sku: 'ZZ-KETTLE', location: 'S1', delta: 5, reason: 'delivery', type: 'receipt' },
      }),
      201,
    )) as { stock: { onHand: number } };
    assert.equal(adjusted.stock.onHand, 5);

    // The feed streams FEED_ITEMS + 1 rows. After its first bytes the client stops
    // reading, so the server blocks on a full socket; SIGTERM goes out, and only once the
    // server has stopped listening (it is shutting down) does the client read the rest.
    const response = await call(served, 'GET', '/v1/availability.csv');
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    const chunks: Uint8Array[] = [];
    const first = await reader.read();
    assert.ok(!first.done && first.value.length > 0, 'the feed sends its first bytes');
    chunks.push(first.value);
    assert.ok(served.child.kill('SIGTERM'), 'SIGTERM delivered');
    await untilRefused(served.port);
    assert.equal(
      served.child.exitCode,
      null,
      'the server is still writing the feed as it stops (else FEED_ITEMS is too small to block)',
    );
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    const csv = Buffer.concat(chunks).toString('utf8');
    assert.ok(csv.length > 10_000_000, `the feed is large enough to block (${csv.length} bytes)`);

    const lines = csv.trimEnd().split('\n');
    assert.equal(
      lines[0],
      'sku,name,state,purchasable,available,on_hand,reserved,safety_stock,incoming,restock,expected_date,confidence,reason,next_expected_date,release_date',
    );
    assert.equal(lines.length, 1 + FEED_ITEMS + 1, 'a header and one row per item');
    const skus = lines.slice(1).map((line) => line.split(',')[0]);
    assert.equal(skus[0], 'BULK-000000');
    assert.equal(skus[FEED_ITEMS - 1], `BULK-${String(FEED_ITEMS - 1).padStart(6, '0')}`);
    assert.equal(skus[FEED_ITEMS], 'ZZ-KETTLE');
    assert.equal(new Set(skus).size, FEED_ITEMS + 1, 'no row twice');

    // A hang guard, not a speed limit: a server that waits out its idle keep-alive
    // connections (Fastify's keepAliveTimeout, 72 s) instead of closing them fails here.
    const exit = await within(SHUTDOWN_LIMIT_MS, served.exited, 'exit after SIGTERM');
    assert.deepEqual(exit, { code: 0, signal: null }, served.stderr());

    // A clean close checkpoints the WAL into the file and removes it.
    assert.equal(existsSync(`${dbFile}-wal`), false, 'the database was closed, not abandoned');
    const sqlite = new SqliteDatabase(dbFile, { fileMustExist: true });
    try {
      assert.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok');
      const kettle = sqlite
        .prepare(
          `select s.on_hand, l.quantity, l.type, l.reason from items i
           join stock s on s.item_id = i.id
           join stock_ledger l on l.item_id = i.id and l.location_id = s.location_id
           where i.sku = 'ZZ-KETTLE'`,
        )
        .all();
      assert.deepEqual(kettle, [{ on_hand: 5, quantity: 5, type: 'receipt', reason: 'delivery' }]);
    } finally {
      sqlite.close();
    }
  });

  it('prints a first admin key and staff sign-in on an empty database, and none on the next start', async () => {
    const dbFile = join(dir, 's.db');
    const first = await serve(dbFile);
    const match = /Created the first admin API key \(shown once, store it now\): (\S+)/.exec(
      first.stdout(),
    );
    assert.ok(match?.[1], first.stdout());
    const key = match[1];
    await expectStatus(await call(first, 'GET', '/v1/items', { key }), 200);
    await expectStatus(await call(first, 'GET', '/v1/items', { key: `${key}x` }), 401);
    // And the first staff admin, whose password signs in to the staff app over real HTTP.
    const signInLine = /Staff app at \S+: sign in as (\S+) with password (\S+) \(shown once/;
    while (!signInLine.test(first.stdout())) await new Promise((r) => setTimeout(r, 10));
    const [, email, password] = signInLine.exec(first.stdout())!;
    const signedIn = await fetch(`${first.url}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    assert.equal(signedIn.status, 200, await signedIn.clone().text());
    assert.match(signedIn.headers.get('set-cookie') ?? '', /^stockroom_session=[\w-]+;.*HttpOnly/);
    first.child.kill('SIGTERM');
    assert.deepEqual(await first.exited, { code: 0, signal: null }, first.stderr());

    const second = await serve(dbFile);
    assert.doesNotMatch(second.stdout(), /Created/, 'no second key');
    assert.equal(second.stdout().includes(key), false);
    assert.equal(second.stdout().includes(password!), false);
    await expectStatus(await call(second, 'GET', '/v1/items', { key }), 200);
    second.child.kill('SIGTERM');
    assert.deepEqual(await second.exited, { code: 0, signal: null }, second.stderr());
  });
});
