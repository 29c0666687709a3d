/**
 * Order placement benchmark, on SQLite and on PostgreSQL.
 *
 *   npm run bench:orders                                   # both databases
 *   npm run bench:orders -- --only sqlite --seconds 2 --concurrency 1,8,32 --lines 1,3,10
 *   npm run bench:orders -- --backorders 2000              # a smaller backorder queue
 *   npm run bench:orders -- --group-commit off             # one transaction per order
 *
 * For each database it loads a catalogue with ample stock (no order is refused), starts
 * the real app (buildApp) on 127.0.0.1 with an ephemeral port and measures, at each
 * concurrency:
 *   - the conditional UPDATE, through the query builder: the reservation statement alone
 *     (`UPDATE stock SET reserved = reserved + 1 WHERE … AND on_hand - reserved -
 *     safety_stock >= 1`, the repository's reserveStock), autocommit;
 *   - the 3-line order transaction, through the query builder: the service's own
 *     repository functions (3 reservations, the order, one multi-row INSERT of lines, one
 *     of allocations) in one transaction;
 *   - the same transaction, 1-, 3- and n-line, on the bare drivers (the ceiling every HTTP
 *     figure is read against): node-postgres with a pool of 10, or better-sqlite3 with
 *     prepared statements in db.transaction; better-sqlite3 is synchronous, so it is
 *     measured once, one at a time, and stands for every concurrency;
 *   - HTTP POST /v1/orders with 1, 3 and 10 lines (acceptBackorder false, plenty of
 *     stock), each with a fresh Idempotency-Key: orders/s, p50 and p99 latency, as a ratio
 *     to the bare transaction with as many lines, to a bare Fastify route, and to issue
 *     14's targets;
 * with, once per run before the databases, a bare Fastify (an empty POST route) sent the
 * same requests by the same client: the HTTP limit on this machine;
 * and then the backorder queue: 10,000 one-unit backorders placed against one purchase
 * order (in process, through placeOrder), then one HTTP receipt of all 10,000 units, which
 * fills every waiting line in its transaction; the receipt's time is reported.
 *
 * The HTTP client runs in the same process and event loop as the server (as in
 * bench/availability.ts), so HTTP figures include the client's own work. It prints figures
 * and ratios; it never asserts on time.
 *
 * PostgreSQL is found through BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432.
 * A database is created for the run and dropped after it; if the server cannot be reached
 * that half is skipped with a notice.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import Fastify from 'fastify';
import type { Insertable, Kysely, Transaction } from 'kysely';
import pg from 'pg';
import { authenticate, createKey } from '../src/access/keys.service.js';
import { buildApp } from '../src/app/build-app.js';
import { loadConfig } from '../src/app/config.js';
import { createItem } from '../src/catalogue/items.service.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { DB } from '../src/db/schema.js';
import type { ItemsTable } from '../src/db/tables/items.js';
import type { StockTable } from '../src/db/tables/stock.js';
import type { AppContext } from '../src/kernel/context.js';
import type { GroupCommitSettings } from '../src/kernel/group-commit/group-commit.js';
import { reserveStock } from '../src/kernel/ledger/stock.repository.js';
import { defaultGroupCommit } from '../src/orders/order-batcher.js';
import {
  insertAllocations,
  insertOrder,
  insertOrderLines,
} from '../src/orders/order-writes.repository.js';
import { placeOrder } from '../src/orders/place-order.js';
import { createPurchaseOrder, transition } from '../src/purchasing/purchase-orders.service.js';
import { createSupplier, putSupplierItem } from '../src/purchasing/suppliers.service.js';
import { systemClock } from '../src/shared/clock.js';
import { chosenTargets, loadNow, machineLine, type Target } from './databases.js';
import { load } from './http-load.js';
import { type CpuCost, cpuWindow } from './server-cpu.js';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    items: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '1,8,32' },
    lines: { type: 'string', default: '1,3,10' },
    backorders: { type: 'string', default: '10000' },
    'group-commit': { type: 'string', default: 'on' },
  },
});

const ITEMS = Number(args.items);
const SECONDS = Number(args.seconds);
const CONCURRENCIES = args.concurrency.split(',').map(Number);
const LINE_COUNTS = args.lines.split(',').map(Number);
const BACKORDERS = Number(args.backorders);
/** `--group-commit off` places every order in its own transaction, for comparison. */
const GROUP_COMMIT = args['group-commit'];
if (GROUP_COMMIT !== 'on' && GROUP_COMMIT !== 'off') throw new Error('--group-commit is on or off');
const ON_HAND = 100_000_000;
const WARM_UP_SECONDS = 0.5;
/** Concurrency of the in-process placement of the backorder queue (not measured as a target). */
const QUEUE_CONCURRENCY = 8;

/** As `stockroom serve` sets them: the defaults, with any STOCKROOM_GROUP_COMMIT_* size. */
function groupCommitSettings(kind: Target['kind']): GroupCommitSettings {
  const overrides = loadConfig().groupCommit;
  return { ...defaultGroupCommit(kind), ...(overrides === 'off' ? {} : overrides) };
}

/** Issue 14's targets: 1-line orders over HTTP per second at concurrency 32, per engine. */
const TARGET_ONE_LINE = { sqlite: 3000, postgres: 2600 } as const;
/** …and 3-line orders over HTTP at this multiple of the bare-driver 3-line transaction. */
const TARGET_THREE_LINE_MULTIPLE = 2;
/** The bare transactions are measured for every line count asked for, and for 1 and 3 always. */
const BARE_LINE_COUNTS = [...new Set([1, 3, ...LINE_COUNTS])].sort((a, b) => a - b);
const TARGET_RECEIPT_MS = 5000;

