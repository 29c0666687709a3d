import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { writeTransaction } from '../db/write-transaction.js';
import { RECEIVABLE_STATES } from '../domain/purchase-order-lifecycle.js';
import {
  fillFromArrival,
  type QueueChange,
  replanItems,
} from '../kernel/backorders/promise-queue.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { recordEvent } from '../kernel/events/domain-events.js';
import { postMovement } from '../kernel/ledger/movement.js';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.js';
import { type LockedOrder, loadOrder, lockForChange } from './purchase-order-lookup.js';
import { openLine } from './purchase-order-mapping.js';
import type { LineRow } from './purchase-orders.repository.js';
import * as repo from './purchase-orders.repository.js';
import type { Receipt, ReceiptBody } from './purchase-orders.schemas.js';
import { normaliseReceipt, previousReceipt } from './receipt-replay.js';
import { insertReceipt } from './receipts.repository.js';
import { settleState } from './settle-purchase-order-state.js';

/** A receipt being recorded: the locked order, where the goods are, who and when. */
interface Arrival {
  order: LockedOrder;
  input: ReceiptBody;
  location: string;
  actor: Actor;
  now: string;
}

/** One receipt line with the order line it lands on. */
type Move = { line: LineRow; quantity: number };

/**
 * Records goods arriving against an order's lines at its location: on_hand grows through
 * ledger rows referencing the order and receipt, lines and order state move on, and a
 * domain event tells later capabilities (backorder filling) what arrived. The client's
 * receipt id makes it safe to retry: the same id returns the first result.
 */
export async function receive(
  ctx: AppContext,
  id: number,
  input: ReceiptBody,
  actor: Actor,
): Promise<{ replayed: boolean; receipt: Receipt }> {
  refuseRepeatedLines(input);
  const now = ctx.clock.now().toISOString();
  return writeTransaction(ctx.db, async (trx) => {
    const order = await lockForChange(trx, id);
    const previous = await previousReceipt(trx, id, input);
    if (previous) return { replayed: true, receipt: previous };
    requireReceivable(order, input);
    const location = await repo.locationCode(trx, order.location_id);
    const arrival: Arrival = { order, input, location, actor, now };
    const received = await applyLines(trx, arrival);
    // Stock rows in item order: the fixed lock order of DESIGN section 2.
    const moves = byLine(arrival).sort(
      (a, b) => a.line.item_id - b.line.item_id || a.line.id - b.line.id,
    );
    await postReceiptMovements(trx, arrival, moves);
    const change = { reason: `purchase order ${id} received`, actor, now };
    await fillBackorders(trx, arrival, moves, change);
    await settleState(trx, id, order.state, actor, now);
    await repo.touchOrder(trx, id, now);
    await replanItems(
      trx,
      moves.map((m) => m.line.item_id),
      change,
    );
    const receipt = await storeReceipt(trx, arrival, received);
    await recordReceiptEvent(trx, arrival, received);
    return { replayed: false, receipt };
  });
}

function refuseRepeatedLines(input: ReceiptBody): void {
  const lineIds = input.lines.map((l) => l.line);
  if (new Set(lineIds).size !== lineIds.length) {
    throw new BadRequestError('DUPLICATE_RECEIPT_LINE', 'Each line may appear once in a receipt', {
      lines: lineIds,
    });
  }
}

function requireReceivable(order: LockedOrder, input: ReceiptBody): void {
  if (!RECEIVABLE_STATES.includes(order.state)) {
    throw new ConflictError(
      'NOT_RECEIVABLE',
      `Cannot receive against a purchase order that is ${order.state}`,
      { id: order.id, state: order.state, receivableStates: RECEIVABLE_STATES },
    );
  }
  const unknown = input.lines
    .map((l) => l.line)
    .filter((lineId) => !order.lines.some((l) => l.id === lineId));
  if (unknown.length > 0) {
    throw new NotFoundError(
      'LINE_NOT_FOUND',
      `Purchase order ${order.id} has no line ${unknown.join(', ')}`,
      { id: order.id, lines: unknown },
    );
  }
}

/** The receipt's lines in line id order, each with its order line. */
function byLine({ order, input }: Arrival): Move[] {
  return [...input.lines]
    .sort((a, b) => a.line - b.line)
    .map((l) => ({ line: order.lines.find((row) => row.id === l.line)!, quantity: l.quantity }));
}

/** Adds the units to the lines, in line id order (the fixed lock order of DESIGN section 2). */
async function applyLines(trx: Transaction<DB>, arrival: Arrival): Promise<Receipt['lines']> {
  const received: Receipt['lines'] = [];
  for (const { line, quantity } of byLine(arrival)) {
    const overReceived = quantity > openLine(line);
    await repo.receiveOnLine(trx, line.id, quantity, arrival.now);
    received.push({ line: line.id, sku: line.sku, quantity, overReceived });
  }
  return received;
}

async function postReceiptMovements(trx: Transaction<DB>, arrival: Arrival, moves: Move[]) {
  const { order, input } = arrival;
  for (const move of moves) {
    await postMovement(trx, {
      key: { itemId: move.line.item_id, locationId: order.location_id },
      sku: move.line.sku,
      location: arrival.location,
      type: 'receipt',
      delta: move.quantity,
      reason: 'purchase order receipt',
      reference: `po:${order.id}/receipt:${input.receiptId}`,
      actor: arrival.actor,
      now: arrival.now,
    });
  }
}

/** Arrivals fill the backorders waiting for them before anyone else can buy the units. */
async function fillBackorders(
  trx: Transaction<DB>,
  { order }: Arrival,
  moves: Move[],
  change: QueueChange,
) {
  for (const move of moves) {
    await fillFromArrival(
      trx,
      {
        itemId: move.line.item_id,
        locationId: order.location_id,
        source: {
          kind: 'purchase_order',
          purchaseOrderId: order.id,
          lineId: move.line.id,
          supplier: '',
        },
        units: move.quantity,
      },
      change,
    );
  }
}

async function storeReceipt(
  trx: Transaction<DB>,
  { order, input, actor, now }: Arrival,
  received: Receipt['lines'],
): Promise<Receipt> {
  const receipt: Receipt = {
    receiptId: input.receiptId,
    purchaseOrderId: order.id,
    receivedAt: now,
    lines: received,
    purchaseOrder: await loadOrder(trx, order.id),
  };
  await insertReceipt(
    trx,
    {
      purchase_order_id: order.id,
      receipt_id: input.receiptId,
      request: normaliseReceipt(input),
      response: JSON.stringify(receipt),
      actor,
      created_at: now,
    },
    received.map((r) => ({
      line_id: r.line,
      quantity: r.quantity,
      over_received: r.overReceived ? 1 : 0,
    })),
  );
  return receipt;
}

async function recordReceiptEvent(
  trx: Transaction<DB>,
  { order, input, location, actor, now }: Arrival,
  received: Receipt['lines'],
) {
  await recordEvent(trx, {
    type: 'purchase_order.received',
    subject: `purchase_order:${order.id}`,
    payload: {
      purchaseOrderId: order.id,
      receiptId: input.receiptId,
      locationId: order.location_id,
      location,
      lines: received.map((r) => ({
        ...r,
        itemId: order.lines.find((l) => l.id === r.line)!.item_id,
      })),
    },
    actor,
    now,
  });
}
