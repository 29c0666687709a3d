import { dayOfWeek, yearMonth } from './calendar-days.js';
import type { Training } from './model.js';

/**
 * The calendar model: demand of series s on day t = factor(s) × level(year of t) ×
 * month factor × day-of-week factor. Fitted to several series at once, the shape (levels,
 * month and weekday factors) is pooled and each series keeps only its own factor; fitted to
 * one series it is that series' own calendar model. Factors are ratios of sums (the Poisson
 * maximum-likelihood update), refined a few rounds in turn, so zeros need no special care.
 */
export interface CalendarProfile {
  dow: number[];
  month: number[];
  /** Level per calendar year of the fitted data. */
  years: Map<number, number>;
  lastYear: number;
  /** Year-on-year growth, from the last two year-on-year ratios. */
  growth: number;
  /** Per series, in the order given to the fit. */
  seriesFactor: number[];
}

const ROUNDS = 5;
/** Years with fewer observed days than this do not set the growth rate. */
const MIN_DAYS_FOR_GROWTH = 90;
/** A young current year's level leans on last year × growth as if it had this many days. */
const LEVEL_PRIOR_DAYS = 30;
/** Growth fades year by year beyond the last: a damped trend, not an exponential one. */
const GROWTH_DAMPING = 0.8;

interface DayGrid {
  first: number;
  total: Float64Array;
  dow: Uint8Array;
  month: Uint8Array;
  year: Uint16Array;
  firstYear: number;
  years: number;
}

function dayGrid(series: readonly Training[], cutDay: number): DayGrid {
  const first = Math.min(...series.map((s) => s.startDay), cutDay - 1);
  const length = Math.max(0, cutDay - first);
  const firstYear = yearMonth(first).year;
  const grid: DayGrid = {
    first,
    total: new Float64Array(length),
    dow: new Uint8Array(length),
    month: new Uint8Array(length),
    year: new Uint16Array(length),
    firstYear,
    years: yearMonth(cutDay - 1).year - firstYear + 1,
  };
  for (let i = 0; i < length; i++) {
    const { year, month } = yearMonth(first + i);
    grid.dow[i] = dayOfWeek(first + i);
    grid.month[i] = month;
    grid.year[i] = year - firstYear;
  }
  for (const s of series) {
    const offset = s.startDay - first;
    const end = Math.min(s.values.length, cutDay - s.startDay);
    for (let t = 0; t < end; t++) {
      const value = s.values[t];
      if (value != null) grid.total[offset + t]! += value;
    }
  }
  return grid;
}

/** Σ of the series factors present (observed) on each day. */
function presentWeight(
  series: readonly Training[],
  factors: number[],
  grid: DayGrid,
): Float64Array {
  const weight = new Float64Array(grid.total.length);
  series.forEach((s, index) => {
    const offset = s.startDay - grid.first;
    const end = Math.min(s.values.length, grid.total.length - offset);
    const factor = factors[index]!;
    for (let t = 0; t < end; t++) if (s.values[t] != null) weight[offset + t]! += factor;
  });
  return weight;
}

function updateFactor(
  grid: DayGrid,
  weight: Float64Array,
  key: Uint8Array | Uint16Array,
  size: number,
  other: (i: number) => number,
): number[] {
  const numerator = new Float64Array(size);
  const denominator = new Float64Array(size);
  for (let i = 0; i < grid.total.length; i++) {
    numerator[key[i]!]! += grid.total[i]!;
    denominator[key[i]!]! += weight[i]! * other(i);
  }
  return Array.from(numerator, (n, k) => (denominator[k]! > 0 ? n / denominator[k]! : Number.NaN));
}

/** Mean 1 over the factors that were estimated; unestimated ones become 1. */
function normalise(factors: number[]): number[] {
  const known = factors.filter((f) => Number.isFinite(f) && f > 0);
  const mean = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 1;
  return factors.map((f) => (Number.isFinite(f) && f > 0 ? f / mean : 1));
}

function fitSeriesFactors(
  series: readonly Training[],
  grid: DayGrid,
  shape: (i: number) => number,
): number[] {
  return series.map((s) => {
    const offset = s.startDay - grid.first;
    const end = Math.min(s.values.length, grid.total.length - offset);
    let sum = 0;
    let expected = 0;
    for (let t = 0; t < end; t++) {
      const value = s.values[t];
      if (value == null) continue;
      sum += value;
      expected += shape(offset + t);
    }
    return expected > 0 ? sum / expected : 0;
  });
}

