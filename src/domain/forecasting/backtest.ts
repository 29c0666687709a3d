import type { Candidate } from './candidates.js';
import { naiveScale, smape } from './metrics.js';
import type { Training } from './model.js';

/** Backtests look at most this far ahead, however long the requested horizon. */
export const MAX_BACKTEST_HORIZON = 90;
export const BACKTEST_ORIGINS = 4;
/** An origin needs at least this many days of training before it. */
const MIN_TRAINING_DAYS = 28;

/** Forecasts and actuals of one candidate on one series, over every backtest origin. */
export interface BacktestRecord {
  forecast: number[];
  actual: number[];
  /** RMSSE's denominator, per point (the scale of the training before that point's origin). */
  scale: number[];
  /** Which origin each point belongs to. */
  origin: number[];
}

/** Rolling origins, newest last: the starts of consecutive windows ending at the history's end. */
export function backtestOrigins(
  length: number,
  horizon: number,
  count = BACKTEST_ORIGINS,
): number[] {
  const step = Math.min(horizon, MAX_BACKTEST_HORIZON);
  const origins: number[] = [];
  for (let k = count; k >= 1; k--) {
    const origin = length - k * step;
    if (origin >= MIN_TRAINING_DAYS) origins.push(origin);
  }
  return origins;
}

export function cutTraining(training: Training, origin: number): Training {
  return { startDay: training.startDay, values: training.values.slice(0, origin) };
}

/** Runs one candidate over the series' origins; censored actual days are not scored. */
export function backtest(
  candidate: Candidate,
  index: number,
  training: Training,
  horizon: number,
): BacktestRecord {
  const step = Math.min(horizon, MAX_BACKTEST_HORIZON);
  const record: BacktestRecord = { forecast: [], actual: [], scale: [], origin: [] };
  for (const origin of backtestOrigins(training.values.length, horizon)) {
    const cut = cutTraining(training, origin);
    const forecast = candidate.forecast(index, cut, step);
    const scale = naiveScale(cut.values);
    for (let h = 0; h < step; h++) {
      const actual = training.values[origin + h];
      if (actual == null) continue;
      record.forecast.push(forecast[h]!);
      record.actual.push(actual);
      record.scale.push(scale);
      record.origin.push(origin);
    }
  }
  return record;
}

export function scaled(record: BacktestRecord, bias: number): number[] {
  return record.forecast.map((f) => f * bias);
}

/** Mean over origins of each origin's RMSSE. */
export function backtestRmsse(record: BacktestRecord, bias: number): number {
  const byOrigin = new Map<number, { sse: number; n: number; scale: number }>();
  record.forecast.forEach((f, i) => {
    const entry = byOrigin.get(record.origin[i]!) ?? { sse: 0, n: 0, scale: record.scale[i]! };
    entry.sse += (record.actual[i]! - f * bias) ** 2;
    entry.n++;
    byOrigin.set(record.origin[i]!, entry);
  });
  let sum = 0;
  for (const { sse, n, scale } of byOrigin.values())
    sum += Math.sqrt(scale > 0 ? sse / n / scale : sse / n);
  return byOrigin.size > 0 ? sum / byOrigin.size : Number.NaN;
}

export function backtestSmape(record: BacktestRecord, bias: number): number {
  return smape(scaled(record, bias), record.actual);
}
