import type { Transaction } from 'kysely';
import { requireLocation } from '../catalogue/locations.service.js';
import { isUniqueViolation } from '../db/errors.js';
import type { DB } from '../db/schema.js';
import type { Actor, AppContext } from '../kernel/context.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { isoDate } from '../shared/dates.js';
import { ConflictError } from '../shared/errors.js';
import { newLineValues, resolveSkus } from './new-line-values.js';
import { loadOrder } from './purchase-order-lookup.js';
import * as repo from './purchase-orders.repository.js';
import type { CreatePurchaseOrderBody, PurchaseOrder } from './purchase-orders.schemas.js';
import { requireSupplier } from './suppliers.service.js';

export async function createPurchaseOrder(
  ctx: AppContext,
  input: CreatePurchaseOrderBody,
  actor: Actor,
  idempotency?: IdempotentRequest,
): Promise<PurchaseOrder> {
  try {
    // Read back in the transaction: with an Idempotency-Key it is the stored answer.
    return await transactionWithAnswer(ctx, idempotency, async (trx) =>
      loadOrder(trx, await insertPurchaseOrder(trx, input, actor, ctx.clock.now())),
    );
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(
        'DUPLICATE_REFERENCE',
        `Supplier ${input.supplier} already has a purchase order with reference ${input.reference}`,
        { supplier: input.supplier, reference: input.reference ?? null },
      );
    }
    throw error;
  }
}

/**
 * Writes a draft order and its lines in the caller's transaction and returns its id:
 * createPurchaseOrder for one order, the CSV import for many in one transaction.
 */
export async function insertPurchaseOrder(
  trx: Transaction<DB>,
  input: CreatePurchaseOrderBody,
  actor: Actor,
  at: Date,
): Promise<number> {
  const now = at.toISOString();
  const today = isoDate(at);
  const supplier = await requireSupplier(trx, input.supplier);
  const location = await requireLocation(trx, input.location);
  const itemIds = await resolveSkus(
    trx,
    input.lines.map((l) => l.sku),
  );
  const lines = [];
  for (const line of input.lines)
    lines.push(await newLineValues(trx, supplier.id, itemIds, line, today, now));
  const orderId = await repo.insertOrder(trx, {
    supplier_id: supplier.id,
    location_id: location.id,
    state: 'draft',
    reference: input.reference ?? null,
    created_by: actor,
    created_at: now,
    updated_at: now,
    sent_at: null,
    confirmed_at: null,
    closed_at: null,
  });
  await repo.insertLines(
    trx,
    lines.map((l) => ({ ...l, purchase_order_id: orderId })),
  );
  return orderId;
}
