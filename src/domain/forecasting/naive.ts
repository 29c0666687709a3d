import { lastObserved, type PointForecaster, repeat } from './model.js';

/** The last observed value, every day. */
export const naive: PointForecaster = (training, horizon) =>
  repeat(lastObserved(training.values) ?? 0, horizon);

/**
 * The value one period earlier, repeated: period 7 is "last week repeated", 364 is "same
 * weekday 52 weeks earlier". Beyond one period ahead it reaches back whole periods more; a
 * censored or missing day there falls back one more period, then to the last observed value.
 */
export function seasonalNaive(period: number): PointForecaster {
  return (training, horizon) => {
    const values = training.values;
    const n = values.length;
    const fallback = lastObserved(values) ?? 0;
    const forecast: number[] = [];
    for (let h = 0; h < horizon; h++) {
      let index = n + h - period * Math.ceil((h + 1) / period);
      while (index >= 0 && values[index] == null) index -= period;
      forecast.push(index >= 0 ? values[index]! : fallback);
    }
    return forecast;
  };
}
