import assert from 'node:assert/strict';
import type { Db } from '../../../src/db/schema.js';

/**
 * Queue order, as seen on the rows: arriving or freed units fill waiting lines before
 * anyone else may take them, so no line of an item waits while a location its channel
 * sells from has units of that item for sale (on_hand − reserved above the safety stock,
 * which new orders may not take either; fills may, so they leave none for sale).
 */
export async function checkQueue(db: Db, when: string): Promise<void> {
  const stranded = await db
    .selectFrom('order_lines')
    .innerJoin('orders', 'orders.id', 'order_lines.order_id')
    .innerJoin('channel_locations', 'channel_locations.channel_id', 'orders.channel_id')
    .innerJoin('locations', 'locations.id', 'channel_locations.location_id')
    .innerJoin('stock', (join) =>
      join
        .onRef('stock.item_id', '=', 'order_lines.item_id')
        .onRef('stock.location_id', '=', 'channel_locations.location_id'),
    )
    .select([
      'order_lines.id as lineId',
      'order_lines.item_id as itemId',
      'order_lines.quantity_backordered as waiting',
      'locations.code as location',
      'stock.on_hand as onHand',
      'stock.reserved as reserved',
      'stock.safety_stock as safety',
    ])
    .where('order_lines.quantity_backordered', '>', 0)
    .where('locations.sellable', '=', 1)
    .where((eb) =>
      eb(eb('stock.on_hand', '-', eb.ref('stock.reserved')), '>', eb.ref('stock.safety_stock')),
    )
    .execute();
  assert.deepEqual(
    stranded,
    [],
    `queue order: lines wait while unreserved units sit where their channel sells, ${when}`,
  );
}
