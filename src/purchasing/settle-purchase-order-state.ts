import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { type PurchaseOrderState, stateAfterLines } from '../domain/purchase-order-lifecycle.js';
import type { Actor } from '../kernel/context.js';
import { openLine } from './purchase-order-mapping.js';
import * as repo from './purchase-orders.repository.js';

/** Moves the order to where its lines now leave it (partially_received, received...). */
export async function settleState(
  trx: Transaction<DB>,
  id: number,
  state: PurchaseOrderState,
  actor: Actor,
  now: string,
): Promise<PurchaseOrderState> {
  const lines = (await repo.linesOf(trx, [id])).get(id) ?? [];
  const to = stateAfterLines(
    state,
    lines.map((l) => ({ open: openLine(l), received: l.quantity_received })),
  );
  if (to !== state) {
    await repo.setOrderState(
      trx,
      id,
      state,
      to,
      to === 'received' || to === 'cancelled' ? { closed_at: now } : {},
    );
    await repo.insertChanges(trx, [
      {
        purchase_order_id: id,
        line_id: null,
        field: 'state',
        old_value: state,
        new_value: to,
        reason: null,
        actor,
        created_at: now,
      },
    ]);
  }
  return to;
}
