import type { Transaction } from 'kysely';
import { isUniqueViolation } from '../db/errors.js';
import type { DB, Db } from '../db/schema.js';
import { writeTransaction } from '../db/write-transaction.js';
import { fillFromArrival } from '../kernel/backorders/fill-from-arrival.js';
import { lockItems } from '../kernel/backorders/promise.repository.js';
import { replanItems } from '../kernel/backorders/replan.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { recordEvent } from '../kernel/events/domain-events.js';
import { sameRequest } from '../kernel/idempotency/idempotency.service.js';
import { postMovement } from '../kernel/ledger/movement.js';
import { ConflictError } from '../shared/errors.js';
import { requireTransfer, subjectOf, toTransferDocument } from './transfer-document.js';
import type { TransferRow } from './transfers.repository.js';
import * as repo from './transfers.repository.js';
import type { TransferReceipt, TransferReceiptBody } from './transfers.schemas.js';

/**
 * Records units arriving at the destination; several receipts may complete a transfer.
 * The client's receipt id makes a retry safe: the same id and quantity answer the
 * recorded receipt again (with the transfer as it stands now) and change nothing.
 */
export async function receiveTransfer(
  ctx: AppContext,
  id: number,
  input: TransferReceiptBody,
  actor: Actor,
): Promise<{ replayed: boolean; receipt: TransferReceipt }> {
  const now = ctx.clock.now().toISOString();
  try {
    return await writeTransaction(ctx.db, async (trx) => {
      const transfer = await requireTransfer(trx, id);
      await lockItems(trx, [transfer.item_id]);
      const previous = await replayOf(trx, transfer, input);
      if (previous) return previous;
      await receive(trx, transfer, input, actor, now);
      return {
        replayed: false,
        receipt: {
          receiptId: input.receiptId,
          transferId: id,
          quantity: input.quantity,
          receivedAt: now,
          transfer: toTransferDocument(await requireTransfer(trx, id)),
        },
      };
    });
  } catch (error) {
    // Lost the race for the receipt id to a concurrent request: answer as its replay.
    if (!isUniqueViolation(error)) throw error;
    const replay = await replayOf(ctx.db, await requireTransfer(ctx.db, id), input);
    if (!replay) throw error;
    return replay;
  }
}

/**
 * Claims the receipt id, then moves the units: on the transfer (refused past what is in
 * transit), into on_hand at the destination, to the backorders waiting for them first.
 */
async function receive(
  trx: Transaction<DB>,
  transfer: TransferRow,
  input: TransferReceiptBody,
  actor: Actor,
  now: string,
): Promise<void> {
  const id = transfer.id;
  // The receipt id is claimed first: a concurrent request with the same id waits on
  // the unique key here and then fails, instead of receiving the units twice.
  await repo.insertReceipt(trx, {
    transfer_id: id,
    receipt_id: input.receiptId,
    quantity: input.quantity,
    actor,
    created_at: now,
  });
  const after = await repo.receiveOnTransfer(trx, id, input.quantity, now);
  if (!after) throw await receiptRefusal(trx, id, input.quantity);
  await postMovement(trx, {
    key: { itemId: transfer.item_id, locationId: transfer.to_location_id },
    sku: transfer.sku,
    location: transfer.to_code,
    type: 'transfer_in',
    delta: input.quantity,
    reason: transfer.reason,
    // Names the receipt too, so each ledger row leads back to the delivery behind it.
    reference: `${subjectOf(id)}/receipt:${input.receiptId}`,
    actor,
    now,
  });
  // Arrivals fill the backorders waiting for them before anyone else can buy them.
  const change = { reason: `transfer ${id} received`, actor, now };
  await fillFromArrival(
    trx,
    {
      itemId: transfer.item_id,
      locationId: transfer.to_location_id,
      source: { kind: 'transfer', transferId: id, from: '' },
      units: input.quantity,
    },
    change,
  );
  await replanItems(trx, [transfer.item_id], change);
  await recordEvent(trx, {
    type: 'transfer.received',
    subject: subjectOf(id),
    payload: {
      transferId: id,
      itemId: transfer.item_id,
      sku: transfer.sku,
      to: transfer.to_code,
      toLocationId: transfer.to_location_id,
      receiptId: input.receiptId,
      quantity: input.quantity,
      received: after.quantity_received,
      inTransit: after.quantity - after.quantity_received,
      state: after.state,
    },
    actor,
    now,
  });
}

async function replayOf(
  db: Db,
  transfer: TransferRow,
  input: TransferReceiptBody,
): Promise<{ replayed: true; receipt: TransferReceipt } | undefined> {
  const recorded = await repo.findReceipt(db, transfer.id, input.receiptId);
  // A receipt is its quantity: the same id with another quantity is another receipt.
  const previous = sameRequest(
    recorded && { ...recorded, request: recorded.quantity },
    input.quantity,
    (p) =>
      new ConflictError(
        'RECEIPT_ID_CONFLICT',
        `Receipt ${input.receiptId} was already recorded for transfer ${transfer.id} with quantity ${p.quantity}, not ${input.quantity}`,
        {
          id: transfer.id,
          receiptId: input.receiptId,
          recordedQuantity: p.quantity,
          quantity: input.quantity,
        },
      ),
  );
  if (!previous) return undefined;
  return {
    replayed: true,
    receipt: {
      receiptId: previous.receipt_id,
      transferId: transfer.id,
      quantity: previous.quantity,
      receivedAt: previous.created_at,
      transfer: toTransferDocument(transfer),
    },
  };
}

/** Reads the transfer only to explain a refusal that the conditional update already decided. */
async function receiptRefusal(db: Db, id: number, quantity: number) {
  const transfer = await requireTransfer(db, id);
  const details = {
    id,
    state: transfer.state,
    quantity: transfer.quantity,
    received: transfer.quantity_received,
    inTransit: toTransferDocument(transfer).inTransit,
    requested: quantity,
  };
  if (transfer.state === 'completed') {
    return new ConflictError(
      'INVALID_TRANSFER_STATE',
      `Transfer ${id} was an immediate move, completed when it was made: there is nothing to receive`,
      details,
    );
  }
  if (transfer.state === 'received') {
    return new ConflictError(
      'INVALID_TRANSFER_STATE',
      `Transfer ${id} has been received in full (${transfer.quantity} units)`,
      details,
    );
  }
  return new ConflictError(
    'TRANSFER_OVER_RECEIPT',
    `Transfer ${id} has ${details.inTransit} units still in transit; cannot receive ${quantity}`,
    details,
  );
}
