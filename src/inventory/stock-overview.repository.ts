import { sql } from 'kysely';
import { ITEM_RULE_COLUMNS, type ItemRulesRow } from '../availability/availability.repository.js';
import type { Db } from '../db/schema.js';

/** Reads for the stock overview: items by the screen's filters, then their stock rows. */

export interface OverviewItemRow extends ItemRulesRow {
  category: string;
}

export interface OverviewItemFilter {
  /** First item id to read (inclusive: a page may end part-way through an item's locations). */
  fromId: number;
  limit: number;
  itemId?: number;
  category?: string;
  supplierId?: number;
  /** Lower-case text the SKU or name contains. */
  text?: string;
}

/** `%` and `_` are wildcards to LIKE: escape them (and the escape) so they match themselves. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function overviewItems(db: Db, filter: OverviewItemFilter): Promise<OverviewItemRow[]> {
  let query = db
    .selectFrom('items')
    .select([...ITEM_RULE_COLUMNS, 'category'])
    .where('id', '>=', filter.fromId)
    .orderBy('id')
    .limit(filter.limit);
  if (filter.itemId !== undefined) query = query.where('id', '=', filter.itemId);
  if (filter.category !== undefined) query = query.where('category', '=', filter.category);
  if (filter.supplierId !== undefined) {
    const supplierId = filter.supplierId;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('supplier_items')
          .select('supplier_items.item_id')
          .whereRef('supplier_items.item_id', '=', 'items.id')
          .where('supplier_items.supplier_id', '=', supplierId),
      ),
    );
  }
  if (filter.text !== undefined) {
    const pattern = likePattern(filter.text);
    // An explicit ESCAPE: SQLite has no default escape character, PostgreSQL's is `\` too.
    query = query.where(
      sql<boolean>`(lower(sku) like ${pattern} escape '\\' or lower(name) like ${pattern} escape '\\')`,
    );
  }
  return query.execute();
}

export interface OverviewStockRow {
  item_id: number;
  location_id: number;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  updated_at: string | null;
}

/** The stock rows of these items at these locations; pairs never stocked have none. */
export function overviewStock(
  db: Db,
  itemIds: readonly number[],
  locationIds: readonly number[],
): Promise<OverviewStockRow[]> {
  if (itemIds.length === 0 || locationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('stock')
    .select(['item_id', 'location_id', 'on_hand', 'reserved', 'safety_stock', 'updated_at'])
    .where('item_id', 'in', itemIds)
    .where('location_id', 'in', locationIds)
    .execute();
}

/** Does any item carry this category? (A filter naming none is a 404, as in reports.) */
export async function categoryExists(db: Db, category: string): Promise<boolean> {
  const row = await db
    .selectFrom('items')
    .select('id')
    .where('category', '=', category)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
