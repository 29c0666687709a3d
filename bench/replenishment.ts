/**
 * Replenishment simulation over 2016 on the shared store × item data.
 *
 *   npm run bench:replenishment
 *   npm run bench:replenishment -- --service-level 0.98   # one target for all, not by ABC
 *   npm run bench:replenishment -- --seed 7 --case-pack 6 --reselect-weeks 4
 *
 * Each of the 500 store × item series is an item at a location. Every day of 2016 its
 * actual sales are the demand; what the stock cannot cover is lost. Orders are placed at
 * a weekly review (2016-01-01 and every 7th day after) and arrive after a lead time drawn
 * per order, uniform on 5..9 days (7 ± 2) from a fixed seed: the k-th review of a series
 * gets the same lead time under both policies. Two policies:
 *
 * - Stockroom: at each review, forecast every series from its sales up to the day before
 *   only (src/domain/forecasting forecastMany, the per-series selection by backtest), take
 *   reorderLevels (lead time mean 7, sd √2 — the spread of the uniform 5..9 — weekly
 *   review, cycle service level by ABC class on 2015 units sold) and order orderQuantity.
 *   The method is re-selected by full backtest every `--reselect-weeks` reviews (4: about
 *   monthly); in between each series is refitted weekly with the method it last won with
 *   (a full selection at every review gives the same figures in 2.4× the time, see
 *   bench/README.md).
 * - Fixed min/max: min = 14 days, max = 28 days of the series' average daily sales in
 *   2015; at each review, if the position is at or below min, order up to max.
 *
 * Both start on 2016-01-01 with on hand at their own order-up-to level (the max for
 * min/max) and nothing on order; both order with the same MOQ (1) and case pack.
 */
import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { POOLED_METHOD } from '../src/domain/forecasting/candidates.js';
import { forecastMany } from '../src/domain/forecasting/index.js';
import type { SeriesForecast, SeriesHistory } from '../src/domain/forecasting/types.js';
import {
  type AbcClass,
  abcClasses,
  orderQuantity,
  reorderLevels,
  serviceLevelFor,
} from '../src/domain/replenishment/index.js';
import { loadNow, machineLine } from './databases.js';
import {
  type DemandData,
  drawLeadTimes,
  type Policy,
  type PolicyResult,
  simulate,
} from './replenishment-sim.js';

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: '12' },
    'service-level': { type: 'string' },
    'case-pack': { type: 'string', default: '1' },
    'reselect-weeks': { type: 'string', default: '4' },
  },
});

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(repoRoot, '..', 'shared', 'data', 'store-item-demand-2013-2016.csv.gz');
const FIRST = '2016-01-01';
const LAST = '2016-12-31';
const REVIEW_DAYS = 7;
const LEAD_MIN = 5;
const LEAD_MAX = 9;
/** Lead time as the planner sees it: the mean and sd of the uniform integers 5..9. */
const LEAD_TIME = { meanDays: 7, sdDays: Math.sqrt(((LEAD_MAX - LEAD_MIN + 1) ** 2 - 1) / 12) };
/** Covers the longest protection period (9 + 7 days) with room. */
const HORIZON = 21;
const MOQ = 1;
const CASE_PACK = Number(args['case-pack']);
const RESELECT_WEEKS = Math.max(1, Number(args['reselect-weeks']));

const dayIndex = (start: string, iso: string) =>
  Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);

async function loadData(path: string): Promise<DemandData> {
  const rows: [number, number, number, number][] = [];
  let start = '9999-12-31';
  let end = '0000-01-01';
  const lines = createInterface({ input: createReadStream(path).pipe(createGunzip()) });
  let header = true;
  for await (const line of lines) {
    if (header || line === '') {
      header = false;
      continue;
    }
    const [date, store, item, sales] = line.split(',');
    if (date! < start) start = date!;
    if (date! > end) end = date!;
    rows.push([Date.parse(`${date}T00:00:00Z`), Number(store), Number(item), Number(sales)]);
  }
  const days = dayIndex(start, end) + 1;
  const origin = Date.parse(`${start}T00:00:00Z`);
  const byKey = new Map<string, DemandData['series'][number]>();
  for (const [at, store, item, sales] of rows) {
    const key = `${store}:${item}`;
    let series = byKey.get(key);
    if (!series) {
      series = { store, item, sales: new Int32Array(days) };
      byKey.set(key, series);
    }
    series.sales[Math.round((at - origin) / 86_400_000)] = sales;
  }
  const series = [...byKey.values()].sort((a, b) => a.item - b.item || a.store - b.store);
  return { start, days, series };
}

