import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import { isPostgres } from '../db/dialect.js';
import type { Db } from '../db/schema.js';
import { addDays } from '../shared/dates.js';

export interface DemandFilter {
  itemIds?: readonly number[];
  locationIds?: readonly number[];
  /** ISO dates, inclusive. */
  from?: string;
  through?: string;
}

/**
 * The demand of one item × location: `days` packs `YYYY-MM-DD:quantity:refused` entries,
 * comma-separated, in no particular order; refused is 1 when a line was refused for want
 * of stock that day (lost demand other than for a discontinued item), else 0.
 */
export interface PackedDemandRow {
  item_id: number;
  location_id: number;
  days: string;
}

/** One day of an item × location's stock ledger: its lowest and its closing on hand. */
export interface StockDayRow {
  item_id: number;
  location_id: number;
  day: string;
  low: number;
  closing: number;
}

/** The ISO day of an ISO timestamp column, the same text on both engines. */
const dayOf = (column: string) => sql<string>`substr(${sql.ref(column)}, 1, 10)`;

/**
 * The location a channel sells from first (lowest priority number): where demand that no
 * location has taken yet (backordered, cancelled, refused) is counted.
 */
const firstLocationOf = (channelColumn: string) =>
  sql<number>`(select cl.location_id from channel_locations cl
    where cl.channel_id = ${sql.ref(channelColumn)}
    order by cl.priority, cl.location_id limit 1)`;

/**
 * Every day's demand per item × location, ordered by item and location, summed per day in
 * SQL over four sources (one query, so 500 series come back in one pass):
 *
 * - imported sales history;
 * - each order line, on the day its order was placed: its current allocations at their
 *   locations, its fulfilled units where they were fulfilled, and the rest (backordered
 *   or cancelled units, which no location holds) at the channel's first location. A
 *   cancellation does not undo the ask: the customer wanted the units that day;
 * - lost demand (refused lines), at the channel's first location.
 *
 * Timestamps are UTC, so an order's day is its UTC date.
 */
export function demandBySeries(db: Db, filter: DemandFilter): Promise<PackedDemandRow[]> {
  const days = db
    .selectFrom(demandSources(db, filter).as('d'))
    .select([
      'd.item_id',
      'd.location_id',
      'd.day',
      sql<number>`sum(d.quantity)`.as('quantity'),
      sql<number>`max(d.refused)`.as('refused'),
    ])
    .where('d.location_id', 'is not', null)
    .$if(filter.itemIds !== undefined, (q) => q.where('d.item_id', 'in', nonEmpty(filter.itemIds!)))
    .$if(filter.locationIds !== undefined, (q) =>
      q.where('d.location_id', 'in', nonEmpty(filter.locationIds!)),
    )
    .groupBy(['d.item_id', 'd.location_id', 'd.day']);
  // One row per series, its days packed in one string: reading 700k rows as objects costs
  // seconds on better-sqlite3, 500 strings a fraction of that.
  const entry = sql<string>`d.day || ':' || cast(d.quantity as text) || ':' || cast(d.refused as text)`;
  const packed = isPostgres(db as unknown as Kysely<unknown>)
    ? sql<string>`string_agg(${entry}, ',')`
    : sql<string>`group_concat(${entry}, ',')`;
  return db
    .selectFrom(days.as('d'))
    .select(['d.item_id', 'd.location_id', packed.as('days')])
    .groupBy(['d.item_id', 'd.location_id'])
    .orderBy('d.item_id')
    .orderBy('d.location_id')
    .execute();
}

