import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import type { ReportFilter } from './report-filters.js';
import { dayOf } from './stockouts.repository.js';

/**
 * Units sold: imported sales history plus what Stockroom itself shipped (fulfilment lines,
 * dated by their fulfilment, at the location they left from). Both are summed per key in
 * SQL and added together by the caller.
 */

type SalesFilter = Pick<ReportFilter, 'from' | 'until' | 'locationId' | 'category'>;

export interface UnitsRow {
  item_id: number;
  location_id: number;
  units: number;
}

/** Units per item × location in the period, from the imported history. */
export function historyUnits(db: Db, filter: SalesFilter): Promise<UnitsRow[]> {
  let select = db
    .selectFrom('sales_history')
    .innerJoin('items', 'items.id', 'sales_history.item_id')
    .select([
      'sales_history.item_id',
      'sales_history.location_id',
      (eb) => eb.fn.sum<number>('sales_history.quantity').as('units'),
    ])
    .where('sales_history.day', '>=', filter.from)
    .where('sales_history.day', '<', filter.until)
    .groupBy(['sales_history.item_id', 'sales_history.location_id']);
  if (filter.locationId !== undefined)
    select = select.where('sales_history.location_id', '=', filter.locationId);
  if (filter.category !== undefined) select = select.where('items.category', '=', filter.category);
  return select.execute();
}

/** Units per item × location shipped or picked up through Stockroom in the period. */
export function shippedUnits(db: Db, filter: SalesFilter): Promise<UnitsRow[]> {
  let select = db
    .selectFrom('fulfilment_lines as fl')
    .innerJoin('fulfilments as f', 'f.id', 'fl.fulfilment_pk')
    .innerJoin('order_lines as ol', 'ol.id', 'fl.order_line_id')
    .innerJoin('items', 'items.id', 'ol.item_id')
    .select(['ol.item_id', 'fl.location_id', (eb) => eb.fn.sum<number>('fl.quantity').as('units')])
    .where('f.created_at', '>=', filter.from)
    .where('f.created_at', '<', filter.until)
    .groupBy(['ol.item_id', 'fl.location_id']);
  if (filter.locationId !== undefined)
    select = select.where('fl.location_id', '=', filter.locationId);
  if (filter.category !== undefined) select = select.where('items.category', '=', filter.category);
  return select.execute();
}

export interface ItemFacts {
  id: number;
  sku: string;
  name: string;
  category: string;
  price_cents: number;
}

/** Names, categories and prices of the items a report mentions. */
export async function itemFacts(db: Db, ids: readonly number[]): Promise<ItemFacts[]> {
  const rows: ItemFacts[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    rows.push(
      ...(await db
        .selectFrom('items')
        .select(['id', 'sku', 'name', 'category', 'price_cents'])
        .where('id', 'in', chunk)
        .execute()),
    );
  }
  return rows;
}

export interface MonthUnitsRow {
  category: string;
  month: string;
  units: number;
}

/** Units per category and calendar month (YYYY-MM) of the history and shipments. */
export async function unitsByCategoryMonth(db: Db, filter: SalesFilter): Promise<MonthUnitsRow[]> {
  let history = db
    .selectFrom('sales_history as s')
    .innerJoin('items', 'items.id', 's.item_id')
    .select([
      'items.category',
      sql<string>`substr(s.day, 1, 7)`.as('month'),
      (eb) => eb.fn.sum<number>('s.quantity').as('units'),
    ])
    .where('s.day', '>=', filter.from)
    .where('s.day', '<', filter.until)
    .groupBy(['items.category', sql`substr(s.day, 1, 7)`]);
  let shipped = db
    .selectFrom('fulfilment_lines as fl')
    .innerJoin('fulfilments as f', 'f.id', 'fl.fulfilment_pk')
    .innerJoin('order_lines as ol', 'ol.id', 'fl.order_line_id')
    .innerJoin('items', 'items.id', 'ol.item_id')
    .select([
      'items.category',
      sql<string>`substr(f.created_at, 1, 7)`.as('month'),
      (eb) => eb.fn.sum<number>('fl.quantity').as('units'),
    ])
    .where('f.created_at', '>=', filter.from)
    .where('f.created_at', '<', filter.until)
    .groupBy(['items.category', sql`substr(f.created_at, 1, 7)`]);
  if (filter.locationId !== undefined) {
    history = history.where('s.location_id', '=', filter.locationId);
    shipped = shipped.where('fl.location_id', '=', filter.locationId);
  }
  if (filter.category !== undefined) {
    history = history.where('items.category', '=', filter.category);
    shipped = shipped.where('items.category', '=', filter.category);
  }
  return [...(await history.execute()), ...(await shipped.execute())];
}

/** The first and last day anything was sold (history or shipments); nulls when nothing was. */
export async function salesRange(db: Db): Promise<{ first: string | null; last: string | null }> {
  const history = await db
    .selectFrom('sales_history')
    .select((eb) => [eb.fn.min('day').as('first'), eb.fn.max('day').as('last')])
    .executeTakeFirst();
  const shipped = await db
    .selectFrom('fulfilments')
    .select((eb) => [
      eb.fn.min(dayOf('created_at')).as('first'),
      eb.fn.max(dayOf('created_at')).as('last'),
    ])
    .executeTakeFirst();
  const firsts = [history?.first, shipped?.first].filter((d): d is string => d != null);
  const lasts = [history?.last, shipped?.last].filter((d): d is string => d != null);
  return {
    first: firsts.length === 0 ? null : firsts.sort()[0]!,
    last: lasts.length === 0 ? null : lasts.sort().at(-1)!,
  };
}

/** Does any item carry this category? */
export async function categoryExists(db: Db, category: string): Promise<boolean> {
  const row = await db
    .selectFrom('items')
    .select('id')
    .where('category', '=', category)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
