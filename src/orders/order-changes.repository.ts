import type { Insertable, Transaction } from 'kysely';
import type { DB, Db } from '../db/schema.js';
import type { FulfilmentLinesTable, FulfilmentsTable } from '../db/tables/orders.js';
import type { Confidence } from '../domain/item-rules.js';

/** What cancelling and fulfilling write to an order after it is placed. SQL only. */

/** Marks the order changed (its row is already locked: see lockOrder). */
export async function touchOrder(trx: Transaction<DB>, id: number, now: string): Promise<void> {
  await trx.updateTable('orders').set({ updated_at: now }).where('id', '=', id).execute();
}

export interface LineCancellation {
  cancelled: number;
  /** Waiting units cancelled, of which `unpromised` had no promise. */
  waiting: number;
  unpromised: number;
  /** Reserved units cancelled. */
  reserved: number;
  /** Set when nothing waits any more: the promise the line keeps, if any. */
  promise?: { date: string | null; confidence: Confidence | null };
}

/** Moves a line's units to cancelled, relative to what the line holds now. */
export async function cancelFromLine(
  trx: Transaction<DB>,
  lineId: number,
  change: LineCancellation,
  now: string,
): Promise<void> {
  await trx
    .updateTable('order_lines')
    .set((eb) => ({
      quantity_cancelled: eb('quantity_cancelled', '+', change.cancelled),
      quantity_backordered: eb('quantity_backordered', '-', change.waiting),
      quantity_unpromised: eb('quantity_unpromised', '-', change.unpromised),
      quantity_allocated: eb('quantity_allocated', '-', change.reserved),
      ...(change.promise && {
        promised_date: change.promise.date,
        promise_confidence: change.promise.confidence,
      }),
      updated_at: now,
    }))
    .where('id', '=', lineId)
    .execute();
}

/** Moves reserved units of a line to fulfilled. */
export async function fulfilFromLine(
  trx: Transaction<DB>,
  lineId: number,
  quantity: number,
  now: string,
): Promise<void> {
  await trx
    .updateTable('order_lines')
    .set((eb) => ({
      quantity_allocated: eb('quantity_allocated', '-', quantity),
      quantity_fulfilled: eb('quantity_fulfilled', '+', quantity),
      updated_at: now,
    }))
    .where('id', '=', lineId)
    .execute();
}

export function findFulfilment(trx: Transaction<DB>, orderId: number, fulfilmentId: string) {
  return trx
    .selectFrom('fulfilments')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('fulfilment_id', '=', fulfilmentId)
    .executeTakeFirst();
}
export type FulfilmentRow = NonNullable<Awaited<ReturnType<typeof findFulfilment>>>;

export async function insertFulfilment(
  trx: Transaction<DB>,
  row: Insertable<FulfilmentsTable>,
): Promise<number> {
  const { id } = await trx
    .insertInto('fulfilments')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Two moves from the same line and location add up to one fulfilment line. */
export async function addFulfilmentLine(
  trx: Transaction<DB>,
  row: FulfilmentLinesTable,
): Promise<void> {
  await trx
    .insertInto('fulfilment_lines')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['fulfilment_pk', 'order_line_id', 'location_id']).doUpdateSet((eb) => ({
        quantity: eb('fulfilment_lines.quantity', '+', row.quantity),
      })),
    )
    .execute();
}

/** A fulfilment's lines as its receipt shows them: by line number, then location. */
export function fulfilmentLinesOf(db: Db, fulfilmentPk: number) {
  return db
    .selectFrom('fulfilment_lines')
    .innerJoin('order_lines', 'order_lines.id', 'fulfilment_lines.order_line_id')
    .innerJoin('items', 'items.id', 'order_lines.item_id')
    .innerJoin('locations', 'locations.id', 'fulfilment_lines.location_id')
    .select([
      'order_lines.line_no as line',
      'items.sku',
      'locations.code as location',
      'fulfilment_lines.quantity',
    ])
    .where('fulfilment_lines.fulfilment_pk', '=', fulfilmentPk)
    .orderBy('order_lines.line_no')
    .orderBy('locations.code')
    .execute();
}
