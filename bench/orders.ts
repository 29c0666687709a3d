/**
 * Order placement benchmark, on SQLite and on PostgreSQL.
 *
 *   npm run bench:orders                                   # both databases
 *   npm run bench:orders -- --only sqlite --seconds 2 --concurrency 1,8,32 --lines 1,3,10
 *   npm run bench:orders -- --backorders 2000              # a smaller backorder queue
 *
 * For each database it loads a catalogue with ample stock (no order is refused), starts
 * the real app (buildApp) on 127.0.0.1 with an ephemeral port and measures, at each
 * concurrency:
 *   - raw conditional UPDATE: the reservation statement alone (`UPDATE stock SET reserved =
 *     reserved + 1 WHERE … AND on_hand - reserved - safety_stock >= 1`, the repository's
 *     reserveStock), autocommit, through the same Kysely driver: the ceiling of one row;
 *   - raw 3-line order transaction: reserve 3 stock rows + insert an order, 3 lines and
 *     3 allocations in one transaction, through the same driver: the ceiling for an order;
 *   - HTTP POST /v1/orders with 1, 3 and 10 lines (acceptBackorder false, plenty of
 *     stock), each with a fresh Idempotency-Key: orders/s, p50 and p99 latency.
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
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Insertable, Kysely, Transaction } from 'kysely';
import { authenticate, createKey } from '../src/access/keys.service.js';
import { buildApp } from '../src/app/build-app.js';
import { createItem } from '../src/catalogue/items.service.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { DB } from '../src/db/schema.js';
import type { ItemsTable } from '../src/db/tables/items.js';
import type { StockTable } from '../src/db/tables/stock.js';
import type { AppContext } from '../src/kernel/context.js';
import { reserveStock } from '../src/kernel/ledger/stock.repository.js';
import { placeOrder } from '../src/orders/place-order.js';
import { createPurchaseOrder, transition } from '../src/purchasing/purchase-orders.service.js';
import { createSupplier, putSupplierItem } from '../src/purchasing/suppliers.service.js';
import { systemClock } from '../src/shared/clock.js';
import { chosenTargets, loadNow, machineLine, type Target } from './databases.js';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    items: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '1,8,32' },
    lines: { type: 'string', default: '1,3,10' },
    backorders: { type: 'string', default: '10000' },
  },
});

const ITEMS = Number(args.items);
const SECONDS = Number(args.seconds);
const CONCURRENCIES = args.concurrency.split(',').map(Number);
const LINE_COUNTS = args.lines.split(',').map(Number);
const BACKORDERS = Number(args.backorders);
const ON_HAND = 100_000_000;
const WARM_UP_SECONDS = 0.5;
/** Concurrency of the in-process placement of the backorder queue (not measured as a target). */
const QUEUE_CONCURRENCY = 8;
/** The target: 3-line orders at concurrency 32 reach this share of the raw transaction. */
const TARGET_SHARE = 0.4;
const TARGET_RECEIPT_MS = 5000;

for (const [name, value] of Object.entries({ ITEMS, SECONDS, BACKORDERS })) {
  if (!(value > 0)) throw new Error(`${name} must be positive`);
}
for (const n of [...CONCURRENCIES, ...LINE_COUNTS]) {
  if (!Number.isInteger(n) || n < 1) throw new Error('--concurrency and --lines take 1,2,…');
}
if (Math.max(...LINE_COUNTS) > ITEMS) throw new Error('more lines than items');

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

