import { requireItem } from '../catalogue/items.service.js';
import { requireLocation } from '../catalogue/locations.service.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Db } from '../db/schema.js';
import { OPEN_TRANSFER_STATES } from '../domain/transfer-lifecycle.js';
import { lockItems } from '../kernel/backorders/promise.repository.js';
import { fillFromArrival, replanItems } from '../kernel/backorders/promise-queue.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { recordEvent } from '../kernel/events/domain-events.js';
import {
  type IdempotentRequest,
  sameRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { postMovement } from '../kernel/ledger/movement.js';
import { decodeCursor, type Page, toPage } from '../shared/cursor.js';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.js';
import type { TransferRow } from './transfers.repository.js';
import * as repo from './transfers.repository.js';
import type {
  DispatchBody,
  ListTransfersQuery,
  RescheduleBody,
  TransferDocument,
  TransferReceipt,
  TransferReceiptBody,
} from './transfers.schemas.js';

/**
 * Two-step transfers (DESIGN section 6): units leave the source when dispatched, travel
 * (counted as incoming at the destination until they arrive), and are received at the
 * destination, in one or several receipts. Each step is one transaction that moves
 * on_hand through postMovement and writes a domain event beside it.
 */

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

const subjectOf = (id: number) => `transfer:${id}`;

function transferNotFound(id: number) {
  return new NotFoundError('TRANSFER_NOT_FOUND', `No transfer with id ${id}`, { id });
}

async function requireTransfer(db: Db, id: number): Promise<TransferRow> {
  const row = await repo.findTransfer(db, id);
  if (!row) throw transferNotFound(id);
  return row;
}

/** The calendar date at `at` in a location's time zone (YYYY-MM-DD). */
function localDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * Units dispatched now cannot be due before today. "Today" is the destination's, since
 * that is where the date is promised; a store behind UTC may still be on yesterday.
 */
function checkExpectedDate(
  expectedDate: string,
  destination: { code: string; time_zone: string },
  at: Date,
) {
  const today = localDate(at, destination.time_zone);
  if (expectedDate < today) {
    throw new BadRequestError(
      'EXPECTED_DATE_IN_PAST',
      `expectedDate ${expectedDate} is before today (${today}) at ${destination.code}`,
      { expectedDate, today, location: destination.code },
    );
  }
}

/**
 * Sends units on their way: on_hand leaves the source now (only unreserved units may
 * go), and the destination sees them as incoming until they are received.
 */
export async function dispatchTransfer(
  ctx: AppContext,
  input: DispatchBody,
  actor: Actor,
  idempotency?: IdempotentRequest,
): Promise<TransferDocument> {
  if (input.from === input.to) {
    throw new BadRequestError('SAME_LOCATION', 'A transfer needs two different locations', {
      from: input.from,
      to: input.to,
    });
  }
  const at = ctx.clock.now();
  const now = at.toISOString();
  const reason = input.reason ?? 'transfer';
  return transactionWithAnswer(ctx, idempotency, async (trx) => {
    const item = await requireItem(trx, input.sku);
    const from = await requireLocation(trx, input.from);
    const to = await requireLocation(trx, input.to);
    checkExpectedDate(input.expectedDate, to, at);
    // New supply on its way may keep promises: take the item's promise lock first.
    await lockItems(trx, [item.id]);
    const id = await repo.insertTransfer(trx, {
      item_id: item.id,
      from_location_id: from.id,
      to_location_id: to.id,
      quantity: input.quantity,
      quantity_received: 0,
      state: 'in_transit',
      expected_date: input.expectedDate,
      reason,
      reference: input.reference ?? null,
      actor,
      created_at: now,
      received_at: null,
    });
    await postMovement(trx, {
      key: { itemId: item.id, locationId: from.id },
      sku: item.sku,
      location: from.code,
      type: 'transfer_out',
      delta: -input.quantity,
      reason,
      reference: subjectOf(id),
      actor,
      now,
    });
    await replanItems(trx, [item.id], {
      reason: `transfer ${id} dispatched to ${to.code}`,
      actor,
      now,
    });
    await recordEvent(trx, {
      type: 'transfer.dispatched',
      subject: subjectOf(id),
      payload: {
        transferId: id,
        itemId: item.id,
        sku: item.sku,
        from: from.code,
        to: to.code,
        toLocationId: to.id,
        quantity: input.quantity,
        expectedDate: input.expectedDate,
        reference: input.reference ?? null,
      },
      actor,
      now,
    });
    return toTransferDocument(await requireTransfer(trx, id));
  });
}

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
    return await ctx.db.transaction().execute(async (trx) => {
      const transfer = await requireTransfer(trx, id);
      await lockItems(trx, [transfer.item_id]);
      const previous = await replayOf(trx, transfer, input);
      if (previous) return previous;
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

/** Moves the date a transfer in transit is due, recording the old and new date. */
export async function rescheduleTransfer(
  ctx: AppContext,
  id: number,
  input: RescheduleBody,
  actor: Actor,
): Promise<TransferDocument> {
  const at = ctx.clock.now();
  const now = at.toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    // Compare-and-set on the old date; a concurrent change makes us read again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const transfer = await requireTransfer(trx, id);
      await lockItems(trx, [transfer.item_id]);
      if (!(OPEN_TRANSFER_STATES as readonly string[]).includes(transfer.state)) {
        throw new ConflictError(
          'INVALID_TRANSFER_STATE',
          `Transfer ${id} is ${transfer.state}: only a transfer in transit can be rescheduled`,
          { id, state: transfer.state, allowedStates: OPEN_TRANSFER_STATES },
        );
      }
      if (transfer.expected_date === input.expectedDate) return toTransferDocument(transfer);
      checkExpectedDate(
        input.expectedDate,
        { code: transfer.to_code, time_zone: transfer.to_time_zone },
        at,
      );
      if (!(await repo.rescheduleTransfer(trx, id, transfer.expected_date, input.expectedDate))) {
        continue;
      }
      await replanItems(trx, [transfer.item_id], {
        reason: `transfer ${id} now due ${input.expectedDate} (was ${transfer.expected_date})`,
        actor,
        now,
      });
      await recordEvent(trx, {
        type: 'transfer.expected_date_changed',
        subject: subjectOf(id),
        payload: {
          transferId: id,
          itemId: transfer.item_id,
          sku: transfer.sku,
          to: transfer.to_code,
          toLocationId: transfer.to_location_id,
          oldExpectedDate: transfer.expected_date,
          newExpectedDate: input.expectedDate,
          inTransit: transfer.quantity - transfer.quantity_received,
        },
        actor,
        now,
      });
      return toTransferDocument(await requireTransfer(trx, id));
    }
    throw new ConflictError(
      'CONCURRENT_UPDATE',
      `Transfer ${id} kept changing while it was being rescheduled; try again`,
      { id },
    );
  });
}

export async function getTransfer(ctx: AppContext, id: number): Promise<TransferDocument> {
  return toTransferDocument(await requireTransfer(ctx.db, id));
}

export async function listTransfers(
  ctx: AppContext,
  query: ListTransfersQuery,
): Promise<Page<TransferDocument>> {
  const [afterId = 0] = decodeCursor(query.cursor);
  const [item, location] = await Promise.all([
    query.sku === undefined ? undefined : requireItem(ctx.db, query.sku),
    query.location === undefined ? undefined : requireLocation(ctx.db, query.location),
  ]);
  const rows = await repo.listTransfers(ctx.db, {
    afterId,
    limit: query.limit + 1,
    ...(query.state !== undefined && { state: query.state }),
    ...(item && { itemId: item.id }),
    ...(location && { locationId: location.id }),
  });
  return toPage(rows, query.limit, toTransferDocument, (row) => [row.id]);
}
