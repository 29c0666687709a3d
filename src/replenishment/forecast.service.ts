import { findItemBySku } from '../catalogue/items.repository.js';
import { findLocationByCode } from '../catalogue/locations.repository.js';
import { loadDemandSeries } from '../demand/demand-series.service.js';
import type { DemandSeries } from '../domain/demand.js';
import { forecastMany } from '../domain/forecasting/index.js';
import type { SeriesForecast } from '../domain/forecasting/types.js';
import type { AppContext } from '../kernel/context.js';
import { addDays, isoDate } from '../shared/dates.js';
import { NotFoundError } from '../shared/errors.js';
import { type SelectionRow, upsertSelections } from './forecast.repository.js';

/** One series' forecast as the API and the export show it. */
export interface ForecastView {
  sku: string;
  location: string;
  method: string;
  backtest: { smape: number; rmsse: number } | null;
  historyThrough: string;
  days: { date: string; forecast: number; lower: number; upper: number }[];
}

/** The API's answer: the view, with as much of the history behind it as was asked for. */
export interface ForecastWithHistory extends ForecastView {
  history: { date: string; quantity: number; censored: boolean }[];
}

/** Forecast figures are shown to 3 decimals, the same in the API and the export. */
export const round3 = (value: number) => Math.round(value * 1000) / 1000;

function view(series: DemandSeries, forecast: SeriesForecast): ForecastView {
  return {
    sku: series.sku,
    location: series.location,
    method: forecast.method,
    backtest: forecast.backtest && {
      smape: round3(forecast.backtest.smape),
      rmsse: round3(forecast.backtest.rmsse),
    },
    historyThrough: addDays(forecast.start, -1),
    days: forecast.mean.map((mean, h) => ({
      date: addDays(forecast.start, h),
      forecast: round3(mean),
      lower: round3(forecast.lower[h]!),
      upper: round3(forecast.upper[h]!),
    })),
  };
}

/**
 * The series of one item are forecast together: the calendar model pools its shape over the
 * item's locations. The export groups the same way, so both answer the same for a series.
 */
function forecastByItem(series: readonly DemandSeries[], horizon: number): SeriesForecast[] {
  const groups = new Map<number, number[]>();
  series.forEach((one, index) => {
    groups.set(one.itemId, [...(groups.get(one.itemId) ?? []), index]);
  });
  const results: SeriesForecast[] = new Array(series.length);
  for (const indices of groups.values()) {
    const forecasts = forecastMany(
      indices.map((i) => series[i]!),
      { horizon },
    );
    indices.forEach((i, k) => {
      results[i] = forecasts[k]!;
    });
  }
  return results;
}

function selectionRows(
  series: readonly DemandSeries[],
  forecasts: readonly SeriesForecast[],
  computedAt: string,
): SelectionRow[] {
  return series.map((one, i) => ({
    item_id: one.itemId,
    location_id: one.locationId,
    method: forecasts[i]!.method,
    backtest_smape: forecasts[i]!.backtest?.smape ?? null,
    backtest_rmsse: forecasts[i]!.backtest?.rmsse ?? null,
    history_from: one.start,
    history_through: addDays(forecasts[i]!.start, -1),
    computed_at: computedAt,
  }));
}

async function record(
  ctx: AppContext,
  series: readonly DemandSeries[],
  forecasts: readonly SeriesForecast[],
): Promise<void> {
  const rows = selectionRows(series, forecasts, ctx.clock.now().toISOString());
  await ctx.db.transaction().execute((trx) => upsertSelections(trx, rows));
}

/** The last `days` days of the series, so a chart can draw the forecast after what it learnt from. */
function recentHistory(series: DemandSeries, days: number): ForecastWithHistory['history'] {
  const from = Math.max(0, series.quantities.length - days);
  return series.quantities.slice(from).map((quantity, k) => ({
    date: addDays(series.start, from + k),
    quantity,
    censored: series.censored[from + k] ?? false,
  }));
}

/** GET /v1/forecasts/{sku}: one item × location, recording the method it chose. */
export async function getForecast(
  ctx: AppContext,
  sku: string,
  locationCode: string,
  horizon: number,
  historyDays = 0,
): Promise<ForecastWithHistory> {
  const item = await findItemBySku(ctx.db, sku);
  if (!item) throw new NotFoundError('ITEM_NOT_FOUND', `No item with SKU ${sku}`, { sku });
  const location = await findLocationByCode(ctx.db, locationCode);
  if (!location) {
    throw new NotFoundError('LOCATION_NOT_FOUND', `No location with code ${locationCode}`, {
      code: locationCode,
    });
  }
  const series = await loadDemandSeries(ctx.db, {
    itemIds: [item.id],
    today: isoDate(ctx.clock.now()),
  });
  const index = series.findIndex((one) => one.locationId === location.id);
  if (index < 0) {
    throw new NotFoundError(
      'NO_DEMAND_HISTORY',
      `No demand recorded for ${sku} at ${locationCode}: nothing to forecast from`,
      { sku, location: locationCode },
    );
  }
  const forecasts = forecastByItem(series, horizon);
  await record(ctx, series, forecasts);
  const { days, ...rest } = view(series[index]!, forecasts[index]!);
  return { ...rest, history: recentHistory(series[index]!, historyDays), days };
}

export interface ExportOptions {
  horizon: number;
  /** First forecast day: history is then read through the day before. */
  from?: string;
}

/** Every series' forecast (for `stockroom forecast export`), recording each selection. */
export async function forecastAll(
  ctx: AppContext,
  options: ExportOptions,
): Promise<ForecastView[]> {
  const series = await loadDemandSeries(ctx.db, {
    today: isoDate(ctx.clock.now()),
    ...(options.from !== undefined && { through: addDays(options.from, -1) }),
  });
  const forecasts = forecastByItem(series, options.horizon);
  await record(ctx, series, forecasts);
  return series.map((one, i) => view(one, forecasts[i]!));
}