/** Mean daily sales per series over the days [from, to). */
function averageDaily(data: DemandData, from: number, to: number): number[] {
  return data.series.map((s) => {
    let sum = 0;
    for (let d = from; d < to; d++) sum += s.sales[d]!;
    return sum / (to - from);
  });
}

/** Service level per series: one level for all if given, else the default by ABC class. */
function serviceLevels(data: DemandData, year2015: number[]) {
  const single = args['service-level'] === undefined ? null : Number(args['service-level']);
  // The data has no prices, so value = units sold in 2015 (before the simulated year).
  const classes = abcClasses(new Map(year2015.map((v, s) => [s, v])));
  const levels = data.series.map((_, s) =>
    serviceLevelFor({ override: single, abcClass: classes.get(s)! }),
  );
  const count: Record<AbcClass, number> = { A: 0, B: 0, C: 0 };
  for (const c of classes.values()) count[c] += 1;
  return { levels, count, single };
}

interface ForecastStats {
  ms: number;
  fullSelections: number;
  refits: number;
}

/**
 * Forecasts every series from its sales before `day`. Every `RESELECT_WEEKS` reviews the
 * full selection runs (all candidates, rolling-origin backtest over all 500 series); in
 * between, each series is refitted weekly with the method it last won with only: the
 * series are grouped by that method and each group forecast on its own, so a pooled
 * model pools over the series that chose it.
 */
function forecaster(data: DemandData, stats: ForecastStats) {
  let winners: string[] | null = null;
  let reviews = 0;
  return (day: number): SeriesForecast[] => {
    const started = performance.now();
    const histories = data.series.map((s) => ({
      start: data.start,
      quantities: Array.from(s.sales.subarray(0, day)),
    }));
    let forecasts: SeriesForecast[];
    if (winners === null || reviews % RESELECT_WEEKS === 0) {
      forecasts = forecastMany(histories, { horizon: HORIZON });
      winners = forecasts.map((f) => f.method);
      stats.fullSelections += 1;
    } else {
      forecasts = refit(histories, winners);
      stats.refits += 1;
    }
    reviews += 1;
    stats.ms += performance.now() - started;
    return forecasts;
  };
}

function refit(histories: SeriesHistory[], winners: readonly string[]): SeriesForecast[] {
  const groups = new Map<string, number[]>();
  for (const [s, method] of winners.entries()) {
    const group = groups.get(method) ?? [];
    group.push(s);
    groups.set(method, group);
  }
  const forecasts = new Array<SeriesForecast>(histories.length);
  for (const [method, group] of groups) {
    // A pooled model needs company: a series left alone in its group is re-selected in full.
    const methods = method === POOLED_METHOD && group.length < 2 ? undefined : [method];
    const results = forecastMany(
      group.map((s) => histories[s]!),
      { horizon: HORIZON, methods },
    );
    for (const [i, s] of group.entries()) forecasts[s] = results[i]!;
  }
  return forecasts;
}

function stockroomPolicy(data: DemandData, serviceLevel: number[], stats: ForecastStats): Policy {
  const forecast = forecaster(data, stats);
  const levelsAt = (day: number) =>
    forecast(day).map((f, s) =>
      reorderLevels({
        forecast: f,
        leadTime: LEAD_TIME,
        reviewDays: REVIEW_DAYS,
        serviceLevel: serviceLevel[s]!,
      }),
    );
  const first = dayIndex(data.start, FIRST);
  let opening: ReturnType<typeof levelsAt> | null = null;
  return {
    name: 'Stockroom',
    initialStock() {
      opening = levelsAt(first);
      return opening.map((l) => Math.ceil(l.orderUpTo));
    },
    review(day, positions) {
      // The opening levels were computed from the same history: reuse them on day one.
      const levels = day === first && opening ? opening : levelsAt(day);
      return levels.map((l, s) =>
        orderQuantity({
          inventoryPosition: positions[s]!,
          reorderPoint: l.reorderPoint,
          orderUpTo: l.orderUpTo,
          moq: MOQ,
          casePack: CASE_PACK,
        }),
      );
    },
  };
}

