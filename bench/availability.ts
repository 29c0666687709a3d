import { parseArgs } from 'node:util';
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

const { values: args } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    only: { type: 'string' },
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '8' },
  },
});

const ITEMS = Number(args.items);
const RUNS = Number(args.runs);
const LOOKUP_SECONDS = Number(args.seconds);
const CONCURRENCY = Number(args.concurrency);
const PAGE_LIMIT = 5000;
const FILTER_STATE = 'low_stock';
const LOCATIONS = ['W1', 'S1', 'S2', 'S3'] as const;
const CHANNEL = 'all';
const SQLITE_TARGET_MS = 2000;
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

async function lookups(base: string, headers: Record<string, string>, seconds: number) {
  const rand = random(7);
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  const worker = async () => {
    while (performance.now() < deadline) {
      const sku = skuOf(1 + Math.floor(rand() * ITEMS));
      const t0 = performance.now();
      const response = await fetch(`${base}/v1/availability/${sku}?channel=${CHANNEL}`, {
        headers,
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`lookup ${sku}: ${response.status} ${text}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return {
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    p50: pct(0.5),
    p99: pct(0.99),
  };
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
    stockRows += (await stockForItemRange(db, first, last, locationIds)).length;
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

interface Result {
  kind: string;
  seedMs: number;
  raw: Timed;
  service: Timed;
  csv: Timed;
  json: Timed;
  filtered: Timed;
  lookup: Awaited<ReturnType<typeof lookups>>;
  load: string;
  states: Map<string, number>;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(r: Result): string {
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
  lines.push(
    `single-item lookups, concurrency ${CONCURRENCY}: ${fmt(r.lookup.perSecond)} req/s over ${fmt(r.lookup.requests)} requests (p50 ${r.lookup.p50.toFixed(1)} ms, p99 ${r.lookup.p99.toFixed(1)} ms)`,
  );
  if (r.csv.bytes !== undefined) {
    lines.push(
      `CSV body: ${fmt(r.csv.bytes / 1e6, 1)} MB; JSON feed body: ${fmt((r.json.bytes ?? 0) / 1e6, 1)} MB`,
    );
  }
  return lines.join('\n');
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
    const app = await buildApp(ctx);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      process.stdout.write(`  app listening on ${base}; warm-up run + ${RUNS} timed runs each\n`);
      const raw = await repeat('raw SELECTs (feed statements)', () =>
        rawSelect(database.db, locationIds),
      );
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
        if (t.items !== ITEMS)
          throw new Error(`${label} feed returned ${t.items} of ${ITEMS} items`);
      }
      if (filtered.items !== (states.get(FILTER_STATE) ?? 0)) {
        throw new Error(`filtered feed returned ${filtered.items} ${FILTER_STATE} items`);
      }
      process.stdout.write(
        `  single-item lookups for ${LOOKUP_SECONDS} s at concurrency ${CONCURRENCY}\n`,
      );
      await lookups(base, headers, 1); // warm-up, not reported
      const lookup = await lookups(base, headers, LOOKUP_SECONDS);
      return {
        kind: target.kind,
        seedMs,
        raw,
        service,
        csv,
        json,
        filtered,
        lookup,
        states,
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
  const states = [...r.states.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([s, n]) => `${s} ${fmt(n)}`)
    .join(', ');
  process.stdout.write(
    `\n--- ${r.kind} summary (bulk load ${fmt(r.seedMs)} ms; states: ${states}; load average at the end ${r.load})\n${table(r)}\n`,
  );
  if (r.kind === 'sqlite' && ITEMS === 100_000) {
    const verdict = r.csv.median < SQLITE_TARGET_MS ? 'within' : 'OVER';
    process.stdout.write(
      `target: whole ${fmt(ITEMS)}-item CSV feed under ${fmt(SQLITE_TARGET_MS)} ms on SQLite: median ${fmt(r.csv.median)} ms, ${verdict} target\n`,
    );
  }
}
