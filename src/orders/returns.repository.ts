import type { Insertable, Transaction } from 'kysely';
import type { DB, Db } from '../db/schema.js';
import type { OrderReturnsTable } from '../db/tables/returns.js';

/** What customer returns read and write. SQL only. */

/**
 * Counts units of a line as returned, only while fulfilled − returned still covers them:
 * the affected-row count decides, so two returns racing for the last units cannot both
 * win. False when the line has fewer returnable units.
 */
export async function takeReturnable(
  trx: Transaction<DB>,
  lineId: number,
  quantity: number,
  now: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('order_lines')
    .set((eb) => ({
      quantity_returned: eb('quantity_returned', '+', quantity),
      updated_at: now,
    }))
    .where('id', '=', lineId)
    .where((eb) => eb(eb('quantity_fulfilled', '-', eb.ref('quantity_returned')), '>=', quantity))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function insertOrderReturn(
  trx: Transaction<DB>,
  row: Insertable<OrderReturnsTable>,
): Promise<number> {
  const { id } = await trx
    .insertInto('order_returns')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** An order's returns, oldest first; one of them when `returnId` is given. */
export function orderReturnsOf(db: Db, orderId: number, returnId?: number) {
  return db
    .selectFrom('order_returns')
    .innerJoin('order_lines', 'order_lines.id', 'order_returns.order_line_id')
    .innerJoin('items', 'items.id', 'order_lines.item_id')
    .innerJoin('locations', 'locations.id', 'order_returns.location_id')
    .select([
      'order_returns.id',
      'order_returns.order_id',
      'order_lines.line_no',
      'items.sku',
      'order_returns.quantity',
      'locations.code as location',
      'order_returns.disposition',
      'order_returns.reason',
      'order_returns.actor',
      'order_returns.created_at',
    ])
    .where('order_returns.order_id', '=', orderId)
    .$if(returnId !== undefined, (q) => q.where('order_returns.id', '=', returnId!))
    .orderBy('order_returns.id')
    .execute();
}
export type OrderReturnRow = Awaited<ReturnType<typeof orderReturnsOf>>[number];