for (const [name, value] of Object.entries({ ITEMS, SECONDS, BACKORDERS })) {
  if (!(value > 0)) throw new Error(`${name} must be positive`);
}
for (const n of [...CONCURRENCIES, ...LINE_COUNTS]) {
  if (!Number.isInteger(n) || n < 1) throw new Error('--concurrency and --lines take 1,2,…');
}
if (Math.max(...BARE_LINE_COUNTS) > ITEMS) throw new Error('more lines than items');

// ---------------------------------------------------------------------------------------
// Data

const skuOf = (i: number) => `ORD-${String(i).padStart(6, '0')}`;
const LOCATIONS = ['W1', 'S1'] as const;

/** mulberry32 */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct item numbers (1-based), sorted. */
function distinct(rand: () => number, count: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(1 + Math.floor(rand() * ITEMS));
  return [...chosen].sort((a, b) => a - b);
}

const rowsPerInsert = (columns: number) => Math.floor(30_000 / columns);

async function insertChunked<T extends object>(
  rows: readonly T[],
  insert: (chunk: T[]) => Promise<unknown>,
) {
  const size = rowsPerInsert(Object.keys(rows[0] ?? {}).length || 1);
  for (let start = 0; start < rows.length; start += size)
    await insert(rows.slice(start, start + size));
}

interface World {
  itemIds: number[];
  locationIds: number[];
  channelId: number;
}

/**
 * ITEMS items with ON_HAND units at W1 and at S1 (channel web over both): an order is
 * never refused and never splits. Ledger rows are written, so the database audits clean.
 */
