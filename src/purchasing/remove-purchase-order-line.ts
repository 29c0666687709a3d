import { writeTransaction } from '../db/write-transaction.js';
import type { AppContext } from '../kernel/context.js';
import { ConflictError } from '../shared/errors.js';
import { loadOrder, lockForChange, requireDraft, requireLine } from './purchase-order-lookup.js';
import * as repo from './purchase-orders.repository.js';
import type { PurchaseOrder } from './purchase-orders.schemas.js';

export async function removeLine(
  ctx: AppContext,
  id: number,
  lineId: number,
): Promise<PurchaseOrder> {
  const now = ctx.clock.now().toISOString();
  await writeTransaction(ctx.db, async (trx) => {
    const order = await lockForChange(trx, id);
    requireLine(order, id, lineId);
    requireDraft(order, id, 'removed');
    if (order.lines.length === 1) {
      throw new ConflictError(
        'LAST_LINE',
        'An order keeps at least one line: cancel the order instead',
        {
          id,
          line: lineId,
        },
      );
    }
    await repo.deleteLine(trx, lineId);
    await repo.touchOrder(trx, id, now);
  });
  return loadOrder(ctx.db, id);
}
