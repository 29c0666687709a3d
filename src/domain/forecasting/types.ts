/**
 * The contract between the forecasting models (this folder) and their users
 * (replenishment, the forecast API and export, the benches).
 */

/** The history one series is forecast from: daily, dense, oldest first. */
export interface SeriesHistory {
  /** ISO date of quantities[0]. */
  start: string;
  quantities: readonly number[];
  /** Days not to learn from (stock-outs). Same length as quantities; omitted: none. */
  censored?: readonly boolean[];
}

/** A daily forecast with an 80% prediction interval, starting the day after history. */
export interface SeriesForecast {
  /** The method that produced it (e.g. "seasonal_naive_weekly", "calendar_profile"). */
  method: string;
  /** ISO date of mean[0]. */
  start: string;
  mean: number[];
  /** 10th and 90th percentiles per day. */
  lower: number[];
  upper: number[];
  /**
   * Standard deviation of the one-day forecast error, from the backtest: safety stock
   * over a lead time is computed from it.
   */
  errorSd: number;
  /** The winning method's rolling-origin backtest error; null when too little history. */
  backtest: { smape: number; rmsse: number } | null;
}
