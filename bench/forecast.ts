/**
 * Forecast bench (issue 12): train on 2013-01-01 … 2016-09-30 of the shared Kaggle file,
 * forecast 2016-10-01 … 2016-12-31 for all 500 series, and score every candidate, the
 * per-series selection and the baselines. See bench/README.md, "Forecasts".
 *
 *   npm run bench:forecast
 */
import { existsSync } from 'node:fs';
import { dayNumber } from '../src/domain/forecasting/calendar-days.js';
import {
  calendarForecast,
  fitCalendarProfile,
} from '../src/domain/forecasting/calendar-profile.js';
import { FORECAST_METHODS, forecastMany } from '../src/domain/forecasting/index.js';
import { coverage, rmsse, smape } from '../src/domain/forecasting/metrics.js';
import { naive, seasonalNaive } from '../src/domain/forecasting/naive.js';
import { sesAuto } from '../src/domain/forecasting/smoothing.js';
import type { SeriesForecast, SeriesHistory } from '../src/domain/forecasting/types.js';
import { machineLine } from './databases.js';
import { globalCalendarBaseline } from './forecast-baseline.js';
import { DATA_FILE, readDemandFile } from './forecast-data.js';
import { forecastFromSqlite } from './forecast-db.js';

const TRAIN_END = '2016-09-30';
const TEST_START = '2016-10-01';
const HORIZON = 92;

interface Split {
  item: number;
  store: number;
  history: SeriesHistory;
  actual: number[];
}

interface Bounds {
  mean: number[];
  lower?: number[];
  upper?: number[];
}

interface Score {
  smape: number;
  rmsse: number;
  wape: number;
  coverage: number | null;
}

function score(splits: readonly Split[], results: readonly Bounds[]): Score {
  let s = 0;
  let r = 0;
  let error = 0;
  let total = 0;
  let inside = 0;
  let points = 0;
  const withBounds = results.every((b) => b.lower != null && b.upper != null);
  splits.forEach((sp, i) => {
    const b = results[i]!;
    s += smape(b.mean, sp.actual);
    r += rmsse(b.mean, sp.actual, sp.history.quantities);
    sp.actual.forEach((a, h) => {
      error += Math.abs(b.mean[h]! - a);
      total += a;
    });
    if (withBounds) inside += coverage(b.lower!, b.upper!, sp.actual) * sp.actual.length;
    points += sp.actual.length;
  });
  return {
    smape: s / splits.length,
    rmsse: r / splits.length,
    wape: error / total,
    coverage: withBounds ? inside / points : null,
  };
}

function line(name: string, sc: Score, extra = ''): string {
  const cov = sc.coverage == null ? '' : `  coverage80 ${(100 * sc.coverage).toFixed(1)}%`;
  return `  ${name.padEnd(38)} SMAPE ${sc.smape.toFixed(3).padStart(7)}  RMSSE ${sc.rmsse.toFixed(4)}  WAPE ${(100 * sc.wape).toFixed(2).padStart(6)}%${cov}${extra}`;
}

/** forecastMany over each item's series, as the product groups them. */
function perItem(
  splits: readonly Split[],
  methods?: readonly string[],
  horizon = HORIZON,
): SeriesForecast[] {
  const results: SeriesForecast[] = new Array(splits.length);
  const groups = new Map<number, number[]>();
  splits.forEach((sp, i) => {
    groups.set(sp.item, [...(groups.get(sp.item) ?? []), i]);
  });
  for (const indices of groups.values()) {
    const forecasts = forecastMany(
      indices.map((i) => splits[i]!.history),
      { horizon, ...(methods && { methods }) },
    );
    indices.forEach((i, k) => {
      results[i] = forecasts[k]!;
    });
  }
  return results;
}

function methodCounts(methods: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const m of methods) counts.set(m, (counts.get(m) ?? 0) + 1);
  return [...counts].map(([m, c]) => `${m} ${c}`).join(', ');
}

async function productPipeline(splits: readonly Split[]) {
  console.log(
    '\nThe product pipeline on SQLite (what `stockroom forecast export --from 2016-10-01` runs):',
  );
  const run = await forecastFromSqlite(DATA_FILE, { horizon: HORIZON, from: TEST_START });
  const byKey = new Map(run.forecasts.map((f) => [`${f.sku}/${f.location}`, f]));
  const results = splits.map((sp) => {
    const days = byKey.get(`${sp.item}/${sp.store}`)!.days;
    return {
      mean: days.map((d) => d.forecast),
      lower: days.map((d) => d.lower),
      upper: days.map((d) => d.upper),
    };
  });
  console.log(
    `  history import of the whole file (stockroom history import; not in the time below): ${run.importSeconds.toFixed(2)} s`,
  );
  console.log(
    `  read from the database + backtest + select + forecast + record, 500 series: ${run.pipelineSeconds.toFixed(2)} s`,
  );
  console.log(line('per-series selection (product)', score(splits, results)));
  const backtest =
    run.forecasts.reduce((a, f) => a + (f.backtest?.smape ?? 0), 0) / run.forecasts.length;
  console.log(
    `    winners' mean backtest SMAPE ${backtest.toFixed(3)}; methods: ${methodCounts(run.forecasts.map((f) => f.method))}`,
  );
}

