import type { Db } from '../db/schema.js';

export interface ChangedStockFilter {
  itemId?: number;
  locationId?: number;
  /** Changed at or after this (stored timestamp text). */
  since: string;
  /** The last (updated_at, item id, location id) of the previous page. */
  after?: [string, number, number];
  limit: number;
}

/** Stock rows by when they last changed, for `GET /v1/stock?updatedSince=`. */
export function listChangedStock(db: Db, filter: ChangedStockFilter) {
  const after = filter.after;
  return db
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
    .where('stock.updated_at', '>=', filter.since)
    .$if(after !== undefined, (q) =>
      q.where((eb) =>
        eb(
          eb.refTuple('stock.updated_at', 'stock.item_id', 'stock.location_id'),
          '>',
          eb.tuple(after![0], after![1], after![2]),
        ),
      ),
    )
    .$if(filter.itemId !== undefined, (q) => q.where('stock.item_id', '=', filter.itemId!))
    .$if(filter.locationId !== undefined, (q) =>
      q.where('stock.location_id', '=', filter.locationId!),
    )
    .orderBy('stock.updated_at')
    .orderBy('stock.item_id')
    .orderBy('stock.location_id')
    .limit(filter.limit)
    .execute();
}
