import type { Actor, AppContext } from '../kernel/context.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { isoDate } from '../shared/dates.js';
import { newLineValues, resolveSkus } from './new-line-values.js';
import { loadOrder, lockForChange, requireDraft } from './purchase-order-lookup.js';
import * as repo from './purchase-orders.repository.js';
import type { NewLineBody, PurchaseOrder } from './purchase-orders.schemas.js';

export async function addLine(
  ctx: AppContext,
  id: number,
  input: NewLineBody,
  _actor: Actor,
  idempotency?: IdempotentRequest,
): Promise<PurchaseOrder> {
  const now = ctx.clock.now().toISOString();
  return transactionWithAnswer(ctx, idempotency, async (trx) => {
    const order = await lockForChange(trx, id);
    requireDraft(order, id, 'added');
    const itemIds = await resolveSkus(trx, [input.sku]);
    const values = await newLineValues(
      trx,
      order.supplier_id,
      itemIds,
      input,
      isoDate(ctx.clock.now()),
      now,
    );
    await repo.insertLines(trx, [{ ...values, purchase_order_id: id }]);
    await repo.touchOrder(trx, id, now);
    return loadOrder(trx, id);
  });
}
