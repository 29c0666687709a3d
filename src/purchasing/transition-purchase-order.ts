import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { writeTransaction } from '../db/write-transaction.js';
import {
  nextState,
  type PurchaseOrderAction,
  type PurchaseOrderState,
  statesAllowing,
} from '../domain/purchase-order-lifecycle.js';
import { replanItems } from '../kernel/backorders/promise-queue.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { recordEvent } from '../kernel/events/domain-events.js';
import { ConflictError } from '../shared/errors.js';
import { type LockedOrder, loadOrder, lockForChange } from './purchase-order-lookup.js';
import { openLine } from './purchase-order-mapping.js';
import type { LineRow } from './purchase-orders.repository.js';
import * as repo from './purchase-orders.repository.js';
import type { PurchaseOrder } from './purchase-orders.schemas.js';

/** One state change as it is being made: which order, from where to where, by whom. */
interface Move {
  order: LockedOrder;
  action: PurchaseOrderAction;
  to: PurchaseOrderState;
  actor: Actor;
  reason: string | null;
  now: string;
}

const PAST = { send: 'sent', confirm: 'confirmed', cancel: 'cancelled' } as const;

/** send, confirm or cancel: a conditional state change, recorded in the history. */
export async function transition(
  ctx: AppContext,
  id: number,
  action: PurchaseOrderAction,
  actor: Actor,
  reason?: string,
): Promise<PurchaseOrder> {
  const now = ctx.clock.now().toISOString();
  await writeTransaction(ctx.db, async (trx) => {
    const order = await lockForChange(trx, id);
    const move: Move = {
      order,
      action,
      to: requireTransition(order, action),
      actor,
      reason: reason ?? null,
      now,
    };
    await changeState(trx, move);
    const confirmedLines = await confirmDates(trx, move);
    // A draft has no history: it only starts once the supplier has been sent the order.
    if (order.state !== 'draft') await recordHistory(trx, move, confirmedLines);
    if (order.state !== 'draft' || action === 'send') {
      await replanItems(
        trx,
        order.lines.map((l) => l.item_id),
        { reason: `purchase order ${id} ${PAST[action]}`, actor, now },
      );
    }
    await recordTransitionEvent(trx, move);
  });
  return loadOrder(ctx.db, id);
}

function requireTransition(order: LockedOrder, action: PurchaseOrderAction): PurchaseOrderState {
  const to = nextState(order.state, action);
  if (to !== null) return to;
  throw new ConflictError(
    'INVALID_TRANSITION',
    `Cannot ${action} a purchase order that is ${order.state}${
      action === 'cancel' && order.state === 'partially_received'
        ? ': part of it has arrived, so close the open lines short instead'
        : ''
    }`,
    { id: order.id, state: order.state, action, allowedFrom: statesAllowing(action) },
  );
}

async function changeState(trx: Transaction<DB>, { order, action, to, now }: Move) {
  const stamps =
    action === 'send'
      ? { sent_at: now }
      : action === 'confirm'
        ? { confirmed_at: now }
        : { closed_at: now };
  await repo.setOrderState(trx, order.id, order.state, to, stamps);
  await repo.touchOrder(trx, order.id, now);
  if (action === 'send') await repo.stampFirstExpectedDates(trx, order.id);
  if (action === 'cancel') await repo.cancelOpenRemainders(trx, order.id, now);
}

/** The supplier confirming the order is what makes its dates confirmed (DESIGN §1). */
async function confirmDates(trx: Transaction<DB>, { order, action, now }: Move) {
  const confirmedLines =
    action === 'confirm'
      ? order.lines.filter((l) => l.completed_at === null && l.confidence === 'estimated')
      : [];
  for (const line of confirmedLines)
    await repo.updateLine(trx, line.id, { confidence: 'confirmed' }, now);
  return confirmedLines;
}

async function recordHistory(trx: Transaction<DB>, move: Move, confirmedLines: LineRow[]) {
  const { order, actor, reason, now } = move;
  const entry = { purchase_order_id: order.id, reason, actor, created_at: now };
  await repo.insertChanges(trx, [
    { ...entry, line_id: null, field: 'state', old_value: order.state, new_value: move.to },
    ...confirmedLines.map((line) => ({
      ...entry,
      line_id: line.id,
      field: 'confidence',
      old_value: 'estimated',
      new_value: 'confirmed',
    })),
  ]);
}

async function recordTransitionEvent(trx: Transaction<DB>, move: Move) {
  const { order } = move;
  await recordEvent(trx, {
    type: `purchase_order.${move.to}`,
    subject: `purchase_order:${order.id}`,
    payload: {
      purchaseOrderId: order.id,
      lines: order.lines.map((l) => ({
        lineId: l.id,
        itemId: l.item_id,
        sku: l.sku,
        open: openLine(l),
      })),
      reason: move.reason,
    },
    actor: move.actor,
    now: move.now,
  });
}
