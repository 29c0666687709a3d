import { sql, type Transaction } from 'kysely';
import { noneWaitingFor } from '../../db/held-units.js';
import type { DB, Db } from '../../db/schema.js';

/**
 * SQL behind a hold's units (src/kernel/holds/): what every writer that frees or reserves
 * stock needs to know about holds, whichever capability it is in.
 */

export interface Rows {
  itemIds: readonly number[];
  locationIds: readonly number[];
}

/** Rows named by SKU: a writer that has not read its items' ids yet (an order batch). */
export interface SkuRows {
  skus: readonly string[];
  locationIds: readonly number[];
}

/**
 * Holds with units still held past their expiry on the given stock rows, for items nobody
 * waits for (the sweep gives the others to the queue first), with those items; usually none.
 */
export async function lapsedHoldsOn(
  db: Db,
  rows: Rows | SkuRows,
  now: string,
): Promise<{ holdIds: number[]; itemIds: number[] }> {
  const items = 'skus' in rows ? rows.skus : rows.itemIds;
  if (items.length === 0 || rows.locationIds.length === 0) {
    return { holdIds: [], itemIds: [] };
  }
  const base = db.selectFrom('hold_lines').select(['hold_id', 'item_id']).distinct();
  const found = await ('skus' in rows
    ? base.where('item_id', 'in', (eb) =>
        eb.selectFrom('items').select('id').where('sku', 'in', rows.skus),
      )
    : base.where('item_id', 'in', rows.itemIds)
  )
    .where('location_id', 'in', rows.locationIds)
    .where('held', '>', 0)
    .where('expires_at', '<=', now)
    .where(noneWaitingFor(sql.ref('hold_lines.item_id')))
    .execute();
  const ascending = (ids: Iterable<number>) => [...new Set(ids)].sort((a, b) => a - b);
  return {
    holdIds: ascending(found.map((r) => Number(r.hold_id))),
    itemIds: ascending(found.map((r) => Number(r.item_id))),
  };
}

/** Holds with units still held past their expiry anywhere, oldest expiry first: the sweep's list. */
export async function lapsedHolds(db: Db, now: string, limit: number): Promise<number[]> {
  const found = await db
    .selectFrom('hold_lines')
    .select('hold_id')
    .where('held', '>', 0)
    .where('expires_at', '<=', now)
    .groupBy('hold_id')
    .orderBy((eb) => eb.fn.min('expires_at'))
    .limit(limit)
    .execute();
  return found.map((r) => Number(r.hold_id));
}

/**
 * Active holds among `holdIds` become `status`, conditionally, so one writer wins and
 * records the event; returns the ones it changed with their channel code.
 */
