import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { type Insertable, type Kysely, sql } from 'kysely';
import { createKey } from '../src/access/keys.service.js';
import { buildApp } from '../src/app/build-app.js';
import { itemBatch, stockForItemRange } from '../src/availability/availability.repository.js';
import { availabilityFeed, resolveScope } from '../src/availability/availability.service.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { DB } from '../src/db/schema.js';
import type { ItemsTable } from '../src/db/tables/items.js';
import type { StockTable } from '../src/db/tables/stock.js';
import type { AppContext } from '../src/kernel/context.js';
import { systemClock } from '../src/shared/clock.js';
import { chosenTargets, loadNow, machineLine, type Target } from './databases.js';
import { type LoadRequest, type LoadResult, load } from './http-load.js';

const { values: args } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    only: { type: 'string' },
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '8' },
    /** Skip the feeds: only the look-ups, the quote and the bare Fastify ceiling. */
    'lookups-only': { type: 'boolean', default: false },
  },
});
const LOOKUPS_ONLY = args['lookups-only'];

const ITEMS = Number(args.items);
const RUNS = Number(args.runs);
const LOOKUP_SECONDS = Number(args.seconds);
const CONCURRENCY = Number(args.concurrency);
const PAGE_LIMIT = 5000;
const FILTER_STATE = 'low_stock';
const LOCATIONS = ['W1', 'S1', 'S2', 'S3'] as const;
const CHANNEL = 'all';
const SQLITE_TARGET_MS = 2000;
/** Issue 14's look-up targets at concurrency 8: requests/s by database, and p99. */
const LOOKUP_TARGETS: Record<string, number> = { sqlite: 8_000, postgres: 5_000 };
const LOOKUP_P99_TARGET_MS = 10;
/** The feed's own batch size (BATCH in availability.service.ts). */
const RAW_BATCH = 2000;

for (const [name, value] of Object.entries({ ITEMS, RUNS, LOOKUP_SECONDS, CONCURRENCY })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
}

// ---------------------------------------------------------------------------------------
// Data

/** mulberry32: the same catalogue on every run and on both databases. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const skuOf = (i: number) => `BENCH-${String(i).padStart(6, '0')}`;

type Profile = 'healthy' | 'low' | 'out' | 'retired' | 'unreleased';

/** 60% plenty, 15% low, 15% out, 5% discontinued, 5% not yet released. */
function profileOf(roll: number): Profile {
  if (roll < 0.6) return 'healthy';
  if (roll < 0.75) return 'low';
  if (roll < 0.9) return 'out';
  if (roll < 0.95) return 'retired';
  return 'unreleased';
}

/** Rows per INSERT: under SQLite's 32,766 bound parameters (PostgreSQL allows 65,535). */
const rowsPerInsert = (columns: number) => Math.floor(30_000 / columns);

function* chunks<T>(rows: readonly T[]): Generator<T[]> {
  const size = rowsPerInsert(Object.keys(rows[0] ?? {}).length || 1);
  for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size);
}

/**
 * Loads the bench catalogue with multi-row INSERTs in one transaction per table. No ledger
 * rows are written: the feed never reads the ledger, and the database is thrown away.
 */
