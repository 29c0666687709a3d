/** What every forecasting model sees: a series with censored days as null, and its first day. */
export interface Training {
  /** Units per day, oldest first; null where the day is censored (not to be learnt from). */
  values: readonly (number | null)[];
  /** Day number (see calendar-days.ts) of values[0]. */
  startDay: number;
}

/** A model: point forecasts for the `horizon` days after the training series. */
export type PointForecaster = (training: Training, horizon: number) => number[];

export function lastObserved(values: readonly (number | null)[]): number | null {
  for (let t = values.length - 1; t >= 0; t--) {
    const value = values[t];
    if (value != null) return value;
  }
  return null;
}

export function repeat(value: number, horizon: number): number[] {
  return Array.from({ length: horizon }, () => value);
}