export function fitCalendarProfile(series: readonly Training[], cutDay: number): CalendarProfile {
  const grid = dayGrid(series, cutDay);
  let dow = Array.from({ length: 7 }, () => 1);
  let month = Array.from({ length: 12 }, () => 1);
  let years = Array.from({ length: grid.years }, () => 1);
  let factors = series.map(() => 1);
  for (let round = 0; round < ROUNDS; round++) {
    const weight = presentWeight(series, factors, grid);
    years = updateFactor(
      grid,
      weight,
      grid.year,
      grid.years,
      (i) => month[grid.month[i]!]! * dow[grid.dow[i]!]!,
    );
    years = years.map((y) => (Number.isFinite(y) ? y : Number.NaN));
    const year = (i: number) =>
      Number.isFinite(years[grid.year[i]!]!) ? years[grid.year[i]!]! : 0;
    month = normalise(
      updateFactor(grid, weight, grid.month, 12, (i) => year(i) * dow[grid.dow[i]!]!),
    );
    dow = normalise(
      updateFactor(grid, weight, grid.dow, 7, (i) => year(i) * month[grid.month[i]!]!),
    );
    factors = fitSeriesFactors(
      series,
      grid,
      (i) => year(i) * month[grid.month[i]!]! * dow[grid.dow[i]!]!,
    );
  }
  return withTrend(grid, years, { dow, month, seriesFactor: factors });
}

function withTrend(
  grid: DayGrid,
  levels: number[],
  shape: Pick<CalendarProfile, 'dow' | 'month' | 'seriesFactor'>,
): CalendarProfile {
  const observedDays = new Array<number>(grid.years).fill(0);
  for (let i = 0; i < grid.total.length; i++)
    if (grid.total[i]! > 0) observedDays[grid.year[i]!]!++;
  const usable = levels
    .map((level, k) => ({ level, k, days: observedDays[k]! }))
    .filter((y) => Number.isFinite(y.level) && y.level > 0 && y.days >= MIN_DAYS_FOR_GROWTH);
  const ratios: number[] = [];
  for (let k = usable.length - 1; k > 0 && ratios.length < 2; k--) {
    if (usable[k]!.k === usable[k - 1]!.k + 1) ratios.push(usable[k]!.level / usable[k - 1]!.level);
  }
  const growth =
    ratios.length > 0
      ? Math.min(
          2,
          Math.max(0.5, Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length)),
        )
      : 1;
  const years = new Map<number, number>();
  levels.forEach((level, k) => {
    if (Number.isFinite(level) && level > 0) years.set(grid.firstYear + k, level);
  });
  const lastYear = grid.firstYear + grid.years - 1;
  const previous = years.get(lastYear - 1);
  const current = years.get(lastYear);
  const days = observedDays[grid.years - 1]!;
  if (previous != null) {
    const prior = previous * growth;
    years.set(
      lastYear,
      ((current ?? prior) * days + prior * LEVEL_PRIOR_DAYS) / (days + LEVEL_PRIOR_DAYS),
    );
  }
  return { ...shape, years, lastYear, growth };
}

export function yearLevel(profile: CalendarProfile, year: number): number {
  const known = profile.years.get(year);
  if (known != null) return known;
  const last = profile.years.get(profile.lastYear) ?? 0;
  if (year < profile.lastYear) return last;
  let exponent = 0;
  for (let j = 1; j <= year - profile.lastYear; j++) exponent += GROWTH_DAMPING ** j;
  return last * profile.growth ** exponent;
}

/** Point forecasts of series `index` of the fit for `horizon` days from `fromDay`. */
export function calendarForecast(
  profile: CalendarProfile,
  index: number,
  fromDay: number,
  horizon: number,
): number[] {
  const factor = profile.seriesFactor[index] ?? 0;
  const forecast: number[] = [];
  for (let h = 0; h < horizon; h++) {
    const day = fromDay + h;
    const { year, month } = yearMonth(day);
    forecast.push(
      factor * yearLevel(profile, year) * profile.month[month]! * profile.dow[dayOfWeek(day)]!,
    );
  }
  return forecast;
}
