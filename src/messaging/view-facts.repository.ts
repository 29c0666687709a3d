import type { Db } from '../db/schema.js';

/** The items a message's data names, by SKU or by order line. SQL only. */

export function itemsBySku(db: Db, skus: readonly string[]) {
  return db
    .selectFrom('items')
    .select(['id', 'sku', 'name', 'price_cents'])
    .where('sku', 'in', skus)
    .execute();
}

export function itemOfLine(db: Db, lineId: number) {
  return db
    .selectFrom('order_lines as l')
    .innerJoin('items as i', 'i.id', 'l.item_id')
    .select(['i.id', 'i.sku', 'i.name'])
    .where('l.id', '=', lineId)
    .executeTakeFirst();
}
