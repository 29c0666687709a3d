import type { Insertable } from 'kysely';
import type { Db } from '../db/schema.js';
import type { ReceiptLinesTable, ReceiptsTable } from '../db/tables/purchase-orders.js';

export function findReceipt(db: Db, orderId: number, receiptId: string) {
  return db
    .selectFrom('receipts')
    .select(['id', 'request', 'response'])
    .where('purchase_order_id', '=', orderId)
    .where('receipt_id', '=', receiptId)
    .executeTakeFirst();
}

/** Stores a receipt with its lines: the answer a replay of its id returns. */
export async function insertReceipt(
  db: Db,
  receipt: Insertable<ReceiptsTable>,
  lines: Omit<Insertable<ReceiptLinesTable>, 'receipt_pk'>[],
): Promise<void> {
  const { id: receiptPk } = await db
    .insertInto('receipts')
    .values(receipt)
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('receipt_lines')
    .values(lines.map((line) => ({ ...line, receipt_pk: receiptPk })))
    .execute();
}
