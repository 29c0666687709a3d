import type { Db } from '../db/schema.js';
import type { ItemPromiseRow } from '../kernel/backorders/promise.repository.js';

/** Item rules and their stock rows at a channel's locations, as read at one moment. */
export interface StockPicture {
  items: ItemPromiseRow[];
  stockRows: {
    item_id: number;
    location_id: number;
    on_hand: number;
    reserved: number;
    safety_stock: number;
  }[];
}

/** One statement: the items named by id or SKU, each with its stock at the locations. */
export async function readStockPicture(
  db: Db,
  wanted: { itemIds: readonly number[] } | { skus: readonly string[] },
  locationIds: readonly number[],
): Promise<StockPicture> {
  const rows = await db
    .selectFrom('items')
    .leftJoin('stock', (join) =>
      join
        .onRef('stock.item_id', '=', 'items.id')
        .on('stock.location_id', 'in', locationIds.length > 0 ? locationIds : [-1]),
    )
    .select([
      'items.id',
      'items.sku',
      'items.status',
      'items.release_date',
      'items.preorders_enabled',
      'items.backorder_policy',
      'items.backorder_cap',
      'items.handling_days',
      'items.low_stock_threshold',
      'stock.location_id',
      'stock.on_hand',
      'stock.reserved',
      'stock.safety_stock',
    ])
    .$if('itemIds' in wanted, (qb) =>
      qb.where('items.id', 'in', (wanted as { itemIds: number[] }).itemIds),
    )
    .$if('skus' in wanted, (qb) => qb.where('items.sku', 'in', (wanted as { skus: string[] }).skus))
    .execute();
  const picture: StockPicture = { items: [], stockRows: [] };
  const seen = new Set<number>();
  for (const { location_id, on_hand, reserved, safety_stock, ...item } of rows) {
    if (!seen.has(item.id)) {
      seen.add(item.id);
      picture.items.push(item);
    }
    if (location_id !== null) {
      picture.stockRows.push({
        item_id: item.id,
        location_id,
        on_hand: on_hand!,
        reserved: reserved!,
        safety_stock: safety_stock!,
      });
    }
  }
  return picture;
}
