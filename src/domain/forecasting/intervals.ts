import type { BacktestRecord } from './backtest.js';

/** 80% interval: the 10th and 90th percentiles. */
const LOWER_P = 0.1;
const UPPER_P = 0.9;
/** z of the 90th percentile, for the Poisson fallback when there is no backtest. */
const Z90 = 1.2816;

export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/**
 * How far actuals strayed from the (bias-scaled) backtest forecasts. When every backtest
 * forecast was positive the spread is relative (actual ÷ forecast), so it scales with the
 * level of the future forecast; otherwise it is additive (actual − forecast).
 */
export interface ErrorSpread {
  kind: 'ratio' | 'difference';
  lower: number;
  upper: number;
  /** Standard deviation of the one-day error actual − forecast. */
  sd: number;
}

export function errorSpread(record: BacktestRecord, bias: number): ErrorSpread | null {
  const n = record.forecast.length;
  if (n < 10) return null;
  const forecasts = record.forecast.map((f) => f * bias);
  const errors = forecasts.map((f, i) => record.actual[i]! - f);
  const meanError = errors.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(errors.reduce((a, e) => a + (e - meanError) ** 2, 0) / Math.max(1, n - 1));
  const relative = forecasts.every((f) => f > 0);
  const spread = relative ? forecasts.map((f, i) => record.actual[i]! / f) : errors;
  spread.sort((a, b) => a - b);
  return {
    kind: relative ? 'ratio' : 'difference',
    lower: quantile(spread, LOWER_P),
    upper: quantile(spread, UPPER_P),
    sd,
  };
}

/** Lower and upper bounds around each point forecast, never below 0 nor across the mean. */
export function intervals(
  mean: readonly number[],
  spread: ErrorSpread | null,
): { lower: number[]; upper: number[] } {
  const lower: number[] = [];
  const upper: number[] = [];
  for (const m of mean) {
    let lo: number;
    let hi: number;
    if (spread == null) {
      lo = m - Z90 * Math.sqrt(m);
      hi = m + Z90 * Math.sqrt(m);
    } else if (spread.kind === 'ratio') {
      lo = m * spread.lower;
      hi = m * spread.upper;
    } else {
      lo = m + spread.lower;
      hi = m + spread.upper;
    }
    lower.push(Math.max(0, Math.min(lo, m)));
    upper.push(Math.max(hi, m));
  }
  return { lower, upper };
}
