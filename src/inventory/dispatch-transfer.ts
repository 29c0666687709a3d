import { requireItem } from '../catalogue/items.service.js';
import { requireLocation } from '../catalogue/locations.service.js';
import { lockItems } from '../kernel/backorders/promise.repository.js';
import { replanItems } from '../kernel/backorders/replan.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { recordEvent } from '../kernel/events/domain-events.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { postMovement } from '../kernel/ledger/movement.js';
import { BadRequestError } from '../shared/errors.js';
import { checkExpectedDate } from './expected-date.js';
import { requireTransfer, subjectOf, toTransferDocument } from './transfer-document.js';
import * as repo from './transfers.repository.js';
import type { DispatchBody, TransferDocument } from './transfers.schemas.js';

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
