import type { Db } from '../db/schema.js';
import { OPEN_TRANSFER_STATES } from '../domain/transfer-lifecycle.js';
import { NotFoundError } from '../shared/errors.js';
import type { TransferRow } from './transfers.repository.js';
import * as repo from './transfers.repository.js';
import type { TransferDocument } from './transfers.schemas.js';

/** A transfer as every transfer route answers it, and the look-up behind it. */

export function toTransferDocument(row: TransferRow): TransferDocument {
  const open = (OPEN_TRANSFER_STATES as readonly string[]).includes(row.state);
  return {
    id: row.id,
    sku: row.sku,
    from: row.from_code,
    to: row.to_code,
    quantity: row.quantity,
    received: row.quantity_received,
    inTransit: open ? row.quantity - row.quantity_received : 0,
    state: row.state,
    expectedDate: row.expected_date,
    reason: row.reason,
    reference: row.reference,
    createdAt: row.created_at,
    receivedAt: row.received_at,
  };
}

/** The subject of a transfer's events, and the reference of its ledger rows. */
export const subjectOf = (id: number) => `transfer:${id}`;

export async function requireTransfer(db: Db, id: number): Promise<TransferRow> {
  const row = await repo.findTransfer(db, id);
  if (!row) throw new NotFoundError('TRANSFER_NOT_FOUND', `No transfer with id ${id}`, { id });
  return row;
}
