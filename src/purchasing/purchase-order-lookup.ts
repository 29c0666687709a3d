import type { Transaction } from 'kysely';
import type { DB, Db } from '../db/schema.js';
import type { PurchaseOrderState } from '../domain/purchase-order-lifecycle.js';
import { lockItems } from '../kernel/backorders/promise.repository.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { toPurchaseOrder } from './purchase-order-mapping.js';
import type { LineRow } from './purchase-orders.repository.js';
import * as repo from './purchase-orders.repository.js';
import type { PurchaseOrder } from './purchase-orders.schemas.js';

export const orderNotFound = (id: number) =>
  new NotFoundError('PURCHASE_ORDER_NOT_FOUND', `No purchase order ${id}`, { id });

export async function loadOrder(db: Db, id: number): Promise<PurchaseOrder> {
  const row = await repo.findOrder(db, id);
  if (!row) throw orderNotFound(id);
  return toPurchaseOrder(row, (await repo.linesOf(db, [id])).get(id) ?? []);
}

/** An order as a use case that changes it sees it: locked, with its lines. */
export type LockedOrder = NonNullable<Awaited<ReturnType<typeof repo.lockOrder>>> & {
  lines: LineRow[];
};

/**
 * Locks the order (see repo.lockOrder), then its items' promise locks (a change to the
 * order may move backorder promises), and returns its current state and lines.
 */
export async function lockForChange(trx: Transaction<DB>, id: number): Promise<LockedOrder> {
  const locked = await repo.lockOrder(trx, id);
  if (!locked) throw orderNotFound(id);
  const lines = (await repo.linesOf(trx, [id])).get(id) ?? [];
  await lockItems(
    trx,
    lines.map((l) => l.item_id),
  );
  return { ...locked, lines };
}

export function requireLine(order: { lines: LineRow[] }, id: number, lineId: number): LineRow {
  const line = order.lines.find((l) => l.id === lineId);
  if (!line) {
    throw new NotFoundError('LINE_NOT_FOUND', `Purchase order ${id} has no line ${lineId}`, {
      id,
      lines: [lineId],
    });
  }
  return line;
}

export function requireDraft(order: { state: PurchaseOrderState }, id: number, what: string) {
  if (order.state !== 'draft') {
    throw new ConflictError(
      'PURCHASE_ORDER_NOT_DRAFT',
      `Lines can be ${what} only while the order is a draft`,
      {
        id,
        state: order.state,
      },
    );
  }
}