interface Rate {
  perSecond: number;
  operations: number;
  /** CPU time of this process (user + system) per operation, in ms: moves less than wall time under load. */
  cpuPerOp: number;
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
    const cpuStart = process.cpuUsage();
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
    const cpu = process.cpuUsage(cpuStart);
    latencies.sort((a, b) => a - b);
    return {
      perSecond: latencies.length / elapsed,
      operations: latencies.length,
      cpuPerOp: (cpu.user + cpu.system) / 1000 / Math.max(1, n),
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

/** The bare order write the service cannot go below: 3 reservations and 7 inserts. */
function rawOrderTransaction(db: Kysely<DB>, world: World, seed: number) {
  const rand = random(seed);
  const now = new Date().toISOString();
  const locationId = world.locationIds[0]!;
  return async () => {
    const items = distinct(rand, 3).map((i) => world.itemIds[i - 1]!);
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
      const { id: orderId } = await trx
        .insertInto('orders')
        .values({
          channel_id: world.channelId,
          customer_id: null,
          reference: null,
          created_by: 'bench',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const [index, itemId] of items.entries()) {
        const { id: lineId } = await trx
          .insertInto('order_lines')
          .values({
            order_id: orderId,
            line_no: index + 1,
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
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('allocations')
          .values({ order_line_id: lineId, location_id: locationId, item_id: itemId, quantity: 1 })
          .execute();
      }
    });
  };
}

function httpOrder(base: string, key: string, lines: number, seed: number) {
  const rand = random(seed);
  return async () => {
    const body = {
      channel: 'web',
      lines: distinct(rand, lines).map((i) => ({
        sku: skuOf(i),
        quantity: 1,
        acceptBackorder: false,
      })),
    };
    const response = await fetch(`${base}/v1/orders`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`POST /v1/orders: ${response.status} ${text}`);
  };
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
 * 10,000 one-unit backorders of one item waiting on one purchase order, then a receipt of
 * all 10,000 units: the receipt fills every line in queue order in its own transaction.
 */
async function backorderQueue(ctx: AppContext, base: string, key: string): Promise<QueueResult> {
  const actor = 'bench';
  const sku = 'QUEUE-1';
  await createItem(ctx, {
    sku,
    name: 'Queued item',
    category: 'queue',
    price: 10,
    backorderPolicy: 'incoming',
    handlingDays: 1,
  });
  await createSupplier(ctx, {
    code: 'BENCHSUP',
    name: 'Bench supplier',
    email: 'po@bench.test',
    leadTimeDays: 10,
  });
  await putSupplierItem(ctx, 'BENCHSUP', sku, { unitCost: 5, preferred: true });
  const expectedDate = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  const po = await createPurchaseOrder(
    ctx,
    {
      supplier: 'BENCHSUP',
      location: 'W1',
      lines: [{ sku, quantity: BACKORDERS, expectedDate, confidence: 'confirmed' }],
    },
    actor,
  );
  await transition(ctx, po.id, 'send', actor);
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
  kind: string;
  rawUpdate: Map<number, Rate>;
  rawOrder: Map<number, Rate>;
  http: Map<string, Rate>;
  queue: QueueResult;
  load: string;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function row(label: string, concurrency: number, rate: Rate, ratio: string): string {
  return `${label.padEnd(34)}${String(concurrency).padStart(6)}${fmt(rate.perSecond).padStart(10)}${fmt(rate.p50, 1).padStart(9)}${fmt(rate.p99, 1).padStart(9)}${fmt(rate.operations).padStart(9)}${fmt(rate.cpuPerOp, 2).padStart(10)}  ${ratio}`;
}

function table(r: Result): string {
  const head = `${'measure'.padEnd(34)}${'conc'.padStart(6)}${'ops/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'ops'.padStart(9)}${'CPU ms/op'.padStart(10)}  ratio`;
  const lines = [head, '-'.repeat(head.length + 28)];
  for (const c of CONCURRENCIES) {
    const update = r.rawUpdate.get(c)!;
    const tx = r.rawOrder.get(c)!;
    lines.push(row('raw conditional UPDATE (ceiling)', c, update, ''));
    lines.push(
      row(
        'raw 3-line order transaction',
        c,
        tx,
        `${(tx.perSecond / update.perSecond).toFixed(2)}× raw UPDATE`,
      ),
    );
    for (const n of LINE_COUNTS) {
      const http = r.http.get(`${n}:${c}`)!;
      lines.push(
        row(
          `HTTP POST /v1/orders, ${n} line${n === 1 ? '' : 's'}`,
          c,
          http,
          `${fmt((http.perSecond / tx.perSecond) * 100)}% of raw 3-line tx; ${fmt(http.perSecond * n)} lines/s`,
        ),
      );
    }
  }
  return lines.join('\n');
}

async function benchOne(target: Target): Promise<Result> {
  const { database, describe, cleanup } = await target.open();
  process.stdout.write(`\n=== ${target.kind}: ${describe}\n`);
  try {
    await migrateToLatest(database.db);
    const seedStart = performance.now();
    const world = await seed(database.db);
    process.stdout.write(
      `  loaded ${fmt(ITEMS)} items × ${LOCATIONS.length} locations with ${fmt(ON_HAND)} units each in ${fmt(performance.now() - seedStart)} ms\n`,
    );
    const ctx: AppContext = { db: database.db, dbKind: database.kind, clock: systemClock };
    const { key } = await createKey(ctx, { name: 'bench', role: 'admin' });
    const app = await buildApp(ctx);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const rawUpdateRates = new Map<number, Rate>();
      const rawOrderRates = new Map<number, Rate>();
      const http = new Map<string, Rate>();
      for (const c of CONCURRENCIES) {
        const update = rawUpdate(database.db, world, 100 + c);
        rawUpdateRates.set(c, await measure(c, update));
        const tx = rawOrderTransaction(database.db, world, 200 + c);
        rawOrderRates.set(c, await measure(c, tx));
        for (const n of LINE_COUNTS) {
          const order = httpOrder(base, key, n, 300 + c * 10 + n);
          http.set(`${n}:${c}`, await measure(c, order));
        }
        process.stdout.write(
          `  concurrency ${c}: raw UPDATE ${fmt(rawUpdateRates.get(c)!.perSecond)}/s, raw 3-line tx ${fmt(rawOrderRates.get(c)!.perSecond)}/s, HTTP ${LINE_COUNTS.map((n) => `${n}-line ${fmt(http.get(`${n}:${c}`)!.perSecond)}/s`).join(', ')}\n`,
        );
      }
      process.stdout.write(`  backorder queue: placing ${fmt(BACKORDERS)} one-unit backorders…\n`);
      const queue = await backorderQueue(ctx, base, key);
      process.stdout.write(
        `  placed in ${fmt(queue.placeMs)} ms; receipt of ${fmt(BACKORDERS)} units filled ${fmt(queue.filled)} lines in ${fmt(queue.receiptMs)} ms\n`,
      );
      return {
        kind: target.kind,
        rawUpdate: rawUpdateRates,
        rawOrder: rawOrderRates,
        http,
        queue,
        load: loadNow(),
      };
    } finally {
      await app.close();
    }
  } finally {
    await cleanup();
  }
}

// ---------------------------------------------------------------------------------------

process.stdout.write(
  `Stockroom order benchmark: ${fmt(ITEMS)} items with ample stock, ${SECONDS} s per measurement after ${WARM_UP_SECONDS} s warm-up; concurrency ${CONCURRENCIES.join(', ')}; ${LINE_COUNTS.join(', ')}-line orders; backorder queue of ${fmt(BACKORDERS)}\n` +
    `${machineLine()}\n`,
);

const targets = await chosenTargets(args.only);

const results: Result[] = [];
for (const target of targets) results.push(await benchOne(target));

for (const r of results) {
  process.stdout.write(
    `\n--- ${r.kind} summary (load average at the end ${r.load})\n${table(r)}\n`,
  );
  const c = Math.max(...CONCURRENCIES);
  const http3 = r.http.get(`3:${c}`);
  const tx = r.rawOrder.get(c)!;
  if (http3) {
    const share = http3.perSecond / tx.perSecond;
    process.stdout.write(
      `target: 3-line orders at concurrency ${c} at least ${TARGET_SHARE * 100}% of the raw 3-line transaction: ${fmt(share * 100)}% (${fmt(http3.perSecond)} vs ${fmt(tx.perSecond)}/s), ${share >= TARGET_SHARE ? 'within' : 'MISSED'}\n`,
    );
  }
  process.stdout.write(
    `backorder queue: ${fmt(BACKORDERS)} one-unit backorders placed in ${fmt(r.queue.placeMs)} ms (${fmt((BACKORDERS / r.queue.placeMs) * 1000)}/s at concurrency ${QUEUE_CONCURRENCY}, in process); one receipt of ${fmt(BACKORDERS)} units filled them in ${fmt(r.queue.receiptMs)} ms: ${r.queue.receiptMs < TARGET_RECEIPT_MS ? 'within' : 'OVER'} the ${fmt(TARGET_RECEIPT_MS)} ms target\n`,
  );
}
