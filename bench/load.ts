/**
 * Load run: several real `stockroom serve` processes on one fresh PostgreSQL database,
 * each with its own HTTP clients placing orders, then the invariants read from the
 * database directly.
 *
 *   npm run bench:load                                        # 3 processes × 32 clients × 2,000 orders
 *   npm run bench:load -- --processes 2 --clients 16 --orders 500
 *   npm run bench:load -- --database stockroom_load_mine      # a name, or a postgres:// URL
 *
 * --orders is per process: its clients share that many orders, so the default run places
 * 3 × 2,000 = 6,000. Orders have 1–3 lines of 1–2 units over a few hundred SKUs; some SKUs
 * have scarce stock (a fifth of them), some lines accept a backorder (against purchase
 * orders or the supplier's lead time, per the item's policy), so orders are placed, placed
 * with backorders, and refused. The servers run the CLI from src/ through tsx (as
 * test/concurrency/servers.ts does), so they run the code in this tree, not a stale dist/.
 *
 * It prints orders/s, the status counts and latency, then checks, by reading the database:
 * no stock row oversold (reserved > on_hand, or on_hand − reserved − safety_stock < 0), the
 * ledger sums to on hand per stock row, allocations sum to reserved per stock row, no
 * supply promised beyond what it still brings (pegs = promised ≤ open quantity), every
 * line's books add up, and one order per 201. It exits 1 if any check fails or a response
 * other than 201/409 came back (2 if the run could not be made). The database is created
 * for the run and dropped after it.
 * It prints figures; it never asserts on time.
 *
 * --break spoils one row for each check after the clients stop (on_hand off its ledger,
 * safety stock over what is free, an allocation gone, a promise over its pegs), to show
 * that the checks catch it: the run must then fail.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createKey } from '../src/access/keys.service.js';
import { createChannel } from '../src/catalogue/channels.service.js';
import { createItem } from '../src/catalogue/items.service.js';
import { createLocation } from '../src/catalogue/locations.service.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { adjustStock, setSafetyStock } from '../src/inventory/stock.service.js';
import type { AppContext } from '../src/kernel/context.js';
import { createPurchaseOrder, transition } from '../src/purchasing/purchase-orders.service.js';
import { createSupplier, putSupplierItem } from '../src/purchasing/suppliers.service.js';
import { systemClock } from '../src/shared/clock.js';
import { adminQuery, loadNow, machineLine, pgAdminUrl, waitForNoConnections } from './databases.js';
import { cpuWindow } from './server-cpu.js';

const { values: args } = parseArgs({
  options: {
    processes: { type: 'string', default: '3' },
    clients: { type: 'string', default: '32' },
    orders: { type: 'string', default: '2000' },
    skus: { type: 'string', default: '300' },
    seed: { type: 'string', default: '14' },
    database: { type: 'string' },
    break: { type: 'boolean', default: false },
  },
});

const PROCESSES = Number(args.processes);
const CLIENTS = Number(args.clients);
const ORDERS = Number(args.orders);
const SKUS = Number(args.skus);
const SEED = Number(args.seed);
for (const [name, value] of Object.entries({ PROCESSES, CLIENTS, ORDERS, SKUS })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
}
if (SKUS < 10) throw new Error('--skus takes 10 or more');

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Guards against a hung child, not a performance assertion. */
const STARTUP_LIMIT_MS = 90_000;
const SHUTDOWN_LIMIT_MS = 30_000;

/**
 * The database to create: --database as a name on BENCH_DATABASE_URL's server, or a URL
 * (created through that server's own `postgres` database).
 */
