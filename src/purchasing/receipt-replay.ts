import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { sameRequest } from '../kernel/idempotency/idempotency.service.js';
import { ConflictError } from '../shared/errors.js';
import type { Receipt, ReceiptBody } from './purchase-orders.schemas.js';
import { findReceipt } from './receipts.repository.js';

/** The receipt's lines in a form that does not depend on the order the client sent them. */
export function normaliseReceipt(input: ReceiptBody): string {
  return JSON.stringify(
    [...input.lines].sort((a, b) => a.line - b.line).map((l) => [l.line, l.quantity]),
  );
}

/**
 * The answer already given for this receipt id, if there is one: the same id with the same
 * lines is a retry and gets the first result; the same id with other lines is refused.
 */
export async function previousReceipt(
  trx: Transaction<DB>,
  orderId: number,
  input: ReceiptBody,
): Promise<Receipt | undefined> {
  const previous = sameRequest(
    await findReceipt(trx, orderId, input.receiptId),
    normaliseReceipt(input),
    () =>
      new ConflictError(
        'RECEIPT_ID_CONFLICT',
        `Receipt ${input.receiptId} was already recorded with different lines`,
        { id: orderId, receiptId: input.receiptId },
      ),
  );
  return previous && (JSON.parse(previous.response) as Receipt);
}
