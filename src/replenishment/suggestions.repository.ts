import { type Insertable, type Selectable, sql, type Transaction } from 'kysely';
import type { DatabaseKind } from '../db/database.js';
import type { DB, Db } from '../db/schema.js';
import type {
  PurchaseSuggestionLinesTable,
  PurchaseSuggestionsTable,
  SuggestionState,
} from '../db/tables/replenishment.js';

export type SuggestionRow = Selectable<PurchaseSuggestionsTable> & {
  supplier: string;
  location: string;
};
export type SuggestionLineRow = Selectable<PurchaseSuggestionLinesTable> & { sku: string };

function selectSuggestions(db: Db) {
  return db
    .selectFrom('purchase_suggestions as s')
    .innerJoin('suppliers', 'suppliers.id', 's.supplier_id')
    .innerJoin('locations', 'locations.id', 's.location_id')
    .selectAll('s')
    .select(['suppliers.code as supplier', 'locations.code as location']);
}

export interface SuggestionFilter {
  supplierId?: number;
  locationId?: number;
  state?: SuggestionState;
  afterId: number;
  limit: number;
}

export function listSuggestions(db: Db, filter: SuggestionFilter): Promise<SuggestionRow[]> {
  let query = selectSuggestions(db)
    .where('s.id', '>', filter.afterId)
    .orderBy('s.id')
    .limit(filter.limit);
  if (filter.supplierId !== undefined) query = query.where('s.supplier_id', '=', filter.supplierId);
  if (filter.locationId !== undefined) query = query.where('s.location_id', '=', filter.locationId);
  if (filter.state !== undefined) query = query.where('s.state', '=', filter.state);
  return query.execute();
}

export function findSuggestion(db: Db, id: number): Promise<SuggestionRow | undefined> {
  return selectSuggestions(db).where('s.id', '=', id).executeTakeFirst();
}

/** The lines of these suggestions, in suggestion then SKU order. */
export async function linesOf(
  db: Db,
  suggestionIds: readonly number[],
): Promise<SuggestionLineRow[]> {
  if (suggestionIds.length === 0) return [];
  const rows = await db
    .selectFrom('purchase_suggestion_lines as l')
    .innerJoin('items', 'items.id', 'l.item_id')
    .selectAll('l')
    .select('items.sku')
    .where('l.suggestion_id', 'in', suggestionIds)
    .orderBy('l.suggestion_id')
    .orderBy('l.item_id')
    .execute();
  return rows;
}

/**
 * Removes the open suggestions and (by the cascade) their lines; ordered and dismissed ones
 * stay, as history. The WHERE is re-checked on each row, so a suggestion another
 * transaction has just ordered is kept, lines and all.
 */
export async function deleteOpenSuggestions(trx: Transaction<DB>): Promise<number> {
  const result = await trx
    .deleteFrom('purchase_suggestions')
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * One refresh at a time, until its transaction ends. PostgreSQL: a transaction-scoped
 * advisory lock in the schema's key space (the second key, −1, is no item id, which the
 * availability watcher uses there); without it, a second refresh's DELETE would not see
 * the first one's new rows and both sets would stay open. SQLite: BEGIN IMMEDIATE already
 * serialises writers.
 */
export async function lockRefresh(trx: Transaction<DB>, kind: DatabaseKind): Promise<void> {
  if (kind !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(current_schema()), -1)`.execute(trx);
}

export async function insertSuggestion(
  trx: Transaction<DB>,
  values: Insertable<PurchaseSuggestionsTable>,
  lines: readonly Omit<Insertable<PurchaseSuggestionLinesTable>, 'suggestion_id'>[],
): Promise<number> {
  const { id } = await trx
    .insertInto('purchase_suggestions')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('purchase_suggestion_lines')
    .values(lines.map((line) => ({ ...line, suggestion_id: id })))
    .execute();
  return id;
}

/**
 * Moves an open suggestion to `state`; false when it is not open (any more). The WHERE
 * decides, so of two concurrent calls exactly one moves it.
 */
export async function closeSuggestion(
  trx: Transaction<DB>,
  id: number,
  state: 'ordered' | 'dismissed',
  purchaseOrderId: number | null,
  now: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('purchase_suggestions')
    .set({ state, purchase_order_id: purchaseOrderId, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