function baselines(splits: readonly Split[]): void {
  console.log('\nBaselines, computed the same way on the same split (no backtest, no bias):');
  const models = {
    naive,
    'last week repeated': seasonalNaive(7),
    'same weekday 52 weeks earlier': seasonalNaive(364),
    'SES (alpha by in-sample fit)': sesAuto,
  };
  for (const [name, model] of Object.entries(models)) {
    const means = splits.map((sp) =>
      model({ startDay: dayNumber(sp.history.start), values: sp.history.quantities }, HORIZON),
    );
    console.log(
      line(
        name,
        score(
          splits,
          means.map((mean) => ({ mean })),
        ),
      ),
    );
  }
  const calendar = globalCalendarBaseline(
    splits.map((s) => s.history),
    HORIZON,
  );
  console.log(
    line(
      'global calendar profile',
      score(
        splits,
        calendar.map((mean) => ({ mean })),
      ),
    ),
  );
}

function candidates(splits: readonly Split[]): void {
  console.log('\nEach candidate alone, grouped by item (bias and interval from its own backtest):');
  for (const method of FORECAST_METHODS) {
    console.log(line(method, score(splits, perItem(splits, [method]))));
  }
  const all = forecastMany(
    splits.map((s) => s.history),
    { horizon: HORIZON },
  );
  console.log(line('selection pooled over all 500 (not used)', score(splits, all)));
}

/**
 * Diagnostic only, never used to choose anything: the calendar model fitted to the whole
 * file including the test quarter, and the SMAPE a Poisson(mean) count would give in
 * expectation at those means — how low any point forecast can go on this data.
 */
function noiseFloor(series: ReturnType<typeof readDemandFile>, splits: readonly Split[]): void {
  const start = dayNumber(series[0]!.start);
  const full = series.map((s) => ({ startDay: start, values: s.quantities }));
  const profile = fitCalendarProfile(full, dayNumber('2017-01-01'));
  const testStart = dayNumber(TEST_START);
  const oracle = splits.map((_, i) => ({ mean: calendarForecast(profile, i, testStart, HORIZON) }));
  let expected = 0;
  let n = 0;
  for (const { mean } of oracle) {
    for (const mu of mean) {
      expected += expectedPoissonSmape(mu);
      n++;
    }
  }
  console.log(
    '\nNoise floor (diagnostic: fitted WITH the test quarter, never used to choose settings):',
  );
  console.log(line('calendar model fitted in-sample', score(splits, oracle)));
  console.log(`  expected SMAPE of Poisson counts at those means: ${(expected / n).toFixed(3)}`);
}

function expectedPoissonSmape(mu: number): number {
  let p = Math.exp(-mu);
  let sum = 0;
  for (let k = 0; k < mu * 4 + 50; k++) {
    if (mu + k > 0) sum += (p * 200 * Math.abs(mu - k)) / (mu + k);
    p = (p * mu) / (k + 1);
  }
  return sum;
}

/** A year ahead from the end of the file: the growth the model carries into 2017. */
function yearAhead(series: ReturnType<typeof readDemandFile>): void {
  const full = series.map((s) => ({
    item: s.item,
    store: s.store,
    history: { start: s.start, quantities: s.quantities },
    actual: [],
  }));
  const started = performance.now();
  const results = perItem(full, undefined, 365);
  const seconds = (performance.now() - started) / 1000;
  const last365 = series.reduce(
    (a, s) => a + s.quantities.slice(-365).reduce((x, y) => x + y, 0),
    0,
  );
  const next365 = results.reduce((a, r) => a + r.mean.reduce((x, y) => x + y, 0), 0);
  console.log(
    '\nA year ahead (2017, from all of 2013–2016; checked independently with the export):',
  );
  console.log(
    `  forecast total 2017 / actual total 2016: ${(next365 / last365).toFixed(4)} (${seconds.toFixed(2)} s for 500 series × 365 days)`,
  );
}

async function main(): Promise<void> {
  if (!existsSync(DATA_FILE)) {
    console.log(`The shared data is not at ${DATA_FILE}; nothing to measure.`);
    return;
  }
  console.log(machineLine());
  const series = readDemandFile();
  const cut = dayNumber(TRAIN_END) - dayNumber(series[0]!.start) + 1;
  const splits = series.map((s) => ({
    item: s.item,
    store: s.store,
    history: { start: s.start, quantities: s.quantities.slice(0, cut) },
    actual: s.quantities.slice(cut, cut + HORIZON),
  }));
  console.log(
    `Forecast bench: ${splits.length} series, train ${series[0]!.start} … ${TRAIN_END}, test ${TEST_START} + ${HORIZON} days`,
  );
  await productPipeline(splits);
  baselines(splits);
  candidates(splits);
  noiseFloor(series, splits);
  yearAhead(series);
}

await main();
