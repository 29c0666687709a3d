import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { writeTransaction } from '../db/write-transaction.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { BadRequestError } from '../shared/errors.js';
import { toCents } from '../shared/money.js';
import { changeSentLine } from './change-sent-line.js';
import { loadOrder, lockForChange, requireLine } from './purchase-order-lookup.js';
import * as repo from './purchase-orders.repository.js';
import type { PurchaseOrder, UpdateLineBody } from './purchase-orders.schemas.js';

/**
 * Changes a line. In a draft anything goes. Once sent, the order is a commitment: only
 * the expected date and confidence move, and the quantity can only go down (never below
 * what has arrived); every change is kept in the history and raised as an event, for
 * re-promising backorders.
 */
export async function updateLine(
  ctx: AppContext,
  id: number,
  lineId: number,
  input: UpdateLineBody,
  actor: Actor,
): Promise<PurchaseOrder> {
  const now = ctx.clock.now().toISOString();
  await writeTransaction(ctx.db, (trx) => applyLineChange(trx, id, lineId, input, actor, now));
  return loadOrder(ctx.db, id);
}

/**
 * The change itself, inside the caller's transaction. The preview
 * (preview-line-change.ts) runs exactly this and rolls back, so what it shows is what
 * saving does.
 */
export async function applyLineChange(
  trx: Transaction<DB>,
  id: number,
  lineId: number,
  input: UpdateLineBody,
  actor: Actor,
  now: string,
): Promise<void> {
  const order = await lockForChange(trx, id);
  const line = requireLine(order, id, lineId);
  if (order.state === 'draft') await changeDraftLine(trx, id, lineId, input, now);
  else await changeSentLine(trx, order, line, input, actor, now);
}

async function changeDraftLine(
  trx: Transaction<DB>,
  id: number,
  lineId: number,
  input: UpdateLineBody,
  now: string,
): Promise<void> {
  if (input.quantity === 0) {
    throw new BadRequestError(
      'INVALID_QUANTITY',
      'A draft line needs a positive quantity; remove the line instead',
      {
        line: lineId,
      },
    );
  }
  await repo.updateLine(
    trx,
    lineId,
    {
      ...(input.quantity !== undefined && { quantity_ordered: input.quantity }),
      ...(input.unitCost !== undefined && { unit_cost_cents: toCents(input.unitCost) }),
      ...(input.expectedDate !== undefined && { expected_date: input.expectedDate }),
      ...(input.confidence !== undefined && { confidence: input.confidence }),
    },
    now,
  );
  await repo.touchOrder(trx, id, now);
}