/** Unsummed demand rows: history days, allocations, fulfilment lines, unheld units, lost demand. */
function demandSources(db: Db, filter: DemandFilter) {
  const createdFrom = filter.from;
  const createdBefore = filter.through === undefined ? undefined : addDays(filter.through, 1);
  const union = db
    .selectFrom('sales_history as h')
    .select(['h.item_id', 'h.location_id', 'h.day', 'h.quantity', sql<number>`0`.as('refused')])
    .$if(createdFrom !== undefined, (q) => q.where('h.day', '>=', createdFrom!))
    .$if(filter.through !== undefined, (q) => q.where('h.day', '<=', filter.through!))
    .unionAll(
      db
        .selectFrom('allocations as a')
        .innerJoin('order_lines as l', 'l.id', 'a.order_line_id')
        .innerJoin('orders as o', 'o.id', 'l.order_id')
        .select([
          'a.item_id',
          'a.location_id',
          dayOf('o.created_at').as('day'),
          'a.quantity',
          sql<number>`0`.as('refused'),
        ])
        .where((eb) => createdBetween(eb.ref('o.created_at'), createdFrom, createdBefore)),
    )
    .unionAll(
      db
        .selectFrom('fulfilment_lines as f')
        .innerJoin('order_lines as l', 'l.id', 'f.order_line_id')
        .innerJoin('orders as o', 'o.id', 'l.order_id')
        .select([
          'l.item_id',
          'f.location_id',
          dayOf('o.created_at').as('day'),
          'f.quantity',
          sql<number>`0`.as('refused'),
        ])
        .where((eb) => createdBetween(eb.ref('o.created_at'), createdFrom, createdBefore)),
    )
    .unionAll(
      db
        .selectFrom('order_lines as l')
        .innerJoin('orders as o', 'o.id', 'l.order_id')
        .select([
          'l.item_id',
          firstLocationOf('o.channel_id').as('location_id'),
          dayOf('o.created_at').as('day'),
          sql<number>`l.quantity_backordered + l.quantity_cancelled`.as('quantity'),
          sql<number>`0`.as('refused'),
        ])
        .where(sql<SqlBool>`l.quantity_backordered + l.quantity_cancelled > 0`)
        .where((eb) => createdBetween(eb.ref('o.created_at'), createdFrom, createdBefore)),
    )
    .unionAll(
      db
        .selectFrom('lost_demand as x')
        .select([
          'x.item_id',
          firstLocationOf('x.channel_id').as('location_id'),
          dayOf('x.created_at').as('day'),
          'x.quantity',
          sql<number>`case when x.state = 'discontinued' then 0 else 1 end`.as('refused'),
        ])
        .where((eb) => createdBetween(eb.ref('x.created_at'), createdFrom, createdBefore)),
    );
  return union;
}

/**
 * Per item × location × day with ledger entries: the lowest on hand after any entry and
 * the on hand after the day's last entry (the highest id: the ledger is append-only).
 * Everything up to `through`, not only from `from`, so the level carried into the first
 * day of a series is known.
 */
export function stockDays(db: Db, filter: DemandFilter): Promise<StockDayRow[]> {
  const before = filter.through === undefined ? undefined : addDays(filter.through, 1);
  const days = db
    .selectFrom('stock_ledger as s')
    .select([
      's.item_id',
      's.location_id',
      dayOf('s.created_at').as('day'),
      sql<number>`min(s.on_hand_after)`.as('low'),
      sql<number>`max(s.id)`.as('last_id'),
    ])
    .$if(before !== undefined, (q) => q.where('s.created_at', '<', before!))
    .$if(filter.itemIds !== undefined, (q) => q.where('s.item_id', 'in', nonEmpty(filter.itemIds!)))
    .$if(filter.locationIds !== undefined, (q) =>
      q.where('s.location_id', 'in', nonEmpty(filter.locationIds!)),
    )
    .groupBy(['s.item_id', 's.location_id', dayOf('s.created_at')]);
  return db
    .selectFrom(days.as('d'))
    .innerJoin('stock_ledger as last', 'last.id', 'd.last_id')
    .select([
      'd.item_id',
      'd.location_id',
      'd.day',
      sql<number>`cast(d.low as integer)`.as('low'),
      'last.on_hand_after as closing',
    ])
    .orderBy('d.item_id')
    .orderBy('d.location_id')
    .orderBy('d.day')
    .execute();
}

/** SKUs and location codes of the series found. */
export async function seriesNames(
  db: Db,
  itemIds: readonly number[],
  locationIds: readonly number[],
): Promise<{ skus: Map<number, string>; codes: Map<number, string> }> {
  const [items, locations] = await Promise.all([
    itemIds.length === 0
      ? []
      : db.selectFrom('items').select(['id', 'sku']).where('id', 'in', itemIds).execute(),
    locationIds.length === 0
      ? []
      : db.selectFrom('locations').select(['id', 'code']).where('id', 'in', locationIds).execute(),
  ]);
  return {
    skus: new Map(items.map((i) => [i.id, i.sku])),
    codes: new Map(locations.map((l) => [l.id, l.code])),
  };
}

function createdBetween(
  column: Expression<string>,
  from: string | undefined,
  before: string | undefined,
): Expression<SqlBool> {
  if (from !== undefined && before !== undefined)
    return sql<SqlBool>`${column} >= ${from} and ${column} < ${before}`;
  if (from !== undefined) return sql<SqlBool>`${column} >= ${from}`;
  if (before !== undefined) return sql<SqlBool>`${column} < ${before}`;
  return sql<SqlBool>`1 = 1`;
}

/** `in ()` is a syntax error on both engines; an id no row has matches nothing instead. */
function nonEmpty(ids: readonly number[]): readonly number[] {
  return ids.length === 0 ? [-1] : ids;
}
