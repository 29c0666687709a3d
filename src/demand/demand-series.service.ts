import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { DemandSeries } from '../domain/demand.js';
import {
  buildDemandSeries,
  dayNumber,
  isoOfDayNumber,
  type SeriesDemand,
} from '../domain/demand-series.js';
import { systemClock } from '../shared/clock.js';
import { addDays, isoDate } from '../shared/dates.js';
import {
  type DemandFilter,
  demandBySeries,
  type PackedDemandRow,
  seriesNames,
  stockDays,
} from './demand-series.repository.js';

export interface DemandSeriesQuery extends DemandFilter {
  /**
   * Today's ISO date (pass `isoDate(ctx.clock.now())`): demand recorded today is
   * incomplete, so the default end stops the day before. Default: the system clock.
   */
  today?: string;
}

/**
 * The demand series of every item × location with demand (or only those asked for):
 * dense daily quantities from `from` (or the series' first day with demand) through
 * `through` (default: the last day with demand anywhere, or yesterday when Stockroom's own
 * orders reach today), with out-of-stock days marked censored. Two ordered queries
 * (demand, ledger) whatever the number of series.
 */
export async function loadDemandSeries(
  db: Kysely<DB>,
  query: DemandSeriesQuery = {},
): Promise<DemandSeries[]> {
  const days = dayNumbers();
  const demand = (await demandBySeries(db, query)).map((row) => unpack(row, days));
  if (demand.length === 0) return [];
  let through = query.through;
  if (through === undefined) {
    const yesterday = addDays(query.today ?? isoDate(systemClock.now()), -1);
    let last = Number.NEGATIVE_INFINITY;
    for (const one of demand) for (const day of one.days) if (day > last) last = day;
    through = last > dayNumber(yesterday) ? yesterday : isoOfDayNumber(last);
  }
  const [stock, names] = await Promise.all([
    stockDays(db, { ...query, through }),
    seriesNames(
      db,
      [...new Set(demand.map((one) => one.itemId))],
      [...new Set(demand.map((one) => one.locationId))],
    ),
  ]);
  return buildDemandSeries(
    demand,
    stock.map((row) => ({
      itemId: row.item_id,
      locationId: row.location_id,
      day: row.day,
      low: Number(row.low),
      closing: Number(row.closing),
    })),
    { ...(query.from !== undefined && { from: query.from }), through },
    {
      sku: (id) => names.skus.get(id) ?? String(id),
      location: (id) => names.codes.get(id) ?? String(id),
    },
  );
}

/** dayNumber with a cache: the same few thousand dates recur in every series. */
function dayNumbers(): (iso: string) => number {
  const seen = new Map<string, number>();
  return (iso) => {
    let n = seen.get(iso);
    if (n === undefined) {
      n = dayNumber(iso);
      seen.set(iso, n);
    }
    return n;
  };
}

/**
 * Reads the repository's packed `YYYY-MM-DD:quantity:refused,…` entries by hand: 700k
 * entries split into strings cost several times more than the query that made them.
 */
function unpack(row: PackedDemandRow, toDay: (iso: string) => number): SeriesDemand {
  const text = row.days;
  const days: number[] = [];
  const quantities: number[] = [];
  const refused: boolean[] = [];
  let at = 0;
  while (at + 10 < text.length) {
    days.push(toDay(text.slice(at, at + 10)));
    at += 11;
    let quantity = 0;
    for (let c = text.charCodeAt(at); c !== 58; c = text.charCodeAt(++at))
      quantity = quantity * 10 + (c - 48);
    quantities.push(quantity);
    refused.push(text.charCodeAt(at + 1) !== 48);
    at += 3;
  }
  return { itemId: row.item_id, locationId: row.location_id, days, quantities, refused };
}
