import type { Insertable, Transaction } from 'kysely';
import type { DB, Db } from '../db/schema.js';
import type { SupplierReturnsTable } from '../db/tables/returns.js';

/** What returns to suppliers read and write. SQL only. */

/**
 * Counts units of a purchase-order line as sent back, only while received − returned
 * still covers them; the affected-row count decides. The line's open quantity
 * (ordered − received − cancelled) does not change: the units are not expected again.
 */
export async function takeReturnableReceived(
  trx: Transaction<DB>,
  lineId: number,
  quantity: number,
  now: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('purchase_order_lines')
    .set((eb) => ({
      quantity_returned: eb('quantity_returned', '+', quantity),
      updated_at: now,
    }))
    .where('id', '=', lineId)
    .where((eb) => eb(eb('quantity_received', '-', eb.ref('quantity_returned')), '>=', quantity))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function insertSupplierReturn(
  trx: Transaction<DB>,
  row: Insertable<SupplierReturnsTable>,
): Promise<number> {
  const { id } = await trx
    .insertInto('supplier_returns')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** A purchase order's returns, oldest first; one of them when `returnId` is given. */
export function supplierReturnsOf(db: Db, purchaseOrderId: number, returnId?: number) {
  return db
    .selectFrom('supplier_returns')
    .innerJoin('purchase_order_lines', 'purchase_order_lines.id', 'supplier_returns.line_id')
    .innerJoin('items', 'items.id', 'purchase_order_lines.item_id')
    .innerJoin('locations', 'locations.id', 'supplier_returns.location_id')
    .select([
      'supplier_returns.id',
      'supplier_returns.purchase_order_id',
      'supplier_returns.line_id',
      'items.sku',
      'supplier_returns.quantity',
      'locations.code as location',
      'supplier_returns.reason',
      'supplier_returns.actor',
      'supplier_returns.created_at',
      'purchase_order_lines.quantity_received',
      'purchase_order_lines.quantity_returned',
    ])
    .where('supplier_returns.purchase_order_id', '=', purchaseOrderId)
    .$if(returnId !== undefined, (q) => q.where('supplier_returns.id', '=', returnId!))
    .orderBy('supplier_returns.id')
    .execute();
}
export type SupplierReturnRow = Awaited<ReturnType<typeof supplierReturnsOf>>[number];
