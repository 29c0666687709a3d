import { type PointForecaster, repeat } from './model.js';

/**
 * Croston's method: smooth the non-zero demand sizes and the intervals between them
 * separately (both with alpha), updating only on days with demand; the forecast rate is
 * size / interval. Both start at the first demand: its size, and its position counted
 * from 1. Censored days are skipped as if they did not exist.
 */
export function crostonRate(values: readonly (number | null)[], alpha: number): number {
  let size: number | null = null;
  let interval = 0;
  let sinceLast = 0;
  for (const value of values) {
    if (value == null) continue;
    sinceLast++;
    if (value <= 0) continue;
    if (size == null) {
      size = value;
      interval = sinceLast;
    } else {
      size += alpha * (value - size);
      interval += alpha * (sinceLast - interval);
    }
    sinceLast = 0;
  }
  return size == null ? 0 : size / interval;
}

export function croston(alpha: number): PointForecaster {
  return (training, horizon) => repeat(crostonRate(training.values, alpha), horizon);
}

/** Syntetos–Boylan approximation: Croston's rate times (1 − alpha/2), which removes its bias. */
export function sba(alpha: number): PointForecaster {
  return (training, horizon) =>
    repeat((1 - alpha / 2) * crostonRate(training.values, alpha), horizon);
}

/**
 * Teunter–Syntetos–Babai: smooth the demand size (alpha, on demand days) and the
 * probability of demand (beta, every day), so the rate decays through long gaps. The
 * probability starts at 1 / (position of the first demand), the size at the first demand.
 */
export function tsbRate(values: readonly (number | null)[], alpha: number, beta: number): number {
  let size: number | null = null;
  let probability = 0;
  let seen = 0;
  for (const value of values) {
    if (value == null) continue;
    seen++;
    if (size == null) {
      if (value > 0) {
        size = value;
        probability = 1 / seen;
      }
      continue;
    }
    if (value > 0) {
      size += alpha * (value - size);
      probability += beta * (1 - probability);
    } else {
      probability += beta * (0 - probability);
    }
  }
  return size == null ? 0 : size * probability;
}

export function tsb(alpha: number, beta: number): PointForecaster {
  return (training, horizon) => repeat(tsbRate(training.values, alpha, beta), horizon);
}
