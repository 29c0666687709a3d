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

/**
 * The all-zero rows of item × locations never touched, in one statement per chunk (keys
 * come sorted, so new rows are created in lock order).
 */
export async function ensureStockRows(db: Db, keys: readonly StockKey[], now: string) {
  for (let i = 0; i < keys.length; i += 100) {
    await db
      .insertInto('stock')
      .values(
        keys.slice(i, i + 100).map((key) => ({
          item_id: key.itemId,
          location_id: key.locationId,
          on_hand: 0,
          reserved: 0,
          safety_stock: 0,
          last_delta: 0,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['item_id', 'location_id']).doNothing())
      .execute();
  }
}

/** The rows of these keys (and perhaps a few more of the same items and locations). */
export function findStockRows(db: Db, keys: readonly StockKey[]) {
  return db
    .selectFrom('stock')
    .select(['item_id', 'location_id', 'on_hand', 'reserved', 'safety_stock', 'updated_at'])
    .where('item_id', 'in', [...new Set(keys.map((k) => k.itemId))])
    .where('location_id', 'in', [...new Set(keys.map((k) => k.locationId))])
    .execute();
}
