import type { Insertable, Selectable, Transaction } from 'kysely';
import { isPostgres } from '../../db/dialect.js';
import type { DB, Db } from '../../db/schema.js';
import type { BackorderPegsTable } from '../../db/tables/orders.js';
import { OPEN_STATES } from '../../domain/purchase-order-lifecycle.js';
import { OPEN_TRANSFER_STATES } from '../../domain/transfer-lifecycle.js';
import {
  addLeadTimePromised,
  clearLeadTimePromised,
  leadTimePromisedOf,
} from './item-promises.repository.js';

/**
 * SQL behind promises: the item lock, the queue of waiting lines, pegs, and the promised
 * counters on supply. Every change to a counter is one conditional statement whose
 * affected-row count decides it (DESIGN section 2).
 */

export type PegRow = Selectable<BackorderPegsTable>;

/**
 * Serialises everything that moves promises for an item (placing a backorder, receipts,
 * date changes, cancellations) with a no-op write on the item row, in ascending id order
 * so two lockers never wait on each other. Taken before any stock or supply row. Not
 * SELECT … FOR NO KEY UPDATE, the same lock without the write: the row then keeps one
 * version whose lockers pile up with the foreign-key checks of new lines, and 10,000
 * backorders of one item cost more the longer the queue (bench/README.md). SQLite's
 * writer already holds the whole database (BEGIN IMMEDIATE).
 */
export async function lockItems(trx: Transaction<DB>, itemIds: Iterable<number>): Promise<void> {
  if (!isPostgres(trx)) return;
  for (const id of [...new Set(itemIds)].sort((a, b) => a - b)) {
    await trx
      .updateTable('items')
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('id', '=', id)
      .execute();
  }
}

/** lockItems for items named by SKU, as a batch of orders knows them. */
export async function lockItemsBySku(trx: Transaction<DB>, skus: readonly string[]) {
  if (skus.length === 0 || !isPostgres(trx)) return;
  const items = await trx.selectFrom('items').select('id').where('sku', 'in', skus).execute();
  await lockItems(
    trx,
    items.map((i) => i.id),
  );
}

export interface ItemPromiseRow {
  id: number;
  sku: string;
  status: 'active' | 'discontinued';
  release_date: string | null;
  preorders_enabled: number;
  backorder_policy: 'none' | 'incoming' | 'lead_time';
  backorder_cap: number | null;
  handling_days: number;
  low_stock_threshold: number;
}

