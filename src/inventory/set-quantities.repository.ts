import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import type { StockKey } from '../kernel/ledger/stock.repository.js';

/**
 * on_hand := quantity in one conditional statement: never below what is reserved, and
 * with `compare`, only while on_hand still equals it. updated_at moves only when on_hand
 * does, so an unchanged row stays out of `updatedSince` listings. Right-hand sides see the
 * row as it was, on both engines, so last_delta is the change without a read.
 */
export function setOnHand(
  db: Db,
  key: StockKey,
  quantity: number,
  compare: number | undefined,
  now: string,
) {
  let query = db
    .updateTable('stock')
    .set({
      on_hand: quantity,
      last_delta: sql<number>`${quantity} - on_hand`,
      updated_at: sql<string>`case when on_hand = ${quantity} then updated_at else ${now} end`,
    })
    .where('item_id', '=', key.itemId)
    .where('location_id', '=', key.locationId)
    .where('reserved', '<=', quantity);
  if (compare !== undefined) query = query.where('on_hand', '=', compare);
  return query
    .returning(['on_hand', 'reserved', 'safety_stock', 'last_delta', 'updated_at'])
    .executeTakeFirst();
}
