import {
  type BacktestRecord,
  backtest,
  backtestOrigins,
  backtestRmsse,
  backtestSmape,
} from './backtest.js';
import { dayNumber, isoFromDay } from './calendar-days.js';
import {
  type Candidate,
  candidatesFor,
  INTERMITTENT_METHODS,
  isIntermittent,
  OWN_CALENDAR_METHOD,
  POOLED_METHOD,
} from './candidates.js';
import { errorSpread, intervals } from './intervals.js';
import type { Training } from './model.js';
import type { SeriesForecast, SeriesHistory } from './types.js';

export { FORECAST_METHODS } from './candidates.js';
export type { SeriesForecast, SeriesHistory } from './types.js';

export interface ForecastOptions {
  /** Days to forecast, from the day after the history. */
  horizon: number;
  /** Restrict the candidates (method names, see FORECAST_METHODS); all by default. */
  methods?: readonly string[];
}

/**
 * Point forecasts a little above the mean score better on SMAPE, which punishes
 * under-forecasts more; each candidate's multiplier is picked from these by backtest.
 */
const BIAS_GRID = [1, 0.98, 0.99, 1.01, 1.02, 1.03, 1.04, 1.05, 1.06, 1.08];

/** Forecast one series on its own (no pooling). */
export function forecastSeries(history: SeriesHistory, options: ForecastOptions): SeriesForecast {
  return forecastMany([history], options)[0]!;
}

/**
 * Forecast several series together: each picks its method by rolling-origin backtest, and
 * when there are several, the calendar model's shape is pooled over all of them. Give it
 * the series that share a shape (e.g. one item at all its locations, or everything).
 */
export function forecastMany(
  histories: readonly SeriesHistory[],
  options: ForecastOptions,
): SeriesForecast[] {
  const horizon = Math.max(1, Math.floor(options.horizon));
  const trainings = histories.map(toTraining);
  // Methods that cannot run here (the pooled model on one series) leave all candidates.
  const restricted = candidatesFor(trainings, options.methods);
  const candidates = restricted.length > 0 ? restricted : candidatesFor(trainings);
  const onlyIntermittent = candidates.every((c) => INTERMITTENT_METHODS.has(c.method));
  const eligible = trainings.map((training) => {
    const intermittent = onlyIntermittent || isIntermittent(training.values);
    return candidates.map((c) => intermittent || !INTERMITTENT_METHODS.has(c.method));
  });
  const records = candidates.map((candidate, c) =>
    trainings.map((training, index) =>
      eligible[index]![c] ? backtest(candidate, index, training, horizon) : NOT_TRIED,
    ),
  );
  const biases = records.map(chooseBias);
  return trainings.map((training, index) => {
    const scored = candidates
      .map((candidate, c) => ({
        candidate,
        bias: biases[c]!,
        record: records[c]![index]!,
        smape: backtestSmape(records[c]![index]!, biases[c]!),
      }))
      .filter((_, c) => eligible[index]![c]);
    const hasBacktest = backtestOrigins(training.values.length, horizon).length > 0;
    const winner = hasBacktest
      ? scored.reduce((best, s) => (handicapped(s, scored) < handicapped(best, scored) ? s : best))
      : (scored.find((s) => s.candidate.method === 'seasonal_naive_weekly') ?? scored[0]!);
    return finalForecast(winner, index, training, horizon, hasBacktest);
  });
}

function finalForecast(
  winner: { candidate: Candidate; bias: number; record: BacktestRecord; smape: number },
  index: number,
  training: Training,
  horizon: number,
  hasBacktest: boolean,
): SeriesForecast {
  const raw = winner.candidate.forecast(index, training, horizon);
  const mean = raw.map((f) => (Number.isFinite(f) ? Math.max(0, f * winner.bias) : 0));
  const spread = hasBacktest ? errorSpread(winner.record, winner.bias) : null;
  const { lower, upper } = intervals(mean, spread);
  return {
    method: winner.candidate.method,
    start: isoFromDay(training.startDay + training.values.length),
    mean,
    lower,
    upper,
    errorSd: spread?.sd ?? poissonSd(mean),
    backtest: hasBacktest
      ? { smape: winner.smape, rmsse: backtestRmsse(winner.record, winner.bias) }
      : null,
  };
}

/**
 * A series' own calendar model is the pooled one with its shape estimated from one series
 * instead of many: on backtests it wins by chance about as often as the pooled one on a
 * series whose shape is the group's, which costs accuracy out of sample. So it replaces the
 * pooled model only when clearly better (by more than 2% of SMAPE), as a series whose
 * weekly or yearly shape really differs from its group's is.
 */
const OWN_SHAPE_MARGIN = 1.02;

const NOT_TRIED: BacktestRecord = { forecast: [], actual: [], scale: [], origin: [] };

function handicapped(
  s: { candidate: Candidate; smape: number },
  all: readonly { candidate: Candidate }[],
): number {
  const pooled = all.some((other) => other.candidate.method === POOLED_METHOD);
  return pooled && s.candidate.method === OWN_CALENDAR_METHOD
    ? s.smape * OWN_SHAPE_MARGIN
    : s.smape;
}

/**
 * Without a backtest, the error of a count is taken as Poisson: its sd is the root of the
 * mean. The first week's average, so the answer does not depend on which weekday comes first.
 */
function poissonSd(mean: readonly number[]): number {
  const week = mean.slice(0, 7);
  return week.length ? Math.sqrt(week.reduce((a, b) => a + b, 0) / week.length) : 0;
}

/** The multiplier with the lowest mean backtest SMAPE over the group's series. */
function chooseBias(records: readonly BacktestRecord[]): number {
  let best = { bias: 1, score: Number.POSITIVE_INFINITY };
  for (const bias of BIAS_GRID) {
    let score = 0;
    for (const record of records)
      if (record.forecast.length > 0) score += backtestSmape(record, bias);
    if (score < best.score - 1e-9) best = { bias, score };
  }
  return best.bias;
}

function toTraining(history: SeriesHistory): Training {
  const censored = history.censored;
  return {
    startDay: dayNumber(history.start),
    values: history.quantities.map((q, t) => (censored?.[t] ? null : q)),
  };
}
