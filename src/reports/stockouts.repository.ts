import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import type { ReportFilter } from './report-filters.js';

/**
 * The ledger reads behind the stock-out reports. Timestamps are ISO-8601 text in UTC on
 * both databases, so comparing them with ISO dates and cutting the first ten characters
 * gives the day without either engine's date functions.
 */

type PairFilter = Pick<ReportFilter, 'locationId' | 'category' | 'supplierId'>;

export interface StockPairRow {
  item_id: number;
  location_id: number;
  sku: string;
  name: string;
  category: string;
  location: string;
  on_hand: number;
}

/** Every item × location with a stock row, narrowed by location, category or supplier. */
export function listStockPairs(db: Db, filter: PairFilter): Promise<StockPairRow[]> {
  let select = db
    .selectFrom('stock')
    .innerJoin('items', 'items.id', 'stock.item_id')
    .innerJoin('locations', 'locations.id', 'stock.location_id')
    .select([
      'stock.item_id',
      'stock.location_id',
      'items.sku',
      'items.name',
      'items.category',
      'locations.code as location',
      'stock.on_hand',
    ]);
  if (filter.locationId !== undefined)
    select = select.where('stock.location_id', '=', filter.locationId);
  if (filter.category !== undefined) select = select.where('items.category', '=', filter.category);
  if (filter.supplierId !== undefined) {
    const supplierId = filter.supplierId;
    select = select.where((eb) =>
      eb.exists(
        eb
          .selectFrom('supplier_items')
          .select('supplier_items.item_id')
          .whereRef('supplier_items.item_id', '=', 'stock.item_id')
          .where('supplier_items.supplier_id', '=', supplierId),
      ),
    );
  }
  return select.execute();
}

export interface LevelRow {
  item_id: number;
  location_id: number;
  on_hand_after: number;
}

/** On hand of each item × location when `before` began: its last movement before then. */
export function levelsBefore(db: Db, before: string, filter: PairFilter): Promise<LevelRow[]> {
  let select = db
    .selectFrom('stock_ledger')
    .select(['item_id', 'location_id', 'on_hand_after'])
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('stock_ledger')
        .select((sub) => sub.fn.max('id').as('id'))
        .where('created_at', '<', before)
        .groupBy(['item_id', 'location_id']),
    );
  if (filter.locationId !== undefined) select = select.where('location_id', '=', filter.locationId);
  return select.execute();
}

export interface MovementRow {
  item_id: number;
  location_id: number;
  day: string;
  on_hand_after: number;
}

/** The period's movements, per item × location in the order they happened. */
export function movementsBetween(
  db: Db,
  filter: Pick<ReportFilter, 'from' | 'until' | 'locationId'>,
): Promise<MovementRow[]> {
  let select = db
    .selectFrom('stock_ledger')
    .select(['item_id', 'location_id', dayOf('created_at').as('day'), 'on_hand_after'])
    .where('created_at', '>=', filter.from)
    .where('created_at', '<', filter.until)
    .orderBy('item_id')
    .orderBy('location_id')
    .orderBy('id');
  if (filter.locationId !== undefined) select = select.where('location_id', '=', filter.locationId);
  return select.execute();
}

/** The UTC day of an ISO timestamp column. */
export const dayOf = (column: string) => sql<string>`substr(${sql.ref(column)}, 1, 10)`;
