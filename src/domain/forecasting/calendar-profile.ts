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

/** Refinement stops when no weekday or month factor moves by more than this (relative). */
const CONVERGED = 1e-6;
const MAX_ROUNDS = 8;
/** Years with fewer observed days than this do not set the growth rate. */
const MIN_DAYS_FOR_GROWTH = 90;
/**
 * A young current year's level leans on last year × growth. Its own estimate from u units
 * has a relative variance of about 1/u (Poisson); last year × growth is trusted as if
 * growth were known to within 4% (1/0.04² = 625 units): the weights follow.
 */
const LEVEL_PRIOR_UNITS = 625;
/** Growth fades year by year beyond the last: a damped trend, not an exponential one. */
const GROWTH_DAMPING = 0.8;

/**
 * The fit only needs sums per cell (calendar year × month × weekday): units in the cell,
 * and per series the number of its observed days there. Collapsing days into at most
 * 84 cells a year makes each refinement round independent of the history's length.
 */
interface Cells {
  firstYear: number;
  years: number;
  /** Units per cell, over every series. */
  total: Float64Array;
  /** Per series: observed days per cell. */
  presence: Float64Array[];
  /** Per series: units observed. */
  units: number[];
  /** Per year: days on which some series was observed. */
  observedDays: number[];
}

const CELLS_PER_YEAR = 84;
const cellYear = (c: number) => Math.floor(c / CELLS_PER_YEAR);
const cellMonth = (c: number) => Math.floor((c % CELLS_PER_YEAR) / 7);
const cellDow = (c: number) => c % 7;

/** Cell index of each day from `first`, cached: every series of a group shares it. */
const calendarCache = new Map<string, { cells: Uint16Array; firstYear: number }>();
function calendarCells(first: number, length: number): { cells: Uint16Array; firstYear: number } {
  const key = `${first}:${length}`;
  const cached = calendarCache.get(key);
  if (cached) return cached;
  const firstYear = yearMonth(first).year;
  const cells = new Uint16Array(length);
  for (let i = 0; i < length; i++) {
    const { year, month } = yearMonth(first + i);
    cells[i] = (year - firstYear) * CELLS_PER_YEAR + month * 7 + dayOfWeek(first + i);
  }
  if (calendarCache.size > 64) calendarCache.clear();
  calendarCache.set(key, { cells, firstYear });
  return { cells, firstYear };
}

function collapse(series: readonly Training[], cutDay: number): Cells {
  const first = Math.min(...series.map((s) => s.startDay), cutDay - 1);
  const length = Math.max(0, cutDay - first);
  const { cells, firstYear } = calendarCells(first, length);
  const years = yearMonth(cutDay - 1).year - firstYear + 1;
  const total = new Float64Array(years * CELLS_PER_YEAR);
  const seen = new Uint8Array(length);
  const presence: Float64Array[] = [];
  const units: number[] = [];
  for (const s of series) {
    const counts = new Float64Array(years * CELLS_PER_YEAR);
    const offset = s.startDay - first;
    const end = Math.min(s.values.length, cutDay - s.startDay);
    let sum = 0;
    for (let t = 0; t < end; t++) {
      const value = s.values[t];
      if (value == null) continue;
      const cell = cells[offset + t]!;
      total[cell]! += value;
      counts[cell]!++;
      seen[offset + t] = 1;
      sum += value;
    }
    presence.push(counts);
    units.push(sum);
  }
  const observedDays = new Array<number>(years).fill(0);
  for (let i = 0; i < length; i++) if (seen[i]) observedDays[cellYear(cells[i]!)]!++;
  return { firstYear, years, total, presence, units, observedDays };
}

/** Mean 1 over the factors that were estimated; unestimated ones become 1. */
function normalise(factors: number[]): number[] {
  const known = factors.filter((f) => Number.isFinite(f) && f > 0);
  const mean = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 1;
  return factors.map((f) => (Number.isFinite(f) && f > 0 ? f / mean : 1));
}

interface Shape {
  years: number[];
  month: number[];
  dow: number[];
}

