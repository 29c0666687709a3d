import { type Insertable, type Selectable, sql, type Transaction } from 'kysely';
import { isPostgres } from '../../db/dialect.js';
import type { DB, Db } from '../../db/schema.js';
import type { StockLedgerTable, StockTable } from '../../db/tables/stock.js';

/**
 * SQL for stock rows and the ledger. Every change to on_hand is one conditional UPDATE
 * whose affected-row count decides the outcome (DESIGN section 2): no read-then-write.
 */

export type StockRow = Selectable<StockTable>;
export type LedgerRow = Selectable<StockLedgerTable>;

/**
 * Most units one item × location may hold. It keeps every sum of quantities inside the
 * 32-bit integer columns on PostgreSQL, where SQLite would silently go further.
 */
export const MAX_ON_HAND = 1_000_000_000;

const stockColumns = ['on_hand', 'reserved', 'safety_stock', 'last_delta', 'updated_at'] as const;

export interface StockKey {
  itemId: number;
  locationId: number;
}

/** Creates the all-zero row for an item × location if it is not there yet. */
export async function ensureStockRow(db: Db, key: StockKey, now: string): Promise<void> {
  await db
    .insertInto('stock')
    .values({
      item_id: key.itemId,
      location_id: key.locationId,
      on_hand: 0,
      reserved: 0,
      safety_stock: 0,
      last_delta: 0,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['item_id', 'location_id']).doNothing())
    .execute();
}

/**
 * on_hand += delta, unless that would leave fewer units than are reserved (or more than
 * MAX_ON_HAND).
 * Returns the row after the change, or undefined when the condition refused it.
 */
export function changeOnHand(db: Db, key: StockKey, delta: number, now: string) {
  return db
    .updateTable('stock')
    .set((eb) => ({
      on_hand: eb('on_hand', '+', delta),
      last_delta: delta,
      updated_at: now,
    }))
    .where('item_id', '=', key.itemId)
    .where('location_id', '=', key.locationId)
    .where((eb) => eb(eb('on_hand', '+', delta), '>=', eb.ref('reserved')))
    .where((eb) => eb(eb('on_hand', '+', delta), '<=', MAX_ON_HAND))
    .returning(stockColumns)
    .executeTakeFirst();
}

/**
 * on_hand := counted, optionally only if it still equals `expected` (compare-and-set).
 * last_delta is computed from the old on_hand inside the same statement: right-hand
 * sides see the row as it was before the update on both engines.
 */
export function setCountedOnHand(
  db: Db,
  key: StockKey,
  counted: number,
  expected: number | undefined,
  now: string,
) {
  let query = db
    .updateTable('stock')
    .set({
      on_hand: counted,
      last_delta: sql<number>`${counted} - on_hand`,
      updated_at: now,
    })
    .where('item_id', '=', key.itemId)
    .where('location_id', '=', key.locationId)
    .where('reserved', '<=', counted);
  if (expected !== undefined) query = query.where('on_hand', '=', expected);
  return query.returning(stockColumns).executeTakeFirst();
}

export function setSafetyStock(db: Db, key: StockKey, safetyStock: number, now: string) {
  return db
    .updateTable('stock')
    .set({ safety_stock: safetyStock, updated_at: now })
    .where('item_id', '=', key.itemId)
    .where('location_id', '=', key.locationId)
    .returning(stockColumns)
    .executeTakeFirst();
}

export function findStock(db: Db, key: StockKey) {
  return db
    .selectFrom('stock')
    .select(stockColumns)
    .where('item_id', '=', key.itemId)
    .where('location_id', '=', key.locationId)
    .executeTakeFirst();
}

export interface StockListFilter {
  itemId?: number;
  locationId?: number;
  after: [number, number];
  limit: number;
}

export function listStock(db: Db, filter: StockListFilter) {
  let query = db
    .selectFrom('stock')
    .innerJoin('items', 'items.id', 'stock.item_id')
    .innerJoin('locations', 'locations.id', 'stock.location_id')
    .select([
      'stock.item_id',
      'stock.location_id',
      'items.sku',
      'locations.code as location',
      'stock.on_hand',
      'stock.reserved',
      'stock.safety_stock',
      'stock.updated_at',
    ])
    .where((eb) =>
      eb(eb.refTuple('stock.item_id', 'stock.location_id'), '>', eb.tuple(...filter.after)),
    )
    .orderBy('stock.item_id')
    .orderBy('stock.location_id')
    .limit(filter.limit);
  if (filter.itemId !== undefined) query = query.where('stock.item_id', '=', filter.itemId);
  if (filter.locationId !== undefined)
    query = query.where('stock.location_id', '=', filter.locationId);
  return query.execute();
}

export function insertLedgerEntry(db: Db, entry: Insertable<StockLedgerTable>) {
  return db.insertInto('stock_ledger').values(entry).returningAll().executeTakeFirstOrThrow();
}

export interface LedgerFilter {
  itemId?: number;
  locationId?: number;
  type?: LedgerRow['type'];
  /** Newest first: only entries with an id below this one. */
  beforeId?: number;
  limit: number;
}

export function listLedger(db: Db, filter: LedgerFilter) {
  let query = db
    .selectFrom('stock_ledger')
    .innerJoin('items', 'items.id', 'stock_ledger.item_id')
    .innerJoin('locations', 'locations.id', 'stock_ledger.location_id')
    .selectAll('stock_ledger')
    .select(['items.sku', 'locations.code as location'])
    .orderBy('stock_ledger.id', 'desc')
    .limit(filter.limit);
  if (filter.itemId !== undefined) query = query.where('stock_ledger.item_id', '=', filter.itemId);
  if (filter.locationId !== undefined)
    query = query.where('stock_ledger.location_id', '=', filter.locationId);
  if (filter.type !== undefined) query = query.where('stock_ledger.type', '=', filter.type);
  if (filter.beforeId !== undefined) query = query.where('stock_ledger.id', '<', filter.beforeId);
  return query.execute();
}

