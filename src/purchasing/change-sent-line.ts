import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { PurchaseOrderState } from '../domain/purchase-order-lifecycle.js';
import { replanItems } from '../kernel/backorders/promise-queue.js';
import type { Actor } from '../kernel/context.js';
import { recordEvent } from '../kernel/events/domain-events.js';
import { ConflictError } from '../shared/errors.js';
import { toCents } from '../shared/money.js';
import type { LineRow } from './purchase-orders.repository.js';
import * as repo from './purchase-orders.repository.js';
import type { UpdateLineBody } from './purchase-orders.schemas.js';
import { settleState } from './settle-purchase-order-state.js';

type SentOrder = { id: number; state: PurchaseOrderState };

/** One field of a sent line that moves, as kept in the history. */
interface LineChange {
  field: string;
  old: string;
  next: string;
}

/**
 * Changes a line of an order the supplier has: dates and confidence move, the quantity
 * only goes down. Every change is kept in the history, re-plans the item's backorders and
 * is raised as an event.
 */
export async function changeSentLine(
  trx: Transaction<DB>,
  order: SentOrder,
  line: LineRow,
  input: UpdateLineBody,
  actor: Actor,
  now: string,
): Promise<void> {
  refuseLockedChange(order, line, input);
  const changes = lineChanges(line, input);
  if (changes.length === 0) return;
  await repo.touchOrder(trx, order.id, now);
  await repo.updateLine(
    trx,
    line.id,
    {
      ...(input.expectedDate !== undefined && { expected_date: input.expectedDate }),
      ...(input.confidence !== undefined && { confidence: input.confidence }),
    },
    now,
  );
  if (changes.some((c) => c.field === 'quantity')) {
    await closeShort(trx, order, line, input.quantity!, now);
    await settleState(trx, order.id, order.state, actor, now);
  }
  await recordLineChanges(trx, { order, line, changes, reason: input.reason ?? null, actor, now });
}

/** What a sent order no longer allows, checked before anything is written. */
function refuseLockedChange(order: SentOrder, line: LineRow, input: UpdateLineBody): void {
  const { id } = order;
  const details = { id, line: line.id, state: order.state };
  if (order.state === 'received' || order.state === 'cancelled') {
    throw new ConflictError(
      'PURCHASE_ORDER_CLOSED',
      `Purchase order ${id} is ${order.state}; its lines no longer change`,
      details,
    );
  }
  if (line.completed_at !== null) {
    throw new ConflictError(
      'LINE_COMPLETE',
      `Line ${line.id} is complete: everything it was going to bring has arrived or been closed`,
      details,
    );
  }
  if (input.unitCost !== undefined && toCents(input.unitCost) !== line.unit_cost_cents) {
    throw new ConflictError(
      'LINE_LOCKED',
      'The unit cost is fixed once the order is sent',
      details,
    );
  }
  const effective = line.quantity_ordered - line.quantity_cancelled;
  if (input.quantity !== undefined && input.quantity > effective) {
    throw new ConflictError(
      'LINE_LOCKED',
      `Once sent, a line can only go down (it brings ${effective}); order more on a new purchase order`,
      { ...details, quantity: effective },
    );
  }
  if (input.quantity !== undefined && input.quantity < line.quantity_received) {
    throw new ConflictError(
      'QUANTITY_BELOW_RECEIVED',
      `${line.quantity_received} have already arrived on line ${line.id}`,
      { ...details, received: line.quantity_received },
    );
  }
}

function lineChanges(line: LineRow, input: UpdateLineBody): LineChange[] {
  const changes: LineChange[] = [];
  if (input.expectedDate !== undefined && input.expectedDate !== line.expected_date) {
    changes.push({ field: 'expectedDate', old: line.expected_date, next: input.expectedDate });
  }
  if (input.confidence !== undefined && input.confidence !== line.confidence) {
    changes.push({ field: 'confidence', old: line.confidence, next: input.confidence });
  }
  const effective = line.quantity_ordered - line.quantity_cancelled;
  if (input.quantity !== undefined && input.quantity !== effective) {
    changes.push({ field: 'quantity', old: String(effective), next: String(input.quantity) });
  }
  return changes;
}

async function closeShort(
  trx: Transaction<DB>,
  order: SentOrder,
  line: LineRow,
  quantity: number,
  now: string,
): Promise<void> {
  // Guarded again in SQL: the order lock makes it redundant today, the CHECK forever.
  if (!(await repo.reduceLine(trx, line.id, quantity, now))) {
    throw new ConflictError('QUANTITY_BELOW_RECEIVED', `Line ${line.id} changed while closing it`, {
      id: order.id,
      line: line.id,
      state: order.state,
    });
  }
}

async function recordLineChanges(
  trx: Transaction<DB>,
  c: {
    order: SentOrder;
    line: LineRow;
    changes: LineChange[];
    reason: string | null;
    actor: Actor;
    now: string;
  },
): Promise<void> {
  const { order, line, changes, reason, actor, now } = c;
  await repo.insertChanges(
    trx,
    changes.map((change) => ({
      purchase_order_id: order.id,
      line_id: line.id,
      field: change.field,
      old_value: change.old,
      new_value: change.next,
      reason,
      actor,
      created_at: now,
    })),
  );
  await replanItems(trx, [line.item_id], {
    reason: `purchase order ${order.id} line ${line.id}: ${changes
      .map((change) => `${change.field} ${change.old} → ${change.next}`)
      .join(', ')}`,
    actor,
    now,
  });
  await recordEvent(trx, {
    type: 'purchase_order.line_changed',
    subject: `purchase_order:${order.id}`,
    payload: {
      purchaseOrderId: order.id,
      lineId: line.id,
      itemId: line.item_id,
      sku: line.sku,
      changes: Object.fromEntries(changes.map((ch) => [ch.field, { old: ch.old, new: ch.next }])),
      reason,
    },
    actor,
    now,
  });
}