function databaseTarget(): { url: string; name: string; server: string } {
  const given =
    args.database ?? `${process.env.BENCH_DATABASE_PREFIX ?? 'stockroom'}_load_${Date.now()}`;
  const url = new URL(/^postgres(ql)?:\/\//.test(given) ? given : pgAdminUrl);
  if (!/^postgres(ql)?:\/\//.test(given)) url.pathname = `/${given}`;
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    throw new Error(`--database: ${JSON.stringify(name)} is not a plain lower-case name`);
  }
  const server = new URL(url);
  server.pathname = /^postgres(ql)?:\/\//.test(given) ? '/postgres' : new URL(pgAdminUrl).pathname;
  return { url: url.toString(), name, server: server.toString() };
}

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
type Rand = () => number;
const int = (rand: Rand, min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const skuOf = (i: number) => `LOAD-${String(i).padStart(4, '0')}`;
const addDays = (days: number) =>
  new Date(systemClock.now().getTime() + days * 86_400_000).toISOString().slice(0, 10);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

// ---------------------------------------------------------------------------------------
// The world

/** A fifth of the SKUs are scarce: a few units, gone early in the run. */
const scarce = (i: number) => i % 5 === 0;

/**
 * Locations W1 (warehouse) and S1 (store), channel web over both. Of the SKUs, six in ten
 * backorder against incoming purchase orders, two in ten on the supplier's lead time, two
 * in ten never. Opening stock goes through adjustStock, so the ledger explains it.
 */
async function seedWorld(ctx: AppContext, rand: Rand) {
  const actor = 'bench:load';
  await createLocation(ctx, { code: 'W1', name: 'Warehouse', kind: 'warehouse' });
  await createLocation(ctx, { code: 'S1', name: 'Store', kind: 'store' });
  await createChannel(ctx, { code: 'web', name: 'Web', kind: 'online', locations: ['W1', 'S1'] });
  await createSupplier(ctx, {
    code: 'ACME',
    name: 'Acme',
    email: 'po@acme.test',
    leadTimeDays: 14,
  });
  const incoming: string[] = [];
  let units = 0;
  for (let i = 0; i < SKUS; i++) {
    const sku = skuOf(i);
    const policy = i % 10 < 6 ? 'incoming' : i % 10 < 8 ? 'lead_time' : 'none';
    await createItem(ctx, {
      sku,
      name: `Load item ${i}`,
      category: 'kitchen',
      price: 10,
      backorderPolicy: policy,
      handlingDays: 1,
    });
    await putSupplierItem(ctx, 'ACME', sku, { unitCost: 4, preferred: true });
    if (policy === 'incoming') incoming.push(sku);
    for (const location of ['W1', 'S1']) {
      const onHand = scarce(i)
        ? int(rand, 0, location === 'W1' ? 3 : 1)
        : int(rand, location === 'W1' ? 20 : 0, location === 'W1' ? 60 : 10);
      if (onHand > 0) {
        await adjustStock(ctx, { sku, location, delta: onHand, reason: 'opening stock' }, actor);
        units += onHand;
      }
      if (location === 'W1' && onHand > 2 && i % 7 === 0)
        await setSafetyStock(ctx, sku, location, 1);
    }
  }
  let poLines = 0;
  for (let n = 0; n < 2; n++) {
    const lines = incoming
      .filter((_, k) => k % 2 === n)
      .map((sku) => ({
        sku,
        quantity: int(rand, 5, 30),
        expectedDate: addDays(int(rand, 5, 30)),
        confidence: rand() < 0.5 ? ('confirmed' as const) : ('estimated' as const),
      }));
    const po = await createPurchaseOrder(ctx, { supplier: 'ACME', location: 'W1', lines }, actor);
    await transition(ctx, po.id, 'send', actor);
    poLines += po.lines.length;
  }
  return { units, poLines };
}

// ---------------------------------------------------------------------------------------
// Server processes

interface Server {
  url: string;
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

/** `stockroom serve` from src/ on an ephemeral port; resolves once it says it listens. */
async function startServer(databaseUrl: string): Promise<Server> {
  const { DATABASE_URL: _db, NODE_OPTIONS: _opts, ...inherited } = process.env;
  // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": a profile of each
  // server, written when it shuts down (flags NODE_OPTIONS refuses).
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const cli = [...nodeArgs, '--import', 'tsx', 'src/cli/main.ts', 'serve'];
  const child = spawn(process.execPath, cli, {
    cwd: ROOT,
    env: {
      ...inherited,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      // All the load comes from one key and one address: rate limits would refuse it.
      STOCKROOM_RATE_LIMIT_PER_KEY: '0',
      STOCKROOM_AUTH_FAILURE_LIMIT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start.\nstdout: ${out}\nstderr: ${err}`));
    }, STARTUP_LIMIT_MS);
    const check = () => {
      const found = /Stockroom listening on (http:\/\/\S+)/.exec(out);
      if (found) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(found[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`serve exited before listening.\n${out}\n${err}`));
    });
  });
  return {
    url,
    child,
    stderr: () => err,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), SHUTDOWN_LIMIT_MS);
      });
      const result = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (result === 'late') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------
// Clients

interface Tally {
  statuses: Map<number, number>;
  refusalCodes: Map<string, number>;
  latencies: number[];
  linesPlaced: number;
  backorderedLines: number;
  unitsPlaced: number;
  placed: number;
  unexpected: string[];
}

/** A fifth of the picks go to the 30 first SKUs, which makes them contended. */
function pickSku(rand: Rand): number {
  return rand() < 0.2 ? Math.floor(rand() * Math.min(30, SKUS)) : Math.floor(rand() * SKUS);
}

function orderBody(rand: Rand) {
  const lines = int(rand, 1, 3);
  const chosen = new Set<number>();
  while (chosen.size < lines) chosen.add(pickSku(rand));
  return {
    channel: 'web',
    lines: [...chosen].map((i) => ({
      sku: skuOf(i),
      quantity: int(rand, 1, 2),
      acceptBackorder: rand() < 0.4,
    })),
  };
}

const bump = <K>(map: Map<K, number>, key: K, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

/** One process's clients: they share its `ORDERS` orders. */
async function runClients(server: Server, p: number, key: string, tally: Tally) {
  let issued = 0;
  const client = async (c: number) => {
    const rand = random(SEED * 1000 + p * 100 + c);
    while (issued < ORDERS) {
      const i = issued++;
      const body = orderBody(rand);
      const t0 = performance.now();
      let status = 0;
      let text = '';
      try {
        const response = await fetch(`${server.url}/v1/orders`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            'idempotency-key': `load-${p}-${i}`,
          },
          body: JSON.stringify(body),
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        text = error instanceof Error ? error.message : String(error);
      }
      tally.latencies.push(performance.now() - t0);
      bump(tally.statuses, status);
      if (status === 201) {
        const order = JSON.parse(text) as { lines: { quantity: number; backordered: number }[] };
        tally.placed++;
        tally.linesPlaced += order.lines.length;
        tally.backorderedLines += order.lines.filter((l) => l.backordered > 0).length;
        tally.unitsPlaced += order.lines.reduce((s, l) => s + l.quantity, 0);
      } else if (status === 409) {
        bump(tally.refusalCodes, (JSON.parse(text) as { error: { code: string } }).error.code);
      } else if (tally.unexpected.length < 10) {
        tally.unexpected.push(`process ${p}: ${status} ${text.slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
}

// ---------------------------------------------------------------------------------------
// Invariants, read from the database

interface Check {
  name: string;
  sql: string;
}

/** Each query returns the rows that break its rule: none is a pass. */
const CHECKS: Check[] = [
  {
    name: 'no oversell: 0 <= reserved <= on_hand and on_hand - reserved - safety_stock >= 0',
    sql: `select item_id, location_id, on_hand, reserved, safety_stock from stock
          where reserved < 0 or reserved > on_hand or on_hand - reserved - safety_stock < 0`,
  },
  {
    name: 'ledger sum = on_hand per stock row',
    sql: `select s.item_id, s.location_id, s.on_hand, coalesce(l.total, 0) as ledger
          from stock s left join (select item_id, location_id, sum(quantity) as total
            from stock_ledger group by item_id, location_id) l
            on l.item_id = s.item_id and l.location_id = s.location_id
          where s.on_hand <> coalesce(l.total, 0)`,
  },
  {
    name: 'allocations sum = reserved per stock row',
    sql: `select s.item_id, s.location_id, s.reserved, coalesce(a.total, 0) as allocated
          from stock s left join (select item_id, location_id, sum(quantity) as total
            from allocations group by item_id, location_id) a
            on a.item_id = s.item_id and a.location_id = s.location_id
          where s.reserved <> coalesce(a.total, 0)`,
  },
  {
    name: 'allocations only on stock rows',
    sql: `select a.item_id, a.location_id from allocations a
          left join stock s on s.item_id = a.item_id and s.location_id = a.location_id
          where s.item_id is null`,
  },
  {
    name: 'pegs <= supply: PO lines promise their pegs and no more than they still bring',
    sql: `select l.id, l.quantity_promised, coalesce(p.total, 0) as pegged,
            l.quantity_ordered - l.quantity_received - l.quantity_cancelled as brings
          from purchase_order_lines l left join (select purchase_order_line_id, sum(quantity) as total
            from backorder_pegs where purchase_order_line_id is not null
            group by purchase_order_line_id) p on p.purchase_order_line_id = l.id
          where l.quantity_promised <> coalesce(p.total, 0)
             or l.quantity_promised > greatest(0, l.quantity_ordered - l.quantity_received - l.quantity_cancelled)`,
  },
  {
    name: 'pegs <= supply: transfers promise their pegs and no more than they still bring',
    sql: `select t.id, t.quantity_promised, coalesce(p.total, 0) as pegged
          from transfers t left join (select transfer_id, sum(quantity) as total
            from backorder_pegs where transfer_id is not null group by transfer_id) p
            on p.transfer_id = t.id
          where t.quantity_promised <> coalesce(p.total, 0)
             or t.quantity_promised > greatest(0, t.quantity - t.quantity_received)`,
  },
  {
    name: "order lines' books: quantity = allocated + backordered + fulfilled + cancelled; allocated = allocations; backordered = pegs + unpromised",
    sql: `select l.id from order_lines l
          left join (select order_line_id, sum(quantity) as total from allocations group by order_line_id) a
            on a.order_line_id = l.id
          left join (select order_line_id, sum(quantity) as total from backorder_pegs group by order_line_id) p
            on p.order_line_id = l.id
          where l.quantity <> l.quantity_allocated + l.quantity_backordered + l.quantity_fulfilled + l.quantity_cancelled
             or l.quantity_allocated <> coalesce(a.total, 0)
             or l.quantity_backordered <> coalesce(p.total, 0) + l.quantity_unpromised`,
  },
];

async function checkInvariants(client: pg.Client, tally: Tally): Promise<string[]> {
  const failures: string[] = [];
  for (const check of CHECKS) {
    const { rows } = await client.query(check.sql);
    process.stdout.write(`  ${rows.length === 0 ? 'ok  ' : 'FAIL'} ${check.name}\n`);
    if (rows.length > 0) {
      failures.push(`${check.name}: ${rows.length} rows, e.g. ${JSON.stringify(rows.slice(0, 3))}`);
    }
  }
  const { rows } = await client.query<{ orders: string; units: string | null }>(
    'select (select count(*) from orders) as orders, (select sum(quantity) from order_lines) as units',
  );
  const orders = Number(rows[0]!.orders);
  const units = Number(rows[0]!.units ?? 0);
  const ok = orders === tally.placed && units === tally.unitsPlaced;
  process.stdout.write(
    `  ${ok ? 'ok  ' : 'FAIL'} one order per 201: ${fmt(orders)} orders and ${fmt(units)} units stored, ${fmt(tally.placed)} orders and ${fmt(tally.unitsPlaced)} units answered 201\n`,
  );
  if (!ok)
    failures.push(
      `orders stored ${orders} / ${units} units, answered 201 ${tally.placed} / ${tally.unitsPlaced}`,
    );
  return failures;
}

/** For --break: one wrong row per rule, written behind the application's back. */
const BREAKAGES = [
  'update stock set on_hand = on_hand + 1 where (item_id, location_id) = (select item_id, location_id from stock where reserved < on_hand order by item_id, location_id limit 1)',
  'update stock set safety_stock = on_hand - reserved + 1 where (item_id, location_id) = (select item_id, location_id from stock where reserved > 0 order by item_id desc, location_id limit 1)',
  'delete from allocations where (order_line_id, location_id) = (select order_line_id, location_id from allocations order by order_line_id limit 1)',
  'update purchase_order_lines set quantity_promised = quantity_promised + 1 where id = (select min(purchase_order_line_id) from backorder_pegs)',
];

async function breakInvariants(client: pg.Client) {
  for (const statement of BREAKAGES) {
    try {
      const { rowCount } = await client.query(statement);
      process.stdout.write(`  --break: ${rowCount} row(s): ${statement.slice(0, 70)}…\n`);
    } catch (error) {
      // A constraint that refuses the breakage guards that rule already.
      process.stdout.write(`  --break: refused by the database (${(error as Error).message})\n`);
    }
  }
}

async function totals(client: pg.Client) {
  const { rows } = await client.query<Record<string, string | null>>(`select
      (select sum(on_hand) from stock) as on_hand,
      (select sum(reserved) from stock) as reserved,
      (select count(*) from stock where on_hand - reserved - safety_stock = 0) as sold_out_rows,
      (select count(*) from stock) as stock_rows,
      (select sum(quantity) from backorder_pegs where purchase_order_line_id is not null) as pegged,
      (select sum(quantity) from backorder_pegs where purchase_order_line_id is null and transfer_id is null) as lead_time,
      (select sum(quantity_unpromised) from order_lines) as unpromised,
      (select count(*) from lost_demand) as lost_demand_rows`);
  return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v ?? 0)]));
}

// ---------------------------------------------------------------------------------------

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;

async function main(): Promise<number> {
  const { url, name, server } = databaseTarget();
  process.stdout.write(
    `Stockroom load run: ${PROCESSES} server process(es) × ${CLIENTS} HTTP clients, ${fmt(ORDERS)} orders per process (${fmt(PROCESSES * ORDERS)} in all), ${SKUS} SKUs, seed ${SEED}\n${machineLine()}\n`,
  );
  const exists = await adminQuery('select 1 from pg_database where datname = $1', [name], server);
  if (exists.length > 0) {
    throw new Error(
      `database ${name} exists already: the run needs a fresh one (it drops it after)`,
    );
  }
  await adminQuery(`create database ${name}`, [], server);
  const servers: Server[] = [];
  try {
    const database = openDatabase(url);
    let world: Awaited<ReturnType<typeof seedWorld>>;
    let key: string;
    try {
      await migrateToLatest(database.db);
      const ctx: AppContext = { db: database.db, dbKind: database.kind, clock: systemClock };
      const seedStart = performance.now();
      world = await seedWorld(ctx, random(SEED));
      key = (await createKey(ctx, { name: 'bench load', role: 'admin' })).key;
      process.stdout.write(
        `  database ${name}: ${SKUS} SKUs at W1 and S1 (${fmt(world.units)} units on hand, a fifth of the SKUs scarce), ${world.poLines} purchase-order lines sent, in ${fmt(performance.now() - seedStart)} ms\n`,
      );
    } finally {
      await database.close();
    }

    const startStart = performance.now();
    servers.push(...(await Promise.all(Array.from({ length: PROCESSES }, () => startServer(url)))));
    process.stdout.write(
      `  ${PROCESSES} server process(es) listening (${servers.map((s) => s.url).join(', ')}) after ${fmt(performance.now() - startStart)} ms\n`,
    );

    const tally: Tally = {
      statuses: new Map(),
      refusalCodes: new Map(),
      latencies: [],
      linesPlaced: 0,
      backorderedLines: 0,
      unitsPlaced: 0,
      placed: 0,
      unexpected: [],
    };
    const cpu = cpuWindow();
    const started = performance.now();
    // A line now and then, so a slow run is seen to be moving.
    const progress = setInterval(() => {
      const s = (performance.now() - started) / 1000;
      process.stdout.write(
        `  … ${fmt(tally.latencies.length)} answers in ${fmt(s)} s (${fmt(tally.latencies.length / s)}/s)\n`,
      );
    }, 15_000);
    try {
      await Promise.all(servers.map((server, p) => runClients(server, p, key, tally)));
    } finally {
      clearInterval(progress);
    }
    const elapsed = (performance.now() - started) / 1000;
    const cost = cpu(tally.latencies.length);
    const load = loadNow();
    for (const server of servers) await server.stop();

    const attempts = tally.latencies.length;
    tally.latencies.sort((a, b) => a - b);
    const statuses = [...tally.statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s === 0 ? 'no answer' : s} × ${fmt(n)}`)
      .join(', ');
    const refusals = [...tally.refusalCodes].map(([c, n]) => `${c} × ${fmt(n)}`).join(', ');
    process.stdout.write(
      `\n--- results (load average at the end of the clients ${load})\n` +
        `orders: ${fmt(attempts)} requests in ${fmt(elapsed, 1)} s = ${fmt(attempts / elapsed)} orders/s answered, ${fmt(tally.placed / elapsed)} placed/s; p50 ${fmt(percentile(tally.latencies, 0.5), 1)} ms, p99 ${fmt(percentile(tally.latencies, 0.99), 1)} ms\n` +
        `statuses: ${statuses}${refusals ? ` (409: ${refusals})` : ''}\n` +
        `placed: ${fmt(tally.placed)} orders, ${fmt(tally.linesPlaced)} lines (${fmt(tally.backorderedLines)} backordered), ${fmt(tally.unitsPlaced)} units\n` +
        `client process CPU: ${fmt(cost.cpuPerOp, 2)} ms per order (the servers and PostgreSQL are not in it)\n` +
        (cost.serverCpuPerOp === undefined
          ? ''
          : `PostgreSQL CPU: ${fmt(cost.serverCpuPerOp, 2)} ms per order\n`) +
        (cost.machineBusy === undefined
          ? ''
          : `the machine was ${fmt(cost.machineBusy * 100)}% busy\n`),
    );
    for (const line of tally.unexpected) process.stdout.write(`UNEXPECTED ${line}\n`);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    let failures: string[];
    try {
      if (args.break) await breakInvariants(client);
      const t = await totals(client);
      process.stdout.write(
        `database: ${fmt(t.stock_rows!)} stock rows (${fmt(t.sold_out_rows!)} with nothing left to sell), ${fmt(t.on_hand!)} on hand, ${fmt(t.reserved!)} reserved; backordered units ${fmt(t.pegged!)} pegged to purchase orders, ${fmt(t.lead_time!)} on lead time, ${fmt(t.unpromised!)} unpromised; ${fmt(t.lost_demand_rows!)} lost-demand rows\n` +
          'invariants, read from the database:\n',
      );
      failures = await checkInvariants(client, tally);
    } finally {
      await client.end();
    }
    const stderr = servers.map((s) => s.stderr()).join('');
    if (stderr.trim())
      process.stdout.write(`server stderr (first 2,000 characters):\n${stderr.slice(0, 2000)}\n`);
    if (tally.unexpected.length > 0) failures.push('responses other than 201 and 409 came back');
    if (failures.length > 0) {
      process.stdout.write(`\nFAILED:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
      return 1;
    }
    process.stdout.write(
      `\nevery invariant holds: zero oversell, ledger = on hand, allocations = reserved, pegs <= supply (${fmt(tally.placed)} of ${fmt(attempts)} orders placed)\n`,
    );
    return 0;
  } finally {
    for (const server of servers) await server.stop();
    await waitForNoConnections(name, server);
    await adminQuery(`drop database if exists ${name} with (force)`, [], server);
    process.stdout.write(`  (database ${name} dropped)\n`);
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`bench:load: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
