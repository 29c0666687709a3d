import type { Insertable, Transaction } from 'kysely';
import { isPostgres } from '../db/dialect.js';
import { reservedLessExpiredHolds } from '../db/held-units.js';
import type { DB, Db } from '../db/schema.js';
import type { HoldLinesTable, HoldsTable } from '../db/tables/holds.js';

/** SQL for placing and extending holds (what writers of other capabilities share is in kernel/holds). */

export async function itemsBySku(
  db: Db,
  skus: readonly string[],
): Promise<{ id: number; sku: string }[]> {
  const rows = await db
    .selectFrom('items')
    .select(['id', 'sku'])
    .where('sku', 'in', skus)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), sku: r.sku }));
}

/**
 * The channel's cap on held units, its row locked (PostgreSQL; SQLite's writer already has
 * the database) so that two holds for one channel cannot both fit under the cap by
 * counting before each other. Locked with a row lock, not a no-op write, which would
 * empty every process's channel cache (migration 0016's triggers). FOR NO KEY UPDATE, not
 * FOR UPDATE: an order inserted for the channel takes a KEY SHARE lock on this row for
 * its foreign key, after it has reserved stock, while this hold goes on to reserve stock;
 * FOR UPDATE would block that check and deadlock the two.
 */
export async function lockChannelCap(
  trx: Transaction<DB>,
  channelId: number,
): Promise<number | null> {
  const query = trx.selectFrom('channels').select('max_held_units').where('id', '=', channelId);
  const row = await (isPostgres(trx) ? query.forNoKeyUpdate() : query).executeTakeFirstOrThrow();
  return row.max_held_units;
}

/** Units the channel holds now: active, unexpired holds' lines. */
export async function unitsHeldBy(db: Db, channelId: number, now: string): Promise<number> {
  const row = await db
    .selectFrom('hold_lines')
    .innerJoin('holds', 'holds.id', 'hold_lines.hold_id')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('hold_lines.held'), eb.lit(0)).as('units'))
    .where('holds.channel_id', '=', channelId)
    .where('holds.status', '=', 'active')
    .where('hold_lines.held', '>', 0)
    .where('hold_lines.expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.units);
}

/** Free-stock counters of the items at the locations, lapsed holds not counted as reserved. */
export function stockOf(
  db: Db,
  itemIds: readonly number[],
  locationIds: readonly number[],
  now: string,
) {
  return db
    .selectFrom('stock')
    .select([
      'item_id',
      'location_id',
      'on_hand',
      reservedLessExpiredHolds(now).as('reserved'),
      'safety_stock',
    ])
    .where('item_id', 'in', itemIds)
    .where('location_id', 'in', locationIds)
    .execute();
}

export async function insertHold(trx: Transaction<DB>, values: Insertable<HoldsTable>) {
  const { id } = await trx
    .insertInto('holds')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

export async function insertHoldLines(
  trx: Transaction<DB>,
  values: readonly Insertable<HoldLinesTable>[],
) {
  if (values.length > 0) await trx.insertInto('hold_lines').values(values).execute();
}

/**
 * A new expiry for an active, unexpired hold (in the caller's channel when scoped), on the
 * hold and its lines; false when the hold is not one to extend.
 */
export async function extendHoldRow(
  trx: Transaction<DB>,
  holdId: number,
  expiresAt: string,
  now: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('holds')
    .set({ expires_at: expiresAt, updated_at: now })
    .where('id', '=', holdId)
    .where('status', '=', 'active')
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) return false;
  await trx
    .updateTable('hold_lines')
    .set({ expires_at: expiresAt })
    .where('hold_id', '=', holdId)
    .execute();
  return true;
}