/** Item × locations whose on_hand differs from the sum of their ledger rows. */
export function findLedgerDrift(db: Db) {
  return db
    .with('totals', (qb) =>
      qb
        .selectFrom('stock_ledger')
        .select(['item_id', 'location_id', (eb) => eb.fn.sum<number>('quantity').as('total')])
        .groupBy(['item_id', 'location_id']),
    )
    .selectFrom('stock')
    .leftJoin('totals', (join) =>
      join
        .onRef('totals.item_id', '=', 'stock.item_id')
        .onRef('totals.location_id', '=', 'stock.location_id'),
    )
    .innerJoin('items', 'items.id', 'stock.item_id')
    .innerJoin('locations', 'locations.id', 'stock.location_id')
    .select((eb) => [
      'items.sku',
      'locations.code as location',
      'stock.on_hand',
      eb.fn.coalesce('totals.total', sql<number>`0`).as('ledger_total'),
    ])
    .where((eb) => eb('stock.on_hand', '<>', eb.fn.coalesce('totals.total', sql<number>`0`)))
    .orderBy('stock.item_id')
    .orderBy('stock.location_id')
    .execute();
}

export async function countStockRows(db: Db): Promise<number> {
  const { n } = await db
    .selectFrom('stock')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/**
 * reserved += quantity, only if that many units are free: on_hand − reserved, minus the
 * safety stock unless the units were already sold (a backorder being filled) and so no
 * longer compete with anyone for the buffer.
 */
export async function reserveStock(
  trx: Transaction<DB>,
  key: StockKey,
  quantity: number,
  options: { respectSafetyStock: boolean },
  now: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('stock')
    .set((eb) => ({ reserved: eb('reserved', '+', quantity), updated_at: now }))
    .where('item_id', '=', key.itemId)
    .where('location_id', '=', key.locationId)
    .where((eb) =>
      eb(
        options.respectSafetyStock
          ? eb(eb('on_hand', '-', eb.ref('reserved')), '-', eb.ref('safety_stock'))
          : eb('on_hand', '-', eb.ref('reserved')),
        '>=',
        quantity,
      ),
    )
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * reserved += quantity on many rows in one statement (a batch of orders, see
 * src/orders/place-batch.ts), each only if that many are free above safety stock. Returns
 * how many rows it changed: fewer than given means some row had moved, and the caller
 * rolls back. The rows travel as one JSON parameter, so the statement's text is the same
 * for every batch size and SQLite prepares it once.
 */
export async function reserveStockRows(
  trx: Transaction<DB>,
  rows: readonly (StockKey & { quantity: number })[],
  now: string,
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await sql<{ item_id: number }>`
    with wanted as (${wantedRows(trx, rows)})
    ${reserveWanted(now)}`.execute(trx);
  return result.rows.length;
}

/** The rows to reserve as the table `wanted` that reserveWanted reads. */
export function wantedRows(
  trx: Transaction<DB>,
  rows: readonly (StockKey & { quantity: number })[],
) {
  const json = JSON.stringify(rows.map((r) => [r.itemId, r.locationId, r.quantity]));
  return isPostgres(trx)
    ? sql`select (r->>0)::bigint as item_id, (r->>1)::bigint as location_id, (r->>2)::integer as quantity
          from jsonb_array_elements(${json}::jsonb) as r`
    : sql`select value->>0 as item_id, value->>1 as location_id, value->>2 as quantity
          from json_each(${json})`;
}

/**
 * reserveStockRows's conditional UPDATE of the rows in `wanted`, returning one row per
 * stock row changed: for a statement that does more in the same round trip
 * (src/orders/batch-rows.repository.ts).
 */
export function reserveWanted(now: string) {
  return sql`update stock set reserved = stock.reserved + wanted.quantity, updated_at = ${now}
    from wanted
    where stock.item_id = wanted.item_id and stock.location_id = wanted.location_id
      and stock.on_hand - stock.reserved - stock.safety_stock >= wanted.quantity
    returning stock.item_id`;
}

/** reserved −= quantity (a cancellation), only if that many are reserved. */
export async function releaseReserved(
  trx: Transaction<DB>,
  key: StockKey,
  quantity: number,
  now: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('stock')
    .set((eb) => ({ reserved: eb('reserved', '-', quantity), updated_at: now }))
    .where('item_id', '=', key.itemId)
    .where('location_id', '=', key.locationId)
    .where('reserved', '>=', quantity)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * Reserved units leave the building (shipped or picked up): on_hand and reserved drop
 * together in one statement, so the units are never free for an instant in between.
 */
export function consumeReserved(
  trx: Transaction<DB>,
  key: StockKey,
  quantity: number,
  now: string,
) {
  return trx
    .updateTable('stock')
    .set((eb) => ({
      on_hand: eb('on_hand', '-', quantity),
      reserved: eb('reserved', '-', quantity),
      last_delta: -quantity,
      updated_at: now,
    }))
    .where('item_id', '=', key.itemId)
    .where('location_id', '=', key.locationId)
    .where('reserved', '>=', quantity)
    .returning(stockColumns)
    .executeTakeFirst();
}