export function findItemsForPromise(db: Db, itemIds: readonly number[]): Promise<ItemPromiseRow[]> {
  if (itemIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('items')
    .select([
      'id',
      'sku',
      'status',
      'release_date',
      'preorders_enabled',
      'backorder_policy',
      'backorder_cap',
      'handling_days',
      'low_stock_threshold',
    ])
    .where('id', 'in', itemIds)
    .execute();
}

/**
 * Lead-time units promised for an item: what the backorder cap counts. Read from the
 * item's running total, so a new backorder costs the same however long the queue.
 */
export function leadTimePromised(db: Db, itemId: number): Promise<number> {
  return leadTimePromisedOf(db, itemId);
}

/**
 * Pegs more units to a purchase-order line, only if it still brings them: open quantity
 * of an order that is out with the supplier, minus what is already promised.
 */
export async function promiseFromOrderLine(db: Db, lineId: number, quantity: number) {
  const result = await db
    .updateTable('purchase_order_lines')
    .set((eb) => ({ quantity_promised: eb('quantity_promised', '+', quantity) }))
    .where('id', '=', lineId)
    .where((eb) =>
      eb(
        eb(
          eb(
            eb('quantity_ordered', '-', eb.ref('quantity_received')),
            '-',
            eb.ref('quantity_cancelled'),
          ),
          '-',
          eb.ref('quantity_promised'),
        ),
        '>=',
        quantity,
      ),
    )
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('purchase_orders')
          .select('purchase_orders.id')
          .whereRef('purchase_orders.id', '=', 'purchase_order_lines.purchase_order_id')
          .where('purchase_orders.state', 'in', OPEN_STATES),
      ),
    )
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function promiseFromTransfer(db: Db, transferId: number, quantity: number) {
  const result = await db
    .updateTable('transfers')
    .set((eb) => ({ quantity_promised: eb('quantity_promised', '+', quantity) }))
    .where('id', '=', transferId)
    .where('state', 'in', OPEN_TRANSFER_STATES)
    .where((eb) =>
      eb(
        eb(eb('quantity', '-', eb.ref('quantity_received')), '-', eb.ref('quantity_promised')),
        '>=',
        quantity,
      ),
    )
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Sets what a supply has promised after a re-plan, only if it still brings that much. */
export async function setOrderLinePromised(db: Db, lineId: number, quantity: number) {
  const result = await db
    .updateTable('purchase_order_lines')
    .set({ quantity_promised: quantity })
    .where('id', '=', lineId)
    .$if(quantity > 0, (qb) =>
      qb.where((eb) =>
        eb(
          eb(
            eb('quantity_ordered', '-', eb.ref('quantity_received')),
            '-',
            eb.ref('quantity_cancelled'),
          ),
          '>=',
          quantity,
        ),
      ),
    )
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function setTransferPromised(db: Db, transferId: number, quantity: number) {
  const result = await db
    .updateTable('transfers')
    .set({ quantity_promised: quantity })
    .where('id', '=', transferId)
    .$if(quantity > 0, (qb) =>
      qb.where((eb) => eb(eb('quantity', '-', eb.ref('quantity_received')), '>=', quantity)),
    )
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Releases units from a supply's promised counter (a fill or a cancellation). */
export async function releaseOrderLinePromise(db: Db, lineId: number, quantity: number) {
  const result = await db
    .updateTable('purchase_order_lines')
    .set((eb) => ({ quantity_promised: eb('quantity_promised', '-', quantity) }))
    .where('id', '=', lineId)
    .where('quantity_promised', '>=', quantity)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function releaseTransferPromise(db: Db, transferId: number, quantity: number) {
  const result = await db
    .updateTable('transfers')
    .set((eb) => ({ quantity_promised: eb('quantity_promised', '-', quantity) }))
    .where('id', '=', transferId)
    .where('quantity_promised', '>=', quantity)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export interface WaitingLineRow {
  id: number;
  order_id: number;
  channel_id: number;
  preorder: number;
  quantity_backordered: number;
  quantity_unpromised: number;
  promised_date: string | null;
  promise_confidence: 'confirmed' | 'estimated' | null;
  priority: 'high' | 'normal';
}

/**
 * The item's waiting lines, first placed first. Queue order also weighs staff priority:
 * the re-plan and the fill sort them with domain/fair-queue's compareQueue.
 */
export function waitingLines(db: Db, itemId: number): Promise<WaitingLineRow[]> {
  return db
    .selectFrom('order_lines')
    .innerJoin('orders', 'orders.id', 'order_lines.order_id')
    .select([
      'order_lines.id',
      'order_lines.order_id',
      'orders.channel_id',
      'order_lines.preorder',
      'order_lines.quantity_backordered',
      'order_lines.quantity_unpromised',
      'order_lines.promised_date',
      'order_lines.promise_confidence',
      'order_lines.priority',
    ])
    .where('order_lines.item_id', '=', itemId)
    .where('order_lines.quantity_backordered', '>', 0)
    .orderBy('order_lines.id')
    .execute();
}

export function pegsOfItem(db: Db, itemId: number): Promise<PegRow[]> {
  return db
    .selectFrom('backorder_pegs')
    .selectAll()
    .where('item_id', '=', itemId)
    .orderBy('order_line_id')
    .orderBy('id')
    .execute();
}

export function pegsOfLines(db: Db, lineIds: readonly number[]): Promise<PegRow[]> {
  if (lineIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('backorder_pegs')
    .selectAll()
    .where('order_line_id', 'in', lineIds)
    .orderBy('order_line_id')
    .orderBy('id')
    .execute();
}

/** Deletes every peg of the item, and so its lead-time total. Supply counters are the caller's. */
export async function deletePegsOfItem(db: Db, itemId: number): Promise<void> {
  await db.deleteFrom('backorder_pegs').where('item_id', '=', itemId).execute();
  await clearLeadTimePromised(db, itemId);
}

/**
 * Inserts pegs and adds the lead-time ones to their items' totals (supply counters are
 * moved by the caller, conditionally, before).
 */
export async function insertPegs(db: Db, pegs: Insertable<BackorderPegsTable>[]): Promise<void> {
  // Chunked: SQLite allows a bounded number of bound parameters per statement.
  for (let i = 0; i < pegs.length; i += 500) {
    await db
      .insertInto('backorder_pegs')
      .values(pegs.slice(i, i + 500))
      .execute();
  }
  const leadTime = new Map<number, number>();
  for (const peg of pegs) {
    if ((peg.purchase_order_line_id ?? null) === null && (peg.transfer_id ?? null) === null) {
      leadTime.set(peg.item_id, (leadTime.get(peg.item_id) ?? 0) + peg.quantity);
    }
  }
  // Item order, like every other lock taken on items.
  for (const [itemId, quantity] of [...leadTime].sort((a, b) => a[0] - b[0])) {
    await addLeadTimePromised(db, itemId, quantity);
  }
}

/**
 * Channel → the location codes it is filled from, in priority order. A location off sale
 * (0018) is left out: no new promise rests on supply arriving there.
 */
export async function channelLocationCodes(db: Db): Promise<Map<number, string[]>> {
  const rows = await db
    .selectFrom('channel_locations')
    .innerJoin('locations', 'locations.id', 'channel_locations.location_id')
    .select(['channel_locations.channel_id', 'locations.code'])
    .where('locations.sellable', '=', 1)
    .orderBy('channel_locations.channel_id')
    .orderBy('channel_locations.priority')
    .execute();
  const map = new Map<number, string[]>();
  for (const row of rows) {
    const list = map.get(row.channel_id) ?? [];
    list.push(row.code);
    map.set(row.channel_id, list);
  }
  return map;
}

/** Location code → id, read once per re-plan. */
export async function locationIds(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('locations').select(['id', 'code']).execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

/**
 * The channels a location fills orders for: none while it is off sale (0018), so units
 * arriving there fill only the lines already pegged to them.
 */
export async function channelsServedBy(db: Db, locationId: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom('channel_locations')
    .innerJoin('locations', 'locations.id', 'channel_locations.location_id')
    .select('channel_locations.channel_id')
    .where('channel_locations.location_id', '=', locationId)
    .where('locations.sellable', '=', 1)
    .execute();
  return new Set(rows.map((r) => r.channel_id));
}

export async function itemReleaseDate(db: Db, itemId: number): Promise<string | null> {
  const { release_date } = await db
    .selectFrom('items')
    .select('release_date')
    .where('id', '=', itemId)
    .executeTakeFirstOrThrow();
  return release_date;
}
