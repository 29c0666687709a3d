import { dayOfWeek } from './calendar-days.js';
import { type PointForecaster, repeat } from './model.js';

/**
 * Simple exponential smoothing: the level starts at the first observed value and moves by
 * alpha toward each observation; a censored day leaves it where it is (the day is imputed
 * with the level's own forecast, so it teaches nothing).
 */
export function sesLevel(values: readonly (number | null)[], alpha: number): number {
  let level: number | null = null;
  for (const value of values) {
    if (value == null) continue;
    level = level == null ? value : alpha * value + (1 - alpha) * level;
  }
  return level ?? 0;
}

export function ses(alpha: number): PointForecaster {
  return (training, horizon) => repeat(sesLevel(training.values, alpha), horizon);
}

const SES_ALPHAS = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5];

/** SES with alpha chosen from a grid by the in-sample one-step squared error. */
export const sesAuto: PointForecaster = (training, horizon) => {
  let best = { sse: Number.POSITIVE_INFINITY, alpha: 0.1 };
  for (const alpha of SES_ALPHAS) {
    let level: number | null = null;
    let sse = 0;
    for (const value of training.values) {
      if (value == null) continue;
      if (level != null) sse += (value - level) ** 2;
      level = level == null ? value : alpha * value + (1 - alpha) * level;
    }
    if (sse < best.sse) best = { sse, alpha };
  }
  return ses(best.alpha)(training, horizon);
};

interface HoltWintersParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

interface HoltWintersState {
  level: number;
  trend: number;
  /** Seasonal factors by day of week (0 = Monday). */
  season: number[];
  sse: number;
}

/**
 * Holt-Winters with a damped additive trend and multiplicative weekly seasonality, started
 * from the first two weeks. A censored day is imputed with the one-step forecast, so the
 * state carries through it unchanged in expectation.
 */
function runHoltWinters(
  values: readonly (number | null)[],
  startDay: number,
  p: HoltWintersParams,
): HoltWintersState {
  const warmup = values.slice(0, 14).filter((v): v is number => v != null);
  const mean = warmup.length > 0 ? warmup.reduce((a, b) => a + b, 0) / warmup.length : 0;
  const season = repeat(1, 7);
  if (mean > 0) {
    const sums = repeat(0, 7);
    const counts = repeat(0, 7);
    for (let t = 0; t < Math.min(14, values.length); t++) {
      const value = values[t];
      if (value == null) continue;
      sums[dayOfWeek(startDay + t)]! += value;
      counts[dayOfWeek(startDay + t)]!++;
    }
    for (let d = 0; d < 7; d++)
      if (counts[d]! > 0) season[d] = Math.max(0.05, sums[d]! / counts[d]! / mean);
  }
  let level = mean;
  let trend = 0;
  let sse = 0;
  for (let t = 0; t < values.length; t++) {
    const d = dayOfWeek(startDay + t);
    const s = season[d]!;
    const predicted = (level + p.phi * trend) * s;
    const value = values[t] ?? predicted;
    sse += (value - predicted) ** 2;
    const previous = level;
    level = Math.max(0, p.alpha * (value / s) + (1 - p.alpha) * (previous + p.phi * trend));
    trend = p.beta * (level - previous) + (1 - p.beta) * p.phi * trend;
    if (level > 0) season[d] = Math.max(0.05, p.gamma * (value / level) + (1 - p.gamma) * s);
  }
  return { level, trend, season, sse };
}

const HW_GRID: HoltWintersParams[] = [];
for (const alpha of [0.03, 0.1, 0.3]) {
  for (const gamma of [0.02, 0.1]) {
    for (const beta of [0, 0.02]) HW_GRID.push({ alpha, beta, gamma, phi: 0.95 });
  }
}

/** Holt-Winters with parameters from a small grid, chosen by in-sample one-step error. */
export const holtWinters: PointForecaster = (training, horizon) => {
  let best: HoltWintersState | null = null;
  let bestParams = HW_GRID[0]!;
  for (const params of HW_GRID) {
    const state = runHoltWinters(training.values, training.startDay, params);
    if (best == null || state.sse < best.sse) {
      best = state;
      bestParams = params;
    }
  }
  const { level, trend, season } = best!;
  const end = training.startDay + training.values.length;
  const forecast: number[] = [];
  let damped = 0;
  for (let h = 0; h < horizon; h++) {
    damped += bestParams.phi ** (h + 1);
    forecast.push(Math.max(0, (level + damped * trend) * season[dayOfWeek(end + h)]!));
  }
  return forecast;
};