async function seed(db: Kysely<DB>): Promise<number[]> {
  const now = new Date().toISOString();
  const rand = random(20261126);
  const locationIds = await db.transaction().execute(async (trx) => {
    const ids: number[] = [];
    for (const [n, code] of LOCATIONS.entries()) {
      const { id } = await trx
        .insertInto('locations')
        .values({
          code,
          name: `Bench location ${code}`,
          kind: n === 0 ? 'warehouse' : 'store',
          time_zone: 'UTC',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(id);
    }
    const { id: channelId } = await trx
      .insertInto('channels')
      .values({
        code: CHANNEL,
        name: 'Every location',
        kind: 'online',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('channel_locations')
      .values(
        ids.map((location_id, priority) => ({ channel_id: channelId, location_id, priority })),
      )
      .execute();
    return ids;
  });

  const categories = ['kitchen', 'bathroom', 'garden', 'office', 'pets'];
  const policies = ['incoming', 'incoming', 'lead_time', 'none'] as const;
  const items: Insertable<ItemsTable>[] = [];
  const profiles: Profile[] = [];
  for (let i = 1; i <= ITEMS; i++) {
    const profile = profileOf(rand());
    profiles.push(profile);
    items.push({
      sku: skuOf(i),
      name: `Bench item ${i}`,
      category: categories[i % categories.length]!,
      price_cents: 100 + ((i * 37) % 10_000),
      status: profile === 'retired' ? 'discontinued' : 'active',
      release_date: profile === 'unreleased' ? '2099-01-01' : null,
      backorder_policy: policies[i % policies.length]!,
      backorder_cap: null,
      low_stock_threshold: 5,
      handling_days: 1,
      created_at: now,
      updated_at: now,
    });
  }
  await db.transaction().execute(async (trx) => {
    for (const chunk of chunks(items)) await trx.insertInto('items').values(chunk).execute();
  });
  const idRows = await db.selectFrom('items').select('id').orderBy('id').execute();

  const stock: Insertable<StockTable>[] = [];
  for (const [n, { id: itemId }] of idRows.entries()) {
    const profile = profiles[n]!;
    for (const [l, locationId] of locationIds.entries()) {
      const base = l === 0 ? 150 : 30;
      let onHand = 0;
      if (profile === 'healthy') onHand = Math.floor(base * (0.4 + rand()));
      else if (profile === 'low') onHand = Math.floor(rand() * 3);
      else if (profile === 'retired') onHand = rand() < 0.5 ? 0 : Math.floor(rand() * 4);
      const reserved = profile === 'healthy' ? Math.floor(rand() * Math.min(onHand, 6)) : 0;
      const safety = profile === 'healthy' && l === 0 ? 5 : 0;
      stock.push({
        item_id: itemId,
        location_id: locationId,
        on_hand: onHand,
        reserved,
        safety_stock: safety,
        last_delta: onHand,
        updated_at: now,
      });
    }
  }
  await db.transaction().execute(async (trx) => {
    for (const chunk of chunks(stock)) await trx.insertInto('stock').values(chunk).execute();
  });
  return locationIds;
}

// ---------------------------------------------------------------------------------------
// Measurement

interface Timed {
  best: number;
  median: number;
  /** Median CPU time of this process (user + system) per run: less sensitive to other load. */
  cpu: number;
  items: number;
  bytes?: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** One untimed warm-up run, then RUNS timed ones. Each run returns how many items it saw. */
async function repeat(
  label: string,
  run: () => Promise<{ items: number; bytes?: number }>,
): Promise<Timed> {
  const first = await run();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const { items } = await run();
    const cpu = process.cpuUsage(cpuStart);
    times.push(performance.now() - start);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    if (items !== first.items) throw new Error(`${label}: ${items} items, then ${first.items}`);
  }
  const timed: Timed = {
    best: Math.min(...times),
    median: median(times),
    cpu: median(cpuTimes),
    items: first.items,
  };
  if (first.bytes !== undefined) timed.bytes = first.bytes;
  process.stdout.write(
    `  ${label.padEnd(34)} ${times.map((t) => `${t.toFixed(0)} ms`).join(', ')} (process CPU ${cpuTimes.map((t) => t.toFixed(0)).join(', ')} ms)\n`,
  );
  return timed;
}

async function csvFeed(base: string, headers: Record<string, string>) {
  const response = await fetch(`${base}/v1/availability.csv?channel=${CHANNEL}`, { headers });
  if (response.status !== 200 || !response.body) {
    throw new Error(`CSV feed: ${response.status} ${await response.text()}`);
  }
  let newlines = 0;
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
  }
  return { items: newlines - 1, bytes };
}

interface FeedPage {
  items: { state: string }[];
  nextCursor: string | null;
}

async function jsonFeed(
  base: string,
  headers: Record<string, string>,
  state?: string,
  states?: Map<string, number>,
) {
  let cursor: string | null = null;
  let items = 0;
  let bytes = 0;
  do {
    const url = new URL(`${base}/v1/availability`);
    url.searchParams.set('channel', CHANNEL);
    url.searchParams.set('limit', String(PAGE_LIMIT));
    if (state) url.searchParams.set('state', state);
    if (cursor) url.searchParams.set('cursor', cursor);
    const response = await fetch(url, { headers });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`JSON feed: ${response.status} ${text}`);
    bytes += text.length;
    const page = JSON.parse(text) as FeedPage;
    items += page.items.length;
    if (states) for (const { state: s } of page.items) states.set(s, (states.get(s) ?? 0) + 1);
    cursor = page.nextCursor;
  } while (cursor);
  return { items, bytes };
}

/** Random SKUs, the same on every run: the look-ups and quotes cycle through them. */
function randomSkus(count: number): string[] {
  const rand = random(7);
  return Array.from({ length: count }, () => skuOf(1 + Math.floor(rand() * ITEMS)));
}

const lookupRequests = (): LoadRequest[] =>
  randomSkus(10_000).map((sku) => ({
    method: 'GET',
    path: `/v1/availability/${sku}?channel=${CHANNEL}`,
  }));

const quoteRequests = (): LoadRequest[] =>
  randomSkus(10_000).map((sku) => ({
    method: 'POST',
    path: '/v1/orders/quote',
    body: JSON.stringify({ channel: CHANNEL, lines: [{ sku, quantity: 1 }] }),
  }));

/** A 1-second warm-up, then `seconds` measured, from the load worker (bench/http-load.ts). */
async function measured(
  base: string,
  headers: Record<string, string>,
  requests: LoadRequest[],
  seconds = LOOKUP_SECONDS,
): Promise<LoadResult> {
  const options = { base, requests, headers, concurrency: CONCURRENCY };
  await load({ ...options, seconds: 1 });
  return load({ ...options, seconds });
}

/**
 * The HTTP limit on this machine now: a bare Fastify route answering a small JSON object,
 * measured with the same client, concurrency and duration as the look-ups.
 */
async function bareFastify(): Promise<LoadResult> {
  const bare = Fastify();
  bare.get('/ping', async () => ({ sku: 'BENCH-000001', state: 'in_stock', purchasable: true }));
  const base = await bare.listen({ host: '127.0.0.1', port: 0 });
  try {
    return await measured(base, {}, [{ method: 'GET', path: '/ping' }]);
  } finally {
    await bare.close();
  }
}

/**
 * The ceiling: the statements the feed issues (a batch of items, then their stock rows), run
 * through the same repository functions and driver, with no rules, no mapping and no HTTP.
 */
async function rawSelect(db: Kysely<DB>, locationIds: number[]) {
  let items = 0;
  let stockRows = 0;
  for (let afterId = 0; ; ) {
    const batch = await itemBatch(db, { afterId, limit: RAW_BATCH });
    if (batch.length === 0) break;
    const first = batch[0]!.id;
    const last = batch.at(-1)!.id;
    stockRows += (await stockForItemRange(db, first, last, locationIds, new Date().toISOString()))
      .length;
    items += batch.length;
    afterId = last;
  }
  if (stockRows !== items * locationIds.length) throw new Error('stock rows missing');
  return { items };
}

/** The service's own generator, as the CSV route drives it, without HTTP or CSV. */
async function serviceFeed(ctx: AppContext) {
  const scope = await resolveScope(ctx.db, { channel: CHANNEL });
  let items = 0;
  for await (const _ of availabilityFeed(ctx, scope, { quantity: 1 })) items++;
  return { items };
}

// ---------------------------------------------------------------------------------------
// Report

interface Feeds {
  raw: Timed;
  service: Timed;
  csv: Timed;
  json: Timed;
  filtered: Timed;
  states: Map<string, number>;
}

interface Result {
  kind: string;
  seedMs: number;
  /** Absent with --lookups-only. */
  feeds?: Feeds;
  lookup: LoadResult;
  quote: LoadResult;
  ceiling: LoadResult;
  load: string;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function feedTable(r: Feeds): string[] {
  const rows: [string, Timed, string][] = [
    ['raw SELECTs, no rules (ceiling)', r.raw, ''],
    ['service feed, no HTTP', r.service, ''],
    ['HTTP CSV feed', r.csv, ''],
    [`HTTP JSON feed, limit=${PAGE_LIMIT}`, r.json, ''],
    [`HTTP JSON feed, state=${FILTER_STATE}`, r.filtered, ' (scans all items)'],
  ];
  const head = `${'measure'.padEnd(36)}${'items'.padStart(9)}${'best ms'.padStart(10)}${'median ms'.padStart(11)}${'CPU ms'.padStart(8)}${'items/s best'.padStart(14)}${'items/s med'.padStart(13)}${'× raw'.padStart(8)}`;
  const lines = [head, '-'.repeat(head.length)];
  for (const [label, t, note] of rows) {
    // Throughput counts the items scanned: the filtered feed reads the whole catalogue.
    const scanned = label.includes('state=') ? ITEMS : t.items;
    lines.push(
      `${label.padEnd(36)}${fmt(t.items).padStart(9)}${fmt(t.best).padStart(10)}${fmt(t.median).padStart(11)}${fmt(t.cpu).padStart(8)}${fmt((scanned / t.best) * 1000).padStart(14)}${fmt((scanned / t.median) * 1000).padStart(13)}${`${(t.median / r.raw.median).toFixed(1)}×`.padStart(8)}${note}`,
    );
  }
  if (r.csv.bytes !== undefined) {
    lines.push(
      `CSV body: ${fmt(r.csv.bytes / 1e6, 1)} MB; JSON feed body: ${fmt((r.json.bytes ?? 0) / 1e6, 1)} MB`,
    );
  }
  return lines;
}

function httpLine(kind: string, label: string, t: LoadResult, ceiling: LoadResult): string {
  // On SQLite the database's work is inside the process figure already.
  const server =
    kind !== 'postgres' || t.serverCpuPerOp === undefined
      ? ''
      : ` + PG ${fmt(t.serverCpuPerOp, 2)}`;
  const busy = t.machineBusy === undefined ? '' : `, machine ${fmt(t.machineBusy * 100)}% busy`;
  return `${label.padEnd(44)}${fmt(t.perSecond).padStart(8)} req/s  p50 ${t.p50.toFixed(2).padStart(6)} ms  p99 ${t.p99.toFixed(2).padStart(6)} ms  ${`${((t.perSecond / ceiling.perSecond) * 100).toFixed(0)}%`.padStart(4)} of bare Fastify; CPU ms/req: process ${fmt(t.cpuPerOp, 3)}${server}${busy}`;
}

/**
 * The client, the service and (on PostgreSQL) the database share this machine's cores: the
 * CPU a look-up costs in all caps the rate, however little any of them waits.
 */
function cpuBudget(kind: string, t: LoadResult, target: number): string {
  const server = kind === 'postgres' ? (t.serverCpuPerOp ?? 0) : 0;
  const perRequest = t.cpuPerOp + server;
  const cores = cpus().length;
  const parts = kind === 'postgres' ? ` + PostgreSQL ${fmt(server, 3)}` : '';
  return `CPU per look-up: this process ${fmt(t.cpuPerOp, 3)} ms (client and service)${parts} = ${fmt(perRequest, 3)} ms, so ${cores} cores allow at most ${fmt((cores * 1000) / perRequest)}/s; the target needs ${fmt((cores * 1000) / target, 3)} ms or less`;
}

function table(r: Result): string {
  const lines = r.feeds ? feedTable(r.feeds) : [];
  const target = LOOKUP_TARGETS[r.kind]!;
  const met = r.lookup.perSecond >= target && r.lookup.p99 < LOOKUP_P99_TARGET_MS;
  lines.push(
    `HTTP at concurrency ${CONCURRENCY}, ${LOOKUP_SECONDS} s each, client in a worker thread:`,
    httpLine(r.kind, 'bare Fastify route (the HTTP limit)', r.ceiling, r.ceiling),
    httpLine(r.kind, `GET /v1/availability/{sku}?channel=${CHANNEL}`, r.lookup, r.ceiling),
    httpLine(r.kind, 'POST /v1/orders/quote, 1 line', r.quote, r.ceiling),
    `target: look-ups >= ${fmt(target)} req/s with p99 < ${LOOKUP_P99_TARGET_MS} ms on ${r.kind}: ${met ? 'met' : 'NOT met'}`,
    cpuBudget(r.kind, r.lookup, target),
  );
  return lines.join('\n');
}

async function benchFeeds(
  ctx: AppContext,
  base: string,
  headers: Record<string, string>,
  locationIds: number[],
): Promise<Feeds> {
  const raw = await repeat('raw SELECTs (feed statements)', () => rawSelect(ctx.db, locationIds));
  const service = await repeat('service feed (in-process)', () => serviceFeed(ctx));
  const csv = await repeat('HTTP CSV feed', () => csvFeed(base, headers));
  const states = new Map<string, number>();
  await jsonFeed(base, headers, undefined, states);
  const json = await repeat('HTTP JSON feed', () => jsonFeed(base, headers));
  const filtered = await repeat(`HTTP JSON feed state=${FILTER_STATE}`, () =>
    jsonFeed(base, headers, FILTER_STATE),
  );
  for (const [label, t] of [
    ['CSV', csv],
    ['JSON', json],
    ['service', service],
  ] as const) {
    if (t.items !== ITEMS) throw new Error(`${label} feed returned ${t.items} of ${ITEMS} items`);
  }
  if (filtered.items !== (states.get(FILTER_STATE) ?? 0)) {
    throw new Error(`filtered feed returned ${filtered.items} ${FILTER_STATE} items`);
  }
  return { raw, service, csv, json, filtered, states };
}

async function benchOne(target: Target): Promise<Result> {
  const { database, describe, cleanup } = await target.open();
  process.stdout.write(`\n=== ${target.kind}: ${describe}\n`);
  try {
    await migrateToLatest(database.db);
    const seedStart = performance.now();
    const locationIds = await seed(database.db);
    const seedMs = performance.now() - seedStart;
    process.stdout.write(
      `  loaded ${fmt(ITEMS)} items, ${LOCATIONS.length} locations, ${fmt(ITEMS * LOCATIONS.length)} stock rows in ${fmt(seedMs)} ms\n`,
    );
    if (target.kind === 'postgres') {
      // What autovacuum would do shortly after a bulk load; without it the planner guesses.
      await sql`analyze`.execute(database.db);
    }

    const ctx: AppContext = { db: database.db, dbKind: database.kind, clock: systemClock };
    const { key } = await createKey(ctx, { name: 'bench', role: 'admin' });
    const headers = { authorization: `Bearer ${key}` };
    // As `stockroom serve` does: PostgreSQL key and channel changes arrive by LISTEN.
    const app = await buildApp(ctx, {
      ...(database.kind === 'postgres' && { events: { databaseUrl: database.location } }),
    });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      process.stdout.write(`  app listening on ${base}\n`);
      const feeds = LOOKUPS_ONLY ? undefined : await benchFeeds(ctx, base, headers, locationIds);
      process.stdout.write(
        `  bare Fastify, look-ups, quotes: ${LOOKUP_SECONDS} s each at concurrency ${CONCURRENCY}\n`,
      );
      const ceiling = await bareFastify();
      const lookup = await measured(base, headers, lookupRequests());
      const quote = await measured(base, headers, quoteRequests());
      return {
        kind: target.kind,
        seedMs,
        ...(feeds && { feeds }),
        lookup,
        quote,
        ceiling,
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
  `Stockroom availability benchmark: ${fmt(ITEMS)} items × ${LOCATIONS.length} locations, channel "${CHANNEL}" over all of them\n` +
    `${machineLine()}\n`,
);

const targets = await chosenTargets(args.only);

const results: Result[] = [];
for (const target of targets) results.push(await benchOne(target));

for (const r of results) {
  const states = [...(r.feeds?.states.entries() ?? [])]
    .sort((a, b) => b[1] - a[1])
    .map(([s, n]) => `${s} ${fmt(n)}`)
    .join(', ');
  process.stdout.write(
    `\n--- ${r.kind} summary (bulk load ${fmt(r.seedMs)} ms; states: ${states}; load average at the end ${r.load})\n${table(r)}\n`,
  );
  if (r.feeds && r.kind === 'sqlite' && ITEMS === 100_000) {
    const verdict = r.feeds.csv.median < SQLITE_TARGET_MS ? 'within' : 'OVER';
    process.stdout.write(
      `target: whole ${fmt(ITEMS)}-item CSV feed under ${fmt(SQLITE_TARGET_MS)} ms on SQLite: median ${fmt(r.feeds.csv.median)} ms, ${verdict} target\n`,
    );
  }
}
