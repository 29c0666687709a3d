import type { Db } from '../db/schema.js';

/** Reads for availability: only the columns the rules need, in item-id order. */

export interface ItemRulesRow {
  id: number;
  sku: string;
  name: string;
  status: 'active' | 'discontinued';
  release_date: string | null;
  backorder_policy: 'none' | 'incoming' | 'lead_time';
  low_stock_threshold: number;
}

export interface StockQuantitiesRow {
  item_id: number;
  location_id: number;
  on_hand: number;
  reserved: number;
  safety_stock: number;
}

export function itemBatch(
  db: Db,
  filter: { afterId: number; limit: number; skus?: readonly string[] },
): Promise<ItemRulesRow[]> {
  let query = db
    .selectFrom('items')
    .select([
      'id',
      'sku',
      'name',
      'status',
      'release_date',
      'backorder_policy',
      'low_stock_threshold',
    ])
    .where('id', '>', filter.afterId)
    .orderBy('id')
    .limit(filter.limit);
  if (filter.skus !== undefined) query = query.where('sku', 'in', filter.skus);
  return query.execute();
}

/**
 * Stock of the items with ids in [firstId, lastId] at the given locations. A range on the
 * primary key rather than an IN list keeps the statement small for thousand-item pages.
 */
export function stockForItemRange(
  db: Db,
  firstId: number,
  lastId: number,
  locationIds: readonly number[],
): Promise<StockQuantitiesRow[]> {
  if (locationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('stock')
    .select(['item_id', 'location_id', 'on_hand', 'reserved', 'safety_stock'])
    .where('item_id', '>=', firstId)
    .where('item_id', '<=', lastId)
    .where('location_id', 'in', locationIds)
    .execute();
}
