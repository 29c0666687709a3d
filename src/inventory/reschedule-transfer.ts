import { writeTransaction } from '../db/write-transaction.js';
import { OPEN_TRANSFER_STATES } from '../domain/transfer-lifecycle.js';
import { lockItems } from '../kernel/backorders/promise.repository.js';
import { replanItems } from '../kernel/backorders/replan.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { recordEvent } from '../kernel/events/domain-events.js';
import { ConflictError } from '../shared/errors.js';
import { checkExpectedDate } from './expected-date.js';
import { requireTransfer, subjectOf, toTransferDocument } from './transfer-document.js';
import * as repo from './transfers.repository.js';
import type { RescheduleBody, TransferDocument } from './transfers.schemas.js';

/** Moves the date a transfer in transit is due, recording the old and new date. */
export async function rescheduleTransfer(
  ctx: AppContext,
  id: number,
  input: RescheduleBody,
  actor: Actor,
): Promise<TransferDocument> {
  const at = ctx.clock.now();
  const now = at.toISOString();
  return writeTransaction(ctx.db, async (trx) => {
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
