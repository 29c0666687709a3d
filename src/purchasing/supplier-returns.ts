import type { Transaction } from 'kysely';
import { requireLocation } from '../catalogue/locations.service.js';
import type { DB } from '../db/schema.js';
import { replanItems } from '../kernel/backorders/promise-queue.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { recordEvent } from '../kernel/events/domain-events.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { postMovement } from '../kernel/ledger/movement.js';
import { ConflictError } from '../shared/errors.js';
import { loadOrder, lockForChange, orderNotFound, requireLine } from './purchase-order-lookup.js';
import type { LineRow } from './purchase-orders.repository.js';
import * as poRepo from './purchase-orders.repository.js';
import {
  insertSupplierReturn,
  type SupplierReturnRow,
  supplierReturnsOf,
  takeReturnableReceived,
} from './supplier-returns.repository.js';
import type {
  SupplierReturn,
  SupplierReturnBody,
  SupplierReturnList,
  SupplierReturnReceipt,
} from './supplier-returns.schemas.js';

/**
 * Sends received units back to the supplier: on_hand drops at the location (a `return`
 * ledger row of −quantity) only if units not reserved for orders cover it, and the line
 * counts them as returned, never beyond what it received. The line's open quantity stays:
 * returned units are not expected again, so no promise grows on them; the supplier's fill
 * rate counts received − returned (supplier-performance.repository.ts).
 */
export async function returnToSupplier(
  ctx: AppContext,
  target: { id: number; line: number },
  input: SupplierReturnBody,
  actor: Actor,
  idempotency: IdempotentRequest | undefined,
): Promise<SupplierReturnReceipt> {
  const now = ctx.clock.now().toISOString();
  return transactionWithAnswer(ctx, idempotency, async (trx) => {
    const { id } = target;
    const order = await lockForChange(trx, id);
    const line = requireLine(order, id, target.line);
    const location = input.location
      ? await requireLocation(trx, input.location)
      : { id: order.location_id, code: await poRepo.locationCode(trx, order.location_id) };
    if (!(await takeReturnableReceived(trx, line.id, input.quantity, now))) {
      throw exceedsReceived(id, line, input.quantity);
    }
    const returnId = await insertSupplierReturn(trx, {
      purchase_order_id: id,
      line_id: line.id,
      location_id: location.id,
      quantity: input.quantity,
      reason: input.reason,
      actor,
      created_at: now,
    });
    await takeStock(trx, { id, returnId, line, location }, input, { actor, now });
    await poRepo.touchOrder(trx, id, now);
    await recordEvent(trx, {
      type: 'purchase_order.line_returned',
      subject: `purchase_order:${id}`,
      payload: {
        purchaseOrderId: id,
        returnId,
        line: line.id,
        itemId: line.item_id,
        sku: line.sku,
        quantity: input.quantity,
        location: location.code,
        reason: input.reason,
      },
      actor,
      now,
    });
    const [row] = await supplierReturnsOf(trx, id, returnId);
    return {
      return: toSupplierReturn(row!),
      lineReceived: row!.quantity_received,
      lineReturned: row!.quantity_returned,
      purchaseOrder: await loadOrder(trx, id),
    };
  });
}

function exceedsReceived(id: number, line: LineRow, quantity: number): ConflictError {
  const returnable = line.quantity_received - line.quantity_returned;
  return new ConflictError(
    'RETURN_EXCEEDS_RECEIVED',
    `Line ${line.id} has ${returnable} received unit(s) not yet returned; cannot return ${quantity}`,
    {
      id,
      line: line.id,
      received: line.quantity_received,
      returned: line.quantity_returned,
      returnable,
      quantity,
    },
  );
}

/** Stock out, refused (409 INSUFFICIENT_STOCK) when the units are reserved for orders. */
async function takeStock(
  trx: Transaction<DB>,
  doc: { id: number; returnId: number; line: LineRow; location: { id: number; code: string } },
  input: SupplierReturnBody,
  { actor, now }: { actor: Actor; now: string },
): Promise<void> {
  const key = { itemId: doc.line.item_id, locationId: doc.location.id };
  await postMovement(trx, {
    key,
    sku: doc.line.sku,
    location: doc.location.code,
    type: 'return',
    delta: -input.quantity,
    reason: `returned to supplier: ${input.reason}`,
    reference: `po:${doc.id}/return:${doc.returnId}`,
    actor,
    now,
  });
  await replanItems(trx, [key.itemId], {
    reason: `purchase order ${doc.id} line ${doc.line.id} returned to the supplier`,
    actor,
    now,
  });
}

function toSupplierReturn(row: SupplierReturnRow): SupplierReturn {
  return {
    id: row.id,
    purchaseOrderId: row.purchase_order_id,
    line: row.line_id,
    sku: row.sku,
    quantity: row.quantity,
    location: row.location,
    reason: row.reason,
    actor: row.actor,
    createdAt: row.created_at,
  };
}

export async function listSupplierReturns(
  ctx: AppContext,
  id: number,
): Promise<SupplierReturnList> {
  if (!(await poRepo.findOrder(ctx.db, id))) throw orderNotFound(id);
  return { items: (await supplierReturnsOf(ctx.db, id)).map(toSupplierReturn) };
}
