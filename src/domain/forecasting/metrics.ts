/** Forecast accuracy measures, as the issue defines them. */

/** Kaggle SMAPE in percent: mean of 200·|F−A|/(|F|+|A|), a point where both are 0 counts 0. */
export function smape(forecast: readonly number[], actual: readonly number[]): number {
  if (forecast.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < forecast.length; i++) {
    const f = forecast[i]!;
    const a = actual[i]!;
    const denominator = Math.abs(f) + Math.abs(a);
    if (denominator > 0) sum += (200 * Math.abs(f - a)) / denominator;
  }
  return sum / forecast.length;
}

/**
 * M5 RMSSE: root of the mean squared error over the mean squared one-day change of the
 * training series (censored days, given as null, and the changes across them are skipped).
 * A flat training series has no scale: the error is then reported unscaled.
 */
export function rmsse(
  forecast: readonly number[],
  actual: readonly number[],
  training: readonly (number | null)[],
): number {
  let mse = 0;
  for (let i = 0; i < forecast.length; i++) mse += (actual[i]! - forecast[i]!) ** 2;
  mse /= Math.max(1, forecast.length);
  const scale = naiveScale(training);
  return Math.sqrt(scale > 0 ? mse / scale : mse);
}

export function naiveScale(training: readonly (number | null)[]): number {
  let sum = 0;
  let count = 0;
  for (let t = 1; t < training.length; t++) {
    const now = training[t];
    const before = training[t - 1];
    if (now == null || before == null) continue;
    sum += (now - before) ** 2;
    count++;
  }
  return count > 0 ? sum / count : 0;
}

/** WAPE: Σ|F−A| / Σ|A| (a ratio, not a percentage; 0 when there was no demand and no error). */
export function wape(forecast: readonly number[], actual: readonly number[]): number {
  let error = 0;
  let total = 0;
  for (let i = 0; i < forecast.length; i++) {
    error += Math.abs(forecast[i]! - actual[i]!);
    total += Math.abs(actual[i]!);
  }
  if (total === 0) return error === 0 ? 0 : Number.POSITIVE_INFINITY;
  return error / total;
}

/** Share of actuals within [lower, upper], both ends included. */
export function coverage(
  lower: readonly number[],
  upper: readonly number[],
  actual: readonly number[],
): number {
  if (actual.length === 0) return 0;
  let inside = 0;
  for (let i = 0; i < actual.length; i++) {
    if (actual[i]! >= lower[i]! && actual[i]! <= upper[i]!) inside++;
  }
  return inside / actual.length;
}