async function seed(db: Kysely<DB>): Promise<World> {
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const locationIds: number[] = [];
    for (const [n, code] of LOCATIONS.entries()) {
      const { id } = await trx
        .insertInto('locations')
        .values({
          code,
          name: `Bench ${code}`,
          kind: n === 0 ? 'warehouse' : 'store',
          time_zone: 'UTC',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      locationIds.push(id);
    }
    const { id: channelId } = await trx
      .insertInto('channels')
      .values({ code: 'web', name: 'Web', kind: 'online', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('channel_locations')
      .values(
        locationIds.map((location_id, priority) => ({
          channel_id: channelId,
          location_id,
          priority,
        })),
      )
      .execute();
    const items: Insertable<ItemsTable>[] = [];
    for (let i = 1; i <= ITEMS; i++) {
      items.push({
        sku: skuOf(i),
        name: `Bench item ${i}`,
        category: 'kitchen',
        price_cents: 1000 + i,
        status: 'active',
        release_date: null,
        backorder_policy: 'incoming',
        backorder_cap: null,
        low_stock_threshold: 5,
        handling_days: 1,
        created_at: now,
        updated_at: now,
      });
    }
    await insertChunked(items, (chunk) => trx.insertInto('items').values(chunk).execute());
    const itemIds = (await trx.selectFrom('items').select('id').orderBy('id').execute()).map(
      (r) => r.id,
    );
    const stock: Insertable<StockTable>[] = [];
    for (const item_id of itemIds) {
      for (const location_id of locationIds) {
        stock.push({
          item_id,
          location_id,
          on_hand: ON_HAND,
          reserved: 0,
          safety_stock: 0,
          last_delta: ON_HAND,
          updated_at: now,
        });
      }
    }
    await insertChunked(stock, (chunk) => trx.insertInto('stock').values(chunk).execute());
    const ledger = stock.map((s) => ({
      item_id: s.item_id,
      location_id: s.location_id,
      type: 'receipt' as const,
      quantity: ON_HAND,
      on_hand_after: ON_HAND,
      reason: 'bench stock',
      reference: null,
      actor: 'bench',
      created_at: now,
    }));
    await insertChunked(ledger, (chunk) => trx.insertInto('stock_ledger').values(chunk).execute());
    return { itemIds, locationIds, channelId };
  });
}

// ---------------------------------------------------------------------------------------
// Measurement

/** CPU per operation moves less than wall time under load. */
interface Rate extends CpuCost {
  perSecond: number;
  operations: number;
  /** Orders (placed and refused) per group-commit batch, for the HTTP order rows. */
  perBatch?: number | undefined;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;

/**
 * Runs `operation` from `concurrency` workers for a short warm-up, then for SECONDS;
 * counts the operations that finished in the timed window and their latencies.
 */
async function measure(
  concurrency: number,
  operation: (worker: number, n: number) => Promise<void>,
): Promise<Rate> {
  const run = async (seconds: number) => {
    const latencies: number[] = [];
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    const cost = cpuWindow();
    let n = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        while (performance.now() < deadline) {
          const t0 = performance.now();
          await operation(worker, n++);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      perSecond: latencies.length / elapsed,
      operations: latencies.length,
      ...cost(n),
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
    };
  };
  await run(WARM_UP_SECONDS);
  return run(SECONDS);
}

function rawUpdate(db: Kysely<DB>, world: World, seed: number) {
  const rand = random(seed);
  const now = new Date().toISOString();
  return async () => {
    const itemId = world.itemIds[Math.floor(rand() * ITEMS)]!;
    const ok = await reserveStock(
      // The statement alone, autocommit, on purpose: the ceiling of one row. Use cases
      // must reserve inside a transaction, which is why reserveStock asks for one.
      db as unknown as Transaction<DB>,
      { itemId, locationId: world.locationIds[0]! },
      1,
      { respectSafetyStock: true },
      now,
    );
    if (!ok) throw new Error('the raw reservation was refused: stock is not ample');
  };
}

/** The columns of one order line as the service writes a line taken from stock (write-order.ts). */
function lineRow(orderId: number, lineNo: number, itemId: number, now: string) {
  return {
    order_id: orderId,
    line_no: lineNo,
    item_id: itemId,
    quantity: 1,
    accept_backorder: 0,
    preorder: 0,
    quantity_allocated: 1,
    quantity_backordered: 0,
    quantity_fulfilled: 0,
    quantity_cancelled: 0,
    quantity_unpromised: 0,
    promised_date: null,
    promise_confidence: null,
    created_at: now,
    updated_at: now,
  };
}

/**
 * The order write through the query builder: the service's own repository functions, so
 * the same statements as the bare ones below (reserve each stock row, one order INSERT
 * RETURNING id, one multi-row INSERT for the lines, one for the allocations).
 */
function builderOrderTransaction(db: Kysely<DB>, world: World, lines: number, seed: number) {
  const rand = random(seed);
  const now = new Date().toISOString();
  const locationId = world.locationIds[0]!;
  return async () => {
    const items = distinct(rand, lines).map((i) => world.itemIds[i - 1]!);
    await db.transaction().execute(async (trx) => {
      for (const itemId of items) {
        const ok = await reserveStock(
          trx,
          { itemId, locationId },
          1,
          { respectSafetyStock: true },
          now,
        );
        if (!ok) throw new Error('the raw reservation was refused: stock is not ample');
      }
      const orderId = await insertOrder(trx, {
        channel_id: world.channelId,
        customer_id: null,
        reference: null,
        created_by: 'bench',
        created_at: now,
        updated_at: now,
      });
      const inserted = await insertOrderLines(
        trx,
        items.map((itemId, index) => lineRow(orderId, index + 1, itemId, now)),
      );
      const lineIds = new Map(inserted.map((r) => [r.line_no, r.id]));
      await insertAllocations(
        trx,
        items.map((itemId, index) => ({
          order_line_id: lineIds.get(index + 1)!,
          location_id: locationId,
          item_id: itemId,
          quantity: 1,
        })),
      );
    });
  };
}

// The same statements written for the bare drivers. The reservation fires the stock
// trigger of migration 0004 (a row in availability_changes per stock row), as it does
// for the service: the bare transaction does that work too.
const RESERVE_SQL = (p: (n: number) => string) =>
  `update stock set reserved = reserved + ${p(1)}, updated_at = ${p(2)} where item_id = ${p(3)} and location_id = ${p(4)} and on_hand - reserved - safety_stock >= ${p(1)}`;
const ORDER_SQL = (p: (n: number) => string) =>
  `insert into orders (channel_id, customer_id, reference, created_by, created_at, updated_at) values (${[1, 2, 3, 4, 5, 6].map(p).join(', ')}) returning id`;
const LINE_COLUMNS = Object.keys(lineRow(0, 0, 0, ''));
const ALLOCATION_COLUMNS = ['order_line_id', 'location_id', 'item_id', 'quantity'];
/** A multi-row INSERT of `rows` rows of `columns`, placeholders numbered by `p`. */
const insertSql = (table: string, columns: string[], rows: number, p: (n: number) => string) =>
  `insert into ${table} (${columns.join(', ')}) values ${Array.from(
    { length: rows },
    (_, r) => `(${columns.map((_, c) => p(r * columns.length + c + 1)).join(', ')})`,
  ).join(', ')}`;

const lineValues = (orderId: number, items: number[], now: string) =>
  items.flatMap((itemId, index) => Object.values(lineRow(orderId, index + 1, itemId, now)));
const allocationValues = (
  lineIds: ReadonlyMap<number, number>,
  items: number[],
  locationId: number,
) => items.flatMap((itemId, index) => [lineIds.get(index + 1)!, locationId, itemId, 1]);

/**
 * The order write on node-postgres alone (a pool of 10, as the app's): BEGIN, the
 * conditional UPDATEs in item order, the order, the lines, the allocations, COMMIT.
 * Unnamed parameterised statements, the same protocol Kysely's pg driver uses.
 */
function barePgOrder(pool: pg.Pool, world: World, lines: number, seed: number) {
  const rand = random(seed);
  const now = new Date().toISOString();
  const locationId = world.locationIds[0]!;
  const pgParam = (n: number) => `$${n}`;
  const reserve = RESERVE_SQL(pgParam);
  const order = ORDER_SQL(pgParam);
  const lineInsert = `${insertSql('order_lines', LINE_COLUMNS, lines, pgParam)} returning id, line_no`;
  const allocationInsert = insertSql('allocations', ALLOCATION_COLUMNS, lines, pgParam);
  return async () => {
    const items = distinct(rand, lines).map((i) => world.itemIds[i - 1]!);
    const client = await pool.connect();
    try {
      await client.query('begin');
      for (const itemId of items) {
        const { rowCount } = await client.query(reserve, [1, now, itemId, locationId]);
        if (rowCount !== 1) throw new Error('the bare reservation was refused');
      }
      const { rows } = await client.query<{ id: number }>(order, [
        world.channelId,
        null,
        null,
        'bench',
        now,
        now,
      ]);
      const inserted = await client.query<{ id: number; line_no: number }>(
        lineInsert,
        lineValues(rows[0]!.id, items, now),
      );
      const lineIds = new Map(inserted.rows.map((r) => [r.line_no, r.id]));
      await client.query(allocationInsert, allocationValues(lineIds, items, locationId));
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };
}

/**
 * The order write on better-sqlite3 alone: the same statements prepared once, in an
 * immediate transaction (as the app's dialect begins them), on its own connection with the
 * app's pragmas. Synchronous: one order holds the thread from BEGIN to COMMIT, so there is
 * no concurrency to speak of; it is measured once, one at a time.
 */
function bareSqliteOrder(
  sqlite: SqliteDatabase.Database,
  world: World,
  lines: number,
  seed: number,
) {
  const rand = random(seed);
  const now = new Date().toISOString();
  const locationId = world.locationIds[0]!;
  const sqliteParam = () => '?';
  const reserve = sqlite.prepare(
    'update stock set reserved = reserved + @q, updated_at = @now where item_id = @item and location_id = @location and on_hand - reserved - safety_stock >= @q',
  );
  const order = sqlite.prepare(ORDER_SQL(sqliteParam));
  const lineInsert = sqlite.prepare(
    `${insertSql('order_lines', LINE_COLUMNS, lines, sqliteParam)} returning id, line_no`,
  );
  const allocationInsert = sqlite.prepare(
    insertSql('allocations', ALLOCATION_COLUMNS, lines, sqliteParam),
  );
  const write = sqlite.transaction((items: number[]) => {
    for (const item of items) {
      const { changes } = reserve.run({ q: 1, now, item, location: locationId });
      if (changes !== 1) throw new Error('the bare reservation was refused');
    }
    const { id } = order.get(world.channelId, null, null, 'bench', now, now) as { id: number };
    const inserted = lineInsert.all(lineValues(id, items, now)) as {
      id: number;
      line_no: number;
    }[];
    const lineIds = new Map(inserted.map((r) => [r.line_no, r.id]));
    allocationInsert.run(allocationValues(lineIds, items, locationId));
  });
  return async () => {
    write.immediate(distinct(rand, lines).map((i) => world.itemIds[i - 1]!));
  };
}

/** Opens the bench file again the way src/db/database.ts opens it. */
function openBareSqlite(url: string): SqliteDatabase.Database {
  const sqlite = new SqliteDatabase(url.slice('file:'.length));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}

/**
 * The HTTP limit: an empty POST route on a bare Fastify (JSON body parsed, 201 `{"id":1}`),
 * sent exactly the requests the order figures send (same client, headers and body sizes).
 */
async function bareFastify(): Promise<{ base: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.post('/v1/orders', async (_request, reply) => reply.code(201).send({ id: 1 }));
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return { base, close: () => app.close() };
}

/**
 * HTTP orders from the worker-thread client of bench/http-load.ts, so the client's work is
 * not on the server's event loop: 2,000 different bodies in turn, each request with a fresh
 * Idempotency-Key (a new order every time). CPU per op is still the whole process's,
 * client thread included.
 */
async function measureHttp(
  base: string,
  key: string,
  lines: number,
  seed: number,
  concurrency: number,
): Promise<Rate> {
  const rand = random(seed);
  const bodies = Array.from({ length: 2000 }, () => ({
    channel: 'web',
    lines: distinct(rand, lines).map((i) => ({
      sku: skuOf(i),
      quantity: 1,
      acceptBackorder: false,
    })),
  }));
  return measureOrders(base, key, bodies, concurrency);
}

async function measureOrders(
  base: string,
  key: string,
  bodies: readonly object[],
  concurrency: number,
  expectStatus = 201,
): Promise<Rate> {
  const requests = bodies.map((body) => ({
    method: 'POST' as const,
    path: '/v1/orders',
    body: JSON.stringify(body),
  }));
  const run = async (seconds: number) => {
    const batchesBefore = await batchCounts(base, key);
    const result = await load({
      base,
      requests,
      headers: { authorization: `Bearer ${key}` },
      concurrency,
      seconds,
      expectStatus,
      idempotencyKeyPrefix: `${randomUUID()}-`,
    });
    return {
      perSecond: result.perSecond,
      operations: result.requests,
      cpuPerOp: result.cpuPerOp,
      serverCpuPerOp: result.serverCpuPerOp,
      machineBusy: result.machineBusy,
      perBatch: perBatch(batchesBefore, await batchCounts(base, key)),
      p50: result.p50,
      p99: result.p99,
    };
  };
  await run(WARM_UP_SECONDS);
  return run(SECONDS);
}

/** The order batches' counters of this process, from its own /metrics. */
async function batchCounts(base: string, key: string) {
  const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${key}` } });
  const text = await response.text();
  const read = (name: string) => Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? 0);
  return {
    batches: read('stockroom_order_batches_total'),
    orders: read('stockroom_order_batch_requests_total'),
  };
}

function perBatch(before: { batches: number; orders: number }, after: typeof before) {
  const batches = after.batches - before.batches;
  return batches > 0 ? (after.orders - before.orders) / batches : undefined;
}

interface QueueResult {
  placeMs: number;
  receiptMs: number;
  filled: number;
  /** Each successive 1,000 placed (the last slice may be shorter): rate and CPU per backorder. */
  slices: ReturnType<typeof sliceRates>;
}

/** Each new backorder should cost the same whatever the queue behind it: last ≥ 80% of first. */
const TARGET_QUEUE_RATIO = 0.8;
const QUEUE_SLICE = 1000;

/** When a slice's last placement finished, and this process's CPU time (µs) by then. */
interface SliceMark {
  at: number;
  cpu: number;
}

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/**
 * Backorders per second over each slice, and this process's CPU milliseconds per backorder
 * (on SQLite all of the database work; on PostgreSQL the client's share): the CPU figure
 * tells a cost that grows with the queue from a machine that got busier mid-run.
 */
function sliceRates(marks: readonly SliceMark[], start: SliceMark, total: number) {
  return marks.map((mark, i) => {
    const from = i === 0 ? start : marks[i - 1]!;
    const count = Math.min(QUEUE_SLICE, total - i * QUEUE_SLICE);
    return {
      perSecond: (count / (mark.at - from.at)) * 1000,
      cpuMs: (mark.cpu - from.cpu) / 1000 / count,
    };
  });
}

function queueRateLine(kind: string, slices: ReturnType<typeof sliceRates>): string {
  const first = slices[0]!;
  const last = slices[slices.length - 1]!;
  const ratio = last.perSecond / first.perSecond;
  return (
    `backorder queue (${kind}): per ${fmt(QUEUE_SLICE)} placed, ${slices.map((r) => fmt(r.perSecond)).join(', ')}/s; ` +
    `first ${fmt(first.perSecond)}/s, last ${fmt(last.perSecond)}/s, last/first ${ratio.toFixed(3)}: target (≥ ${TARGET_QUEUE_RATIO}) ${ratio >= TARGET_QUEUE_RATIO ? 'met' : 'MISSED'}; ` +
    `process CPU per backorder first ${fmt(first.cpuMs, 2)} ms, last ${fmt(last.cpuMs, 2)} ms (last/first ${(last.cpuMs / first.cpuMs).toFixed(2)}); load average now ${loadNow()}\n`
  );
}

/**
 * An item with no stock, sold on backorder, and a sent purchase order bringing `quantity`
 * of it to W1 in 20 days from its own supplier.
 */
async function comingItem(ctx: AppContext, sku: string, supplier: string, quantity: number) {
  await createItem(ctx, {
    sku,
    name: `Coming ${sku}`,
    category: 'queue',
    price: 10,
    backorderPolicy: 'incoming',
    handlingDays: 1,
  });
  await createSupplier(ctx, {
    code: supplier,
    name: `Supplier ${supplier}`,
    email: `po@${supplier.toLowerCase()}.test`,
    leadTimeDays: 10,
  });
  await putSupplierItem(ctx, supplier, sku, { unitCost: 5, preferred: true });
  const expectedDate = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  const po = await createPurchaseOrder(
    ctx,
    {
      supplier,
      location: 'W1',
      lines: [{ sku, quantity, expectedDate, confidence: 'confirmed' }],
    },
    'bench',
  );
  await transition(ctx, po.id, 'send', 'bench');
  return po;
}

/**
 * A flash sale of an item that is sold out and coming: every request a one-unit backorder
 * of that one item, over HTTP at the given concurrency, against a purchase order that never
 * runs out. Each order needs the item's lock (src/orders/place-batch.ts batches them).
 */
async function flashSale(
  ctx: AppContext,
  base: string,
  key: string,
  concurrency: number,
): Promise<Rate> {
  const sku = 'FLASH-1';
  await comingItem(ctx, sku, 'FLASHSUP', ON_HAND);
  const body = { channel: 'web', lines: [{ sku, quantity: 1, acceptBackorder: true }] };
  return measureOrders(base, key, [body], concurrency);
}

/**
 * The rush on an item that is sold out with nothing coming: every request a one-unit order
 * of it, refused (409 ORDER_REFUSED with its alternatives), recorded as lost demand.
 * Refusals are recorded in batches (src/orders/record-refusals.ts).
 */
async function soldOutRush(
  ctx: AppContext,
  base: string,
  key: string,
  concurrency: number,
): Promise<Rate> {
  const sku = 'SOLDOUT-1';
  await createItem(ctx, { sku, name: 'Sold out', category: 'rush', price: 10 });
  const body = { channel: 'web', lines: [{ sku, quantity: 1 }] };
  return measureOrders(base, key, [body], concurrency, 409);
}

/**
 * 10,000 one-unit backorders of one item waiting on one purchase order, then a receipt of
 * all 10,000 units: the receipt fills every line in queue order in its own transaction.
 */
async function backorderQueue(ctx: AppContext, base: string, key: string): Promise<QueueResult> {
  const sku = 'QUEUE-1';
  const po = await comingItem(ctx, sku, 'BENCHSUP', BACKORDERS);
  const principal = (await authenticate(ctx, key))!;

  const placeStart = performance.now();
  const start = { at: placeStart, cpu: cpuNow() };
  let next = 0;
  let done = 0;
  const marks: SliceMark[] = [];
  await Promise.all(
    Array.from({ length: QUEUE_CONCURRENCY }, async () => {
      while (next < BACKORDERS) {
        next++;
        const placed = await placeOrder(
          ctx,
          { channel: 'web', lines: [{ sku, quantity: 1, acceptBackorder: true }] },
          randomUUID(),
          principal,
        );
        if (placed.order.lines[0]!.backordered !== 1) throw new Error('not backordered');
        done++;
        if (done % QUEUE_SLICE === 0 || done === BACKORDERS)
          marks.push({ at: performance.now(), cpu: cpuNow() });
      }
    }),
  );
  const placeMs = performance.now() - placeStart;
  const slices = sliceRates(marks, start, BACKORDERS);
  process.stdout.write(`  ${queueRateLine(ctx.dbKind, slices)}`);

  // The placement kept the client's pooled connections idle long enough for the server
  // to close them; a request first makes sure the receipt is not timed over a dead one.
  for (let attempt = 1; ; attempt++) {
    try {
      await (await fetch(`${base}/health`)).text();
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  const receiptStart = performance.now();
  const response = await fetch(`${base}/v1/purchase-orders/${po.id}/receipts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      receiptId: 'bench-all',
      lines: [{ line: po.lines[0]!.id, quantity: BACKORDERS }],
    }),
  });
  const text = await response.text();
  const receiptMs = performance.now() - receiptStart;
  if (response.status !== 201) throw new Error(`receipt: ${response.status} ${text}`);
  const row = await ctx.db
    .selectFrom('order_lines')
    .innerJoin('items', 'items.id', 'order_lines.item_id')
    .select((eb) => eb.fn.sum<number>('order_lines.quantity_allocated').as('allocated'))
    .where('items.sku', '=', sku)
    .executeTakeFirstOrThrow();
  const filled = Number(row.allocated);
  if (filled !== BACKORDERS) throw new Error(`the receipt filled ${filled} of ${BACKORDERS}`);
  return { placeMs, receiptMs, filled, slices };
}

