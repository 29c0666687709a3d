import { groupBy } from '../shared/group-by.js';
import type { DemandSeries } from './demand.js';

/** The days with demand of one item at one location, in any order. */
export interface SeriesDemand {
  itemId: number;
  locationId: number;
  /** Days as dayNumber()s: the caller converts each distinct date once, not per series. */
  days: readonly number[];
  quantities: readonly number[];
  /** A line was refused that day for want of stock: the day's demand is censored. */
  refused: readonly boolean[];
}

/** One day of an item × location's stock ledger: lowest and closing on hand. */
export interface StockDay {
  itemId: number;
  locationId: number;
  day: string;
  low: number;
  closing: number;
}

export interface SeriesRange {
  /** First day of every series; default: each series' first day with demand. */
  from?: string;
  /** Last day of every series (inclusive). */
  through: string;
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO date. */
export function dayNumber(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
}

export function isoOfDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Dense daily series from each item × location's demand days (a day given twice counts
 * twice) and the ledger days (ordered by item, location and day). A series exists for each
 * item × location with demand; it runs from `from` (or its first day with demand) through
 * `through`, zero on days without demand. A series whose start is after `through` is left
 * out.
 *
 * Censored days: the on hand reached 0 at any point of the day (the day's lowest level
 * after an entry, or the level carried in from the previous entry), or a line was
 * refused there that day. Before an item × location's first ledger entry its level is
 * unknown (imported history has no ledger), so those days are not censored.
 */
export function buildDemandSeries(
  demand: readonly SeriesDemand[],
  stock: readonly StockDay[],
  range: SeriesRange,
  names: { sku(itemId: number): string; location(locationId: number): string },
): DemandSeries[] {
  const stockByPair = groupBy(stock, pairKey);
  const end = dayNumber(range.through);
  const series: DemandSeries[] = [];
  for (const one of demand) {
    if (one.days.length === 0) continue;
    const start = range.from !== undefined ? dayNumber(range.from) : Math.min(...one.days);
    if (start > end) continue;
    const length = end - start + 1;
    const quantities = new Array<number>(length).fill(0);
    const censored = new Array<boolean>(length).fill(false);
    one.days.forEach((day, k) => {
      const index = day - start;
      if (index < 0 || index >= length) return;
      quantities[index] = (quantities[index] ?? 0) + one.quantities[k]!;
      if (one.refused[k]) censored[index] = true;
    });
    markStockOuts(censored, stockByPair.get(pairKey(one)) ?? [], start);
    series.push({
      itemId: one.itemId,
      locationId: one.locationId,
      sku: names.sku(one.itemId),
      location: names.location(one.locationId),
      start: isoOfDayNumber(start),
      quantities,
      censored,
    });
  }
  return series;
}

const pairKey = (row: { itemId: number; locationId: number }) => `${row.itemId}:${row.locationId}`;

/** Marks the days of `censored` (index 0 = day `start`) on which on hand was 0 or less. */
function markStockOuts(censored: boolean[], days: readonly StockDay[], start: number): void {
  let level: number | undefined;
  let next = 0;
  // The level carried into the first day: the closing of the last day before it.
  while (next < days.length && dayNumber(days[next]!.day) < start) {
    level = days[next]!.closing;
    next++;
  }
  for (let index = 0; index < censored.length; index++) {
    const entry = days[next];
    const opensEmpty = level !== undefined && level <= 0;
    if (entry !== undefined && dayNumber(entry.day) === start + index) {
      if (opensEmpty || entry.low <= 0) censored[index] = true;
      level = entry.closing;
      next++;
    } else if (opensEmpty) {
      censored[index] = true;
    }
  }
}