const yearOf = (shape: Shape, c: number) => {
  const level = shape.years[cellYear(c)]!;
  return Number.isFinite(level) ? level : 0;
};

/** One factor (years, months or weekdays) as Σ units / Σ expected units with it at 1. */
function updateFactor(
  cells: Cells,
  weight: Float64Array,
  size: number,
  keyOf: (c: number) => number,
  others: (c: number) => number,
): number[] {
  const numerator = new Float64Array(size);
  const denominator = new Float64Array(size);
  for (let c = 0; c < cells.total.length; c++) {
    if (weight[c] === 0) continue;
    numerator[keyOf(c)]! += cells.total[c]!;
    denominator[keyOf(c)]! += weight[c]! * others(c);
  }
  return Array.from(numerator, (n, k) => (denominator[k]! > 0 ? n / denominator[k]! : Number.NaN));
}

function refine(cells: Cells, shape: Shape, factors: number[]): Shape {
  const weight = new Float64Array(cells.total.length);
  cells.presence.forEach((counts, s) => {
    const factor = factors[s]!;
    for (let c = 0; c < counts.length; c++) weight[c]! += factor * counts[c]!;
  });
  const { month, dow } = shape;
  const years = updateFactor(
    cells,
    weight,
    cells.years,
    cellYear,
    (c) => month[cellMonth(c)]! * dow[cellDow(c)]!,
  );
  const withYears = { years, month, dow };
  const newMonth = normalise(
    updateFactor(cells, weight, 12, cellMonth, (c) => yearOf(withYears, c) * dow[cellDow(c)]!),
  );
  const newDow = normalise(
    updateFactor(cells, weight, 7, cellDow, (c) => yearOf(withYears, c) * newMonth[cellMonth(c)]!),
  );
  return { years, month: newMonth, dow: newDow };
}

function seriesFactors(cells: Cells, shape: Shape): number[] {
  const expectedPerDay = new Float64Array(cells.total.length);
  for (let c = 0; c < expectedPerDay.length; c++) {
    expectedPerDay[c] = yearOf(shape, c) * shape.month[cellMonth(c)]! * shape.dow[cellDow(c)]!;
  }
  return cells.presence.map((counts, s) => {
    let expected = 0;
    for (let c = 0; c < counts.length; c++) expected += counts[c]! * expectedPerDay[c]!;
    return expected > 0 ? cells.units[s]! / expected : 0;
  });
}

export function fitCalendarProfile(series: readonly Training[], cutDay: number): CalendarProfile {
  const cells = collapse(series, cutDay);
  let shape: Shape = {
    years: Array.from({ length: cells.years }, () => 1),
    month: Array.from({ length: 12 }, () => 1),
    dow: Array.from({ length: 7 }, () => 1),
  };
  let factors = series.map(() => 1);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = [...shape.dow, ...shape.month];
    shape = refine(cells, shape, factors);
    factors = seriesFactors(cells, shape);
    const after = [...shape.dow, ...shape.month];
    if (after.every((f, k) => Math.abs(f / before[k]! - 1) <= CONVERGED)) break;
  }
  return withTrend(cells, shape, factors);
}

function withTrend(cells: Cells, shape: Shape, seriesFactor: number[]): CalendarProfile {
  const levels = shape.years;
  const observedDays = cells.observedDays;
  let lastYearUnits = 0;
  for (let c = (cells.years - 1) * CELLS_PER_YEAR; c < cells.total.length; c++) {
    lastYearUnits += cells.total[c]!;
  }
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
    if (Number.isFinite(level) && level > 0) years.set(cells.firstYear + k, level);
  });
  const lastYear = cells.firstYear + cells.years - 1;
  const previous = years.get(lastYear - 1);
  const current = years.get(lastYear);
  if (previous != null) {
    const prior = previous * growth;
    const weight = lastYearUnits / (lastYearUnits + LEVEL_PRIOR_UNITS);
    years.set(lastYear, (current ?? prior) * weight + prior * (1 - weight));
  }
  return { dow: shape.dow, month: shape.month, seriesFactor, years, lastYear, growth };
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