// ---------------------------------------------------------------------------------------
// Report

interface Result {
  kind: 'sqlite' | 'postgres';
  rawUpdate: Map<number, Rate>;
  rawOrder: Map<number, Rate>;
  /** The bare-driver n-line transaction by `${lines}:${concurrency}`. */
  bare: Map<string, Rate>;
  http: Map<string, Rate>;
  /** One-unit backorders of one item over HTTP at the highest concurrency. */
  flash: Rate;
  soldOut: Rate;
  queue: QueueResult;
  load: string;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const LABEL = 46;

function row(kind: Result['kind'], label: string, concurrency: string, rate: Rate, ratio: string) {
  // On SQLite the database's work is inside this process's CPU figure already.
  const server = kind === 'postgres' && rate.serverCpuPerOp !== undefined;
  const busy = rate.machineBusy === undefined ? '–' : `${fmt(rate.machineBusy * 100)}%`;
  return `${label.padEnd(LABEL)}${concurrency.padStart(6)}${fmt(rate.perSecond).padStart(10)}${fmt(rate.p50, 1).padStart(9)}${fmt(rate.p99, 1).padStart(9)}${fmt(rate.operations).padStart(9)}${fmt(rate.cpuPerOp, 2).padStart(10)}${(server ? fmt(rate.serverCpuPerOp!, 2) : '–').padStart(10)}${busy.padStart(6)}  ${ratio}`;
}

const plural = (n: number) => `${n} line${n === 1 ? '' : 's'}`;
const bareName = (kind: Result['kind']) => (kind === 'sqlite' ? 'better-sqlite3' : 'node-postgres');
const times = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

const batchNote = (rate: Rate) =>
  rate.perBatch === undefined ? '' : `${fmt(rate.perBatch, 1)} orders per batch; `;

/** What the issue asks of an HTTP figure, and how far this one is from it. */
function targetNote(r: Result, n: number, http: Rate, bare: Map<string, Rate>, c: number) {
  if (n === 1) {
    const goal = TARGET_ONE_LINE[r.kind];
    return `target ≥ ${fmt(goal)}/s: ${fmt((http.perSecond / goal) * 100)}% of it`;
  }
  if (n === 3) {
    const multiple = http.perSecond / bare.get(`3:${c}`)!.perSecond;
    return `target ≥ ${TARGET_THREE_LINE_MULTIPLE}× bare 3-line tx: ${multiple.toFixed(2)}×`;
  }
  return 'no target';
}

function table(r: Result, fastify: Map<string, Rate>): string {
  const head = `${'measure'.padEnd(LABEL)}${'conc'.padStart(6)}${'ops/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'ops'.padStart(9)}${'CPU ms/op'.padStart(10)}${'PG ms/op'.padStart(10)}${'busy'.padStart(6)}  ratio`;
  const lines = [head, '-'.repeat(head.length + 40)];
  const driver = bareName(r.kind);
  for (const c of CONCURRENCIES) {
    const update = r.rawUpdate.get(c)!;
    const tx = r.rawOrder.get(c)!;
    const bare3 = r.bare.get(`3:${c}`)!;
    // better-sqlite3 is synchronous: its figure was measured once, one at a time.
    const bareConc = r.kind === 'sqlite' ? 'sync' : String(c);
    lines.push(row(r.kind, 'conditional UPDATE, through the query builder', String(c), update, ''));
    lines.push(
      row(
        r.kind,
        '3-line tx, through the query builder',
        String(c),
        tx,
        `${times(tx.perSecond, bare3.perSecond)} bare 3-line tx`,
      ),
    );
    for (const n of BARE_LINE_COUNTS) {
      lines.push(
        row(
          r.kind,
          `bare ${driver} ${n}-line tx (ceiling)`,
          bareConc,
          r.bare.get(`${n}:${c}`)!,
          '',
        ),
      );
    }
    for (const n of LINE_COUNTS) {
      const f = fastify.get(`${n}:${c}`)!;
      lines.push(
        row(r.kind, `bare Fastify empty POST, ${n}-line body`, String(c), f, 'the HTTP limit'),
      );
    }
    for (const n of LINE_COUNTS) {
      const http = r.http.get(`${n}:${c}`)!;
      const bare = r.bare.get(`${n}:${c}`)!;
      const f = fastify.get(`${n}:${c}`)!;
      lines.push(
        row(
          r.kind,
          `HTTP POST /v1/orders, ${plural(n)}`,
          String(c),
          http,
          `${times(http.perSecond, bare.perSecond)} bare ${n}-line tx; ${fmt((http.perSecond / f.perSecond) * 100, 1)}% of bare Fastify; ${batchNote(http)}${targetNote(r, n, http, r.bare, c)}`,
        ),
      );
    }
  }
  return lines.join('\n');
}

/**
 * What one order costs the machine in CPU, and the rate the cores allow at that cost: the
 * bench client, the service and PostgreSQL share them, so when the machine is nearly all
 * busy, a faster rate needs less CPU per order somewhere, not less waiting.
 */
function cpuBudget(kind: Result['kind'], http: Rate, goal: number): string {
  const server = kind === 'postgres' ? http.serverCpuPerOp : 0;
  if (server === undefined) return '';
  const perOrder = http.cpuPerOp + server;
  const cores = cpus().length;
  const parts = kind === 'postgres' ? ` + ${fmt(server, 2)} ms in PostgreSQL` : '';
  const busy =
    http.machineBusy === undefined ? '' : `; the machine was ${fmt(http.machineBusy * 100)}% busy`;
  return `CPU per 1-line order over HTTP: ${fmt(http.cpuPerOp, 2)} ms in this process (bench client and service)${parts} = ${fmt(perOrder, 2)} ms, so ${cores} cores allow at most ${fmt((cores * 1000) / perOrder)}/s; ${fmt(goal)}/s needs ${fmt((cores * 1000) / goal, 2)} ms or less${busy}`;
}

/** Issue 14's targets at the highest concurrency measured (they are set at 32). */
function targetLines(r: Result): string[] {
  const c = Math.max(...CONCURRENCIES);
  const out: string[] = [];
  const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
  const one = r.http.get(`1:${c}`);
  if (one) {
    const goal = TARGET_ONE_LINE[r.kind];
    out.push(
      `target: 1-line orders over HTTP at concurrency ${c} ≥ ${fmt(goal)}/s: ${fmt(one.perSecond)}/s (p50 ${fmt(one.p50, 1)} ms, p99 ${fmt(one.p99, 1)} ms), ${fmt((one.perSecond / goal) * 100)}% of it: ${verdict(one.perSecond >= goal)}`,
    );
  }
  const three = r.http.get(`3:${c}`);
  const bare3 = r.bare.get(`3:${c}`)!;
  if (three) {
    const multiple = three.perSecond / bare3.perSecond;
    out.push(
      `target: 3-line orders over HTTP at concurrency ${c} ≥ ${TARGET_THREE_LINE_MULTIPLE}× the bare ${bareName(r.kind)} 3-line tx: ${fmt(three.perSecond)} vs ${fmt(bare3.perSecond)}/s = ${multiple.toFixed(2)}× (p50 ${fmt(three.p50, 1)} ms, p99 ${fmt(three.p99, 1)} ms): ${verdict(multiple >= TARGET_THREE_LINE_MULTIPLE)}`,
    );
  }
  if (one) out.push(cpuBudget(r.kind, one, TARGET_ONE_LINE[r.kind]));
  const builder = r.rawOrder.get(c)!;
  out.push(
    `ceiling: the 3-line tx through the query builder runs ${fmt(builder.perSecond)}/s, ${fmt((builder.perSecond / bare3.perSecond) * 100)}% of the bare driver's ${fmt(bare3.perSecond)}/s${r.kind === 'sqlite' ? ' (synchronous, measured one at a time)' : ''}; both fire the stock trigger (availability_changes) as the service does`,
  );
  return out;
}

async function benchOne(target: Target): Promise<Result> {
  const { database, url, describe, cleanup } = await target.open();
  process.stdout.write(`\n=== ${target.kind}: ${describe}\n`);
  try {
    await migrateToLatest(database.db);
    const seedStart = performance.now();
    const world = await seed(database.db);
    process.stdout.write(
      `  loaded ${fmt(ITEMS)} items × ${LOCATIONS.length} locations with ${fmt(ON_HAND)} units each in ${fmt(performance.now() - seedStart)} ms\n`,
    );
    const ctx: AppContext = {
      db: database.db,
      dbKind: database.kind,
      clock: systemClock,
      groupCommit: GROUP_COMMIT === 'off' ? 'off' : groupCommitSettings(database.kind),
    };
    const { key } = await createKey(ctx, { name: 'bench', role: 'admin' });
    // With a LISTEN connection, as `stockroom serve` has, the key and channel caches are on.
    const app = await buildApp(ctx, {
      ...(database.kind === 'postgres' && { events: { databaseUrl: url } }),
    });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const bareRates = new Map<string, Rate>();
    // better-sqlite3 blocks the thread for a whole transaction, so workers cannot overlap:
    // one measurement, one at a time, stands for every concurrency.
    if (target.kind === 'sqlite') {
      const sqlite = openBareSqlite(url);
      try {
        for (const n of BARE_LINE_COUNTS) {
          const rate = await measure(1, bareSqliteOrder(sqlite, world, n, 400 + n));
          for (const c of CONCURRENCIES) bareRates.set(`${n}:${c}`, rate);
        }
      } finally {
        sqlite.close();
      }
    }
    const pool =
      target.kind === 'postgres' ? new pg.Pool({ connectionString: url, max: 10 }) : undefined;
    try {
      const rawUpdateRates = new Map<number, Rate>();
      const rawOrderRates = new Map<number, Rate>();
      const http = new Map<string, Rate>();
      for (const c of CONCURRENCIES) {
        const update = rawUpdate(database.db, world, 100 + c);
        rawUpdateRates.set(c, await measure(c, update));
        const tx = builderOrderTransaction(database.db, world, 3, 200 + c);
        rawOrderRates.set(c, await measure(c, tx));
        if (pool) {
          for (const n of BARE_LINE_COUNTS) {
            const bare = barePgOrder(pool, world, n, 500 + c * 10 + n);
            bareRates.set(`${n}:${c}`, await measure(c, bare));
          }
        }
        for (const n of LINE_COUNTS) {
          http.set(`${n}:${c}`, await measureHttp(base, key, n, 300 + c * 10 + n, c));
        }
        process.stdout.write(
          `  concurrency ${c}: 3-line tx through the query builder ${fmt(rawOrderRates.get(c)!.perSecond)}/s, bare ${BARE_LINE_COUNTS.map((n) => `${n}-line ${fmt(bareRates.get(`${n}:${c}`)!.perSecond)}/s`).join(', ')}; HTTP ${LINE_COUNTS.map((n) => `${n}-line ${fmt(http.get(`${n}:${c}`)!.perSecond)}/s`).join(', ')}\n`,
        );
      }
      await pool?.end();
      const flash = await flashSale(ctx, base, key, Math.max(...CONCURRENCIES));
      process.stdout.write(
        `  flash sale: one-unit backorders of one item over HTTP at concurrency ${Math.max(...CONCURRENCIES)}: ${fmt(flash.perSecond)}/s (p50 ${fmt(flash.p50, 1)} ms, p99 ${fmt(flash.p99, 1)} ms)\n`,
      );
      const soldOut = await soldOutRush(ctx, base, key, Math.max(...CONCURRENCIES));
      process.stdout.write(
        `  sold out: one-unit orders of an item with nothing coming, each refused, at concurrency ${Math.max(...CONCURRENCIES)}: ${fmt(soldOut.perSecond)}/s (p50 ${fmt(soldOut.p50, 1)} ms, p99 ${fmt(soldOut.p99, 1)} ms)\n`,
      );
      process.stdout.write(`  backorder queue: placing ${fmt(BACKORDERS)} one-unit backorders…\n`);
      const queue = await backorderQueue(ctx, base, key);
      process.stdout.write(
        `  placed in ${fmt(queue.placeMs)} ms; receipt of ${fmt(BACKORDERS)} units filled ${fmt(queue.filled)} lines in ${fmt(queue.receiptMs)} ms\n`,
      );
      return {
        kind: target.kind,
        rawUpdate: rawUpdateRates,
        rawOrder: rawOrderRates,
        bare: bareRates,
        http,
        flash,
        soldOut,
        queue,
        load: loadNow(),
      };
    } finally {
      if (pool && !pool.ended) await pool.end();
      await app.close();
    }
  } finally {
    await cleanup();
  }
}

/** The HTTP limit on this machine, once per run: it does not depend on the database. */
async function fastifyCeilings(): Promise<Map<string, Rate>> {
  const server = await bareFastify();
  const key = `sr_${randomBytes(24).toString('hex')}`;
  const rates = new Map<string, Rate>();
  try {
    // The first HTTP measurement of the process ran at a fraction of the later ones (the
    // client and server code not yet optimised): one discarded round warms them.
    await measureHttp(server.base, key, LINE_COUNTS[0]!, 599, Math.max(...CONCURRENCIES));
    for (const c of CONCURRENCIES) {
      for (const n of LINE_COUNTS) {
        rates.set(`${n}:${c}`, await measureHttp(server.base, key, n, 600 + c * 10 + n, c));
      }
    }
  } finally {
    await server.close();
  }
  process.stdout.write(
    `  bare Fastify (empty POST route, same client and bodies): ${[...rates].map(([k, r]) => `${k.replace(':', '-line, conc ')} ${fmt(r.perSecond)}/s`).join('; ')}\n`,
  );
  return rates;
}

// ---------------------------------------------------------------------------------------

process.stdout.write(
  `Stockroom order benchmark: ${fmt(ITEMS)} items with ample stock, ${SECONDS} s per measurement after ${WARM_UP_SECONDS} s warm-up; concurrency ${CONCURRENCIES.join(', ')}; ${LINE_COUNTS.join(', ')}-line orders; backorder queue of ${fmt(BACKORDERS)}\n` +
    `${machineLine()}\n`,
);

const targets = await chosenTargets(args.only);
const fastify = await fastifyCeilings();

const results: Result[] = [];
for (const target of targets) results.push(await benchOne(target));

for (const r of results) {
  process.stdout.write(
    `\n--- ${r.kind} summary (load average at the end ${r.load})\n${table(r, fastify)}\n`,
  );
  for (const line of targetLines(r)) process.stdout.write(`${line}\n`);
  const c = Math.max(...CONCURRENCIES);
  process.stdout.write(
    `flash sale: one-unit backorders of one item over HTTP at concurrency ${c}: ${fmt(r.flash.perSecond)}/s (p50 ${fmt(r.flash.p50, 1)} ms, p99 ${fmt(r.flash.p99, 1)} ms), ${times(r.flash.perSecond, r.http.get(`1:${c}`)?.perSecond ?? Number.NaN)} the 1-line orders from stock\n`,
  );
  process.stdout.write(
    `sold out: one-unit orders of an item with nothing coming, each refused, over HTTP at concurrency ${c}: ${fmt(r.soldOut.perSecond)}/s (p50 ${fmt(r.soldOut.p50, 1)} ms, p99 ${fmt(r.soldOut.p99, 1)} ms), ${times(r.soldOut.perSecond, r.http.get(`1:${c}`)?.perSecond ?? Number.NaN)} the 1-line orders from stock\n`,
  );
  process.stdout.write(
    `backorder queue: ${fmt(BACKORDERS)} one-unit backorders placed in ${fmt(r.queue.placeMs)} ms (${fmt((BACKORDERS / r.queue.placeMs) * 1000)}/s at concurrency ${QUEUE_CONCURRENCY}, in process); one receipt of ${fmt(BACKORDERS)} units filled them in ${fmt(r.queue.receiptMs)} ms: ${r.queue.receiptMs < TARGET_RECEIPT_MS ? 'within' : 'OVER'} the ${fmt(TARGET_RECEIPT_MS)} ms target\n`,
  );
}
