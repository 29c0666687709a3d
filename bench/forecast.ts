import { performance } from 'node:perf_hooks';
import { dayNumber } from '../src/domain/forecasting/calendar-days.js';
import { FORECAST_METHODS, forecastMany } from '../src/domain/forecasting/index.js';
import { coverage, rmsse, smape, wape } from '../src/domain/forecasting/metrics.js';
import { naive, seasonalNaive } from '../src/domain/forecasting/naive.js';
import { sesAuto } from '../src/domain/forecasting/smoothing.js';
import type { SeriesForecast, SeriesHistory } from '../src/domain/forecasting/types.js';
import { globalCalendarBaseline } from './forecast-baseline.js';
import { readDemandFile } from './forecast-data.js';

const TRAIN_END = '2016-09-30';
const HORIZON = 92;

interface Split {
  item: number;
  history: SeriesHistory;
  actual: number[];
}

function split(): Split[] {
  return readDemandFile().map((series) => {
    const cut = dayNumber(TRAIN_END) - dayNumber(series.start) + 1;
    return {
      item: series.item,
      history: { start: series.start, quantities: series.quantities.slice(0, cut) },
      actual: series.quantities.slice(cut, cut + HORIZON),
    };
  });
}

interface Score {
  smape: number;
  rmsse: number;
  wape: number;
  coverage: number | null;
}

function score(
  splits: Split[],
  means: number[][],
  bounds?: { lower: number[]; upper: number[] }[],
): Score {
  let s = 0;
  let r = 0;
  let error = 0;
  let total = 0;
  let inside = 0;
  splits.forEach((sp, i) => {
    s += smape(means[i]!, sp.actual);
    r += rmsse(means[i]!, sp.actual, sp.history.quantities);
    const w = wape(means[i]!, sp.actual);
    const sum = sp.actual.reduce((a, b) => a + b, 0);
    error += w * sum;
    total += sum;
    if (bounds)
      inside += coverage(bounds[i]!.lower, bounds[i]!.upper, sp.actual) * sp.actual.length;
  });
  const points = splits.reduce((a, sp) => a + sp.actual.length, 0);
  return {
    smape: s / splits.length,
    rmsse: r / splits.length,
    wape: error / total,
    coverage: bounds ? inside / points : null,
  };
}

function line(name: string, sc: Score, extra = ''): string {
  const cov = sc.coverage == null ? '' : `  coverage80 ${(100 * sc.coverage).toFixed(1)}%`;
  return `${name.padEnd(34)} SMAPE ${sc.smape.toFixed(3).padStart(7)}  RMSSE ${sc.rmsse.toFixed(4)}  WAPE ${(100 * sc.wape).toFixed(2).padStart(6)}%${cov}${extra}`;
}

function byItem(splits: Split[]): Split[][] {
  const groups = new Map<number, Split[]>();
  for (const sp of splits) groups.set(sp.item, [...(groups.get(sp.item) ?? []), sp]);
  return [...groups.values()];
}

function main(): void {
  const series = readDemandFile();
  const splits = split();
  console.log(
    `Forecast bench: ${splits.length} series, train ${series[0]!.start} … ${TRAIN_END}, test ${HORIZON} days`,
  );

  console.log('\nBaselines (no backtest, no bias):');
  const baselines = {
    naive,
    seasonal_naive_weekly: seasonalNaive(7),
    seasonal_naive_yearly: seasonalNaive(364),
    ses: sesAuto,
  };
  for (const [name, model] of Object.entries(baselines)) {
    const means = splits.map((sp) =>
      model({ startDay: dayNumber(sp.history.start), values: sp.history.quantities }, HORIZON),
    );
    console.log(line(name, score(splits, means)));
  }
  console.log(
    line(
      'global_calendar_profile',
      score(
        splits,
        globalCalendarBaseline(
          splits.map((s) => s.history),
          HORIZON,
        ),
      ),
    ),
  );

  console.log('\nCandidates, each alone (bias and interval from its backtest):');
  for (const method of FORECAST_METHODS) {
    const results = forecastMany(
      splits.map((s) => s.history),
      { horizon: HORIZON, methods: [method] },
    );
    console.log(
      line(
        method,
        score(
          splits,
          results.map((r) => r.mean),
          results,
        ),
      ),
    );
  }

  console.log('\nPer-series selection by backtest:');
  const t0 = performance.now();
  const all = forecastMany(
    splits.map((s) => s.history),
    { horizon: HORIZON },
  );
  const t1 = performance.now();
  report('selection, pooled over all 500', splits, all, t1 - t0);
  const t2 = performance.now();
  const perItem: SeriesForecast[] = new Array(splits.length);
  const groups = byItem(splits);
  for (const group of groups) {
    const results = forecastMany(
      group.map((s) => s.history),
      { horizon: HORIZON },
    );
    group.forEach((sp, k) => {
      perItem[splits.indexOf(sp)] = results[k]!;
    });
  }
  const t3 = performance.now();
  report('selection, pooled per item', splits, perItem, t3 - t2);
}

function report(name: string, splits: Split[], results: SeriesForecast[], ms: number): void {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.method, (counts.get(r.method) ?? 0) + 1);
  const backtest = results.reduce((a, r) => a + (r.backtest?.smape ?? 0), 0) / results.length;
  console.log(
    line(
      name,
      score(
        splits,
        results.map((r) => r.mean),
        results,
      ),
      `  (${(ms / 1000).toFixed(2)} s)`,
    ),
  );
  console.log(
    `  backtest SMAPE of winners ${backtest.toFixed(3)}; methods: ${[...counts].map(([m, c]) => `${m} ${c}`).join(', ')}`,
  );
}

main();