export async function closeHolds(
  trx: Transaction<DB>,
  holdIds: readonly number[],
  status: 'expired' | 'released',
  now: string,
): Promise<{ id: number; reference: string | null; channel: string }[]> {
  if (holdIds.length === 0) return [];
  const changed = await trx
    .updateTable('holds')
    .set({ status, updated_at: now })
    .where('id', 'in', holdIds)
    .where('status', '=', 'active')
    .returning('id')
    .execute();
  if (changed.length === 0) return [];
  const rows = await trx
    .selectFrom('holds')
    .innerJoin('channels', 'channels.id', 'holds.channel_id')
    .select(['holds.id', 'holds.reference', 'channels.code as channel'])
    .where(
      'holds.id',
      'in',
      changed.map((r) => r.id),
    )
    .orderBy('holds.id')
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export interface TakenUnits {
  hold_id: number;
  item_id: number;
  location_id: number;
  held: number;
}

/**
 * The units the holds still hold (on the given rows only, when given) stop being held:
 * held := 0, returning what each line held, so that exactly that is released from stock.
 * Conditional on held > 0, so two writers racing for the same line release it once.
 */
export async function takeHeldUnits(
  trx: Transaction<DB>,
  holdIds: readonly number[],
  rows: Rows | undefined,
): Promise<TakenUnits[]> {
  if (holdIds.length === 0) return [];
  let query = trx
    .updateTable('hold_lines')
    .set({ held: 0 })
    .where('hold_id', 'in', holdIds)
    .where('held', '>', 0);
  if (rows) {
    query = query.where('item_id', 'in', rows.itemIds).where('location_id', 'in', rows.locationIds);
  }
  const taken = await query.returning(['hold_id', 'item_id', 'location_id', 'quantity']).execute();
  // RETURNING shows the new held (0); a line holds all of its quantity or nothing (CHECK).
  return taken.map((r) => ({
    hold_id: Number(r.hold_id),
    item_id: Number(r.item_id),
    location_id: Number(r.location_id),
    held: r.quantity,
  }));
}

/** The items a hold's lines are for, ascending: what its release locks first. */
export async function itemsOfHold(db: Db, holdId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('hold_lines')
    .select('item_id')
    .distinct()
    .where('hold_id', '=', holdId)
    .execute();
  return rows.map((r) => Number(r.item_id)).sort((a, b) => a - b);
}

export interface HoldRow {
  id: number;
  channel_id: number;
  channel: string;
  reference: string | null;
  status: 'active' | 'released' | 'expired' | 'converted';
  expires_at: string;
  order_id: number | null;
  created_at: string;
  updated_at: string;
}

/**
 * A hold by id, within the caller's channel when scoped: another channel's hold is not
 * found, exactly as a missing one.
 */
export async function findHold(
  db: Db,
  id: number,
  scope: { channelId: number } | null,
): Promise<HoldRow | undefined> {
  let query = db
    .selectFrom('holds')
    .innerJoin('channels', 'channels.id', 'holds.channel_id')
    .select([
      'holds.id',
      'holds.channel_id',
      'channels.code as channel',
      'holds.reference',
      'holds.status',
      'holds.expires_at',
      'holds.order_id',
      'holds.created_at',
      'holds.updated_at',
    ])
    .where('holds.id', '=', id);
  if (scope) query = query.where('holds.channel_id', '=', scope.channelId);
  const row = await query.executeTakeFirst();
  return (
    row && {
      ...row,
      id: Number(row.id),
      channel_id: Number(row.channel_id),
      order_id: row.order_id === null ? null : Number(row.order_id),
    }
  );
}

export interface HoldLineRow {
  line_no: number;
  item_id: number;
  sku: string;
  location_id: number;
  location: string;
  quantity: number;
  held: number;
}

/** A hold's lines, one row per line and location, in line then location priority order. */
export async function linesOfHold(db: Db, holdId: number): Promise<HoldLineRow[]> {
  const rows = await db
    .selectFrom('hold_lines')
    .innerJoin('items', 'items.id', 'hold_lines.item_id')
    .innerJoin('locations', 'locations.id', 'hold_lines.location_id')
    .select([
      'hold_lines.line_no',
      'hold_lines.item_id',
      'items.sku',
      'hold_lines.location_id',
      'locations.code as location',
      'hold_lines.quantity',
      'hold_lines.held',
    ])
    .where('hold_lines.hold_id', '=', holdId)
    .orderBy('hold_lines.line_no')
    .orderBy('hold_lines.id')
    .execute();
  return rows.map((r) => ({
    ...r,
    item_id: Number(r.item_id),
    location_id: Number(r.location_id),
  }));
}

/**
 * The hold is taken for an order, if it is still active and unexpired at `now`: one
 * conditional statement, so a concurrent release, expiry or conversion makes it a no-op.
 */
export async function claimHoldForOrder(
  trx: Transaction<DB>,
  holdId: number,
  now: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('holds')
    .set({ status: 'converted', updated_at: now })
    .where('id', '=', holdId)
    .where('status', '=', 'active')
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function setHoldOrder(trx: Transaction<DB>, holdId: number, orderId: number) {
  await trx.updateTable('holds').set({ order_id: orderId }).where('id', '=', holdId).execute();
}
