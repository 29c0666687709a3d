import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { DemandSeries } from '../domain/demand.js';
import { buildDemandSeries, type SeriesDemand } from '../domain/demand-series.js';
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
  const demand = (await demandBySeries(db, query)).map(unpack);
  if (demand.length === 0) return [];
  let through = query.through;
  if (through === undefined) {
    const yesterday = addDays(query.today ?? isoDate(systemClock.now()), -1);
    let last = '';
    for (const one of demand) for (const day of one.days) if (day > last) last = day;
    through = last > yesterday ? yesterday : last;
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

/** Reads the repository's packed `day:quantity:refused` entries. */
function unpack(row: PackedDemandRow): SeriesDemand {
  const entries = row.days === '' ? [] : row.days.split(',');
  const days: string[] = new Array(entries.length);
  const quantities: number[] = new Array(entries.length);
  const refused: boolean[] = new Array(entries.length);
  entries.forEach((entry, k) => {
    days[k] = entry.slice(0, 10);
    const rest = entry.slice(11);
    const colon = rest.indexOf(':');
    quantities[k] = Number(rest.slice(0, colon));
    refused[k] = rest.slice(colon + 1) !== '0';
  });
  return { itemId: row.item_id, locationId: row.location_id, days, quantities, refused };
}