function minMaxPolicy(year2015: number[]): Policy {
  const min = year2015.map((d) => 14 * d);
  const max = year2015.map((d) => 28 * d);
  return {
    name: 'Fixed min/max',
    initialStock: () => max.map((m) => Math.ceil(m)),
    review: (_day, positions) =>
      max.map((orderUpTo, s) =>
        orderQuantity({
          inventoryPosition: positions[s]!,
          reorderPoint: min[s]!,
          orderUpTo,
          moq: MOQ,
          casePack: CASE_PACK,
        }),
      ),
  };
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const num = (x: number, digits = 1) =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function report(results: PolicyResult[], seriesDays: number) {
  const rows = results.map((r) => [
    r.name,
    pct(r.fillRate),
    num(r.demanded - r.served, 0),
    `${num(r.stockoutDays, 0)} (${pct(r.stockoutDays / seriesDays)})`,
    num(r.averageOnHand),
    num(r.orders, 0),
  ]);
  const header = ['policy', 'fill rate', 'units lost', 'stock-out days', 'avg on hand', 'orders'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const [ours, theirs] = results as [PolicyResult, PolicyResult];
  console.log(
    `\nStockroom ÷ min/max: fill rate ${(ours.fillRate / theirs.fillRate).toFixed(4)}, ` +
      `stock-out days ${(ours.stockoutDays / theirs.stockoutDays).toFixed(3)}, ` +
      `average on hand ${(ours.averageOnHand / theirs.averageOnHand).toFixed(3)}`,
  );
  const met =
    ours.fillRate > theirs.fillRate &&
    ours.averageOnHand < theirs.averageOnHand &&
    ours.fillRate >= 0.98;
  console.log(
    `Target (higher fill rate AND less stock than min/max, fill rate ≥ 98%): ${met ? 'met' : 'NOT met'}`,
  );
}

async function main() {
  const started = performance.now();
  console.log(machineLine());
  const data = await loadData(DATA);
  const loadedMs = performance.now() - started;
  const first = dayIndex(data.start, FIRST);
  const last = dayIndex(data.start, LAST);
  const year2015 = averageDaily(data, dayIndex(data.start, '2015-01-01'), first);
  const service = serviceLevels(data, year2015);
  const reviews = Math.floor((last - first) / REVIEW_DAYS) + 1;
  const leadTimes = drawLeadTimes(
    data.series.length,
    reviews,
    LEAD_MIN,
    LEAD_MAX,
    Number(args.seed),
  );
  const stats: ForecastStats = { ms: 0, fullSelections: 0, refits: 0 };
  console.log(
    `${data.series.length} series (store × item), ${FIRST} … ${LAST}, ${reviews} weekly reviews, ` +
      `lead time uniform ${LEAD_MIN}..${LEAD_MAX} days (seed ${args.seed}), MOQ ${MOQ}, case pack ${CASE_PACK}`,
  );
  console.log(
    service.single === null
      ? `Service level by ABC class on 2015 units: A ${service.count.A} series at 0.98, B ${service.count.B} at 0.95, C ${service.count.C} at 0.90`
      : `Service level ${service.single} for every series`,
  );
  const results = simulate(
    data,
    [stockroomPolicy(data, service.levels, stats), minMaxPolicy(year2015)],
    { firstDay: first, lastDay: last, reviewEveryDays: REVIEW_DAYS, leadTimes },
  );
  console.log(
    `Forecasts: full selection by backtest ${stats.fullSelections}× (every ${RESELECT_WEEKS} reviews), ` +
      `refit with each series' last winner ${stats.refits}×, ${num(stats.ms / 1000)} s in all\n`,
  );
  report(results, data.series.length * (last - first + 1));
  const total = performance.now() - started;
  const cpu = process.cpuUsage();
  console.log(
    `\nRuntime ${num(total / 1000)} s wall, ${num((cpu.user + cpu.system) / 1e6)} s CPU ` +
      `(reading the file ${num(loadedMs / 1000)} s, forecasting ${num(stats.ms / 1000)} s, ` +
      `the rest simulation); load average at the end ${loadNow()}`,
  );
}

await main();
