import type { Kysely } from 'kysely';

/**
 * Incremental sync (issue 15, item 7): `updatedSince` listings walk orders, items and stock
 * in (updated_at, key) order, and `GET /v1/orders?reference=` finds a shop's own order
 * number. An order changes when its lines do, so lines are indexed by updated_at too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('orders_updated_idx')
    .on('orders')
    .columns(['updated_at', 'id'])
    .execute();
  await db.schema.createIndex('orders_reference_idx').on('orders').column('reference').execute();
  await db.schema
    .createIndex('order_lines_updated_idx')
    .on('order_lines')
    .columns(['updated_at', 'order_id'])
    .execute();
  await db.schema
    .createIndex('items_updated_idx')
    .on('items')
    .columns(['updated_at', 'id'])
    .execute();
  await db.schema
    .createIndex('stock_updated_idx')
    .on('stock')
    .columns(['updated_at', 'item_id', 'location_id'])
    .execute();
}
