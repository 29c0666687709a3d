import { requireItem } from '../catalogue/items.service.js';
import { requireLocation } from '../catalogue/locations.service.js';
import type { AppContext } from '../kernel/context.js';
import { decodeCursor, type Page, toPage } from '../shared/cursor.js';
import { BadRequestError } from '../shared/errors.js';
import { loadOrder, orderNotFound } from './purchase-order-lookup.js';
import { toChange, toPurchaseOrder } from './purchase-order-mapping.js';
import * as repo from './purchase-orders.repository.js';
import type { Change, ListPurchaseOrdersQuery, PurchaseOrder } from './purchase-orders.schemas.js';
import { requireSupplier } from './suppliers.service.js';

export function getPurchaseOrder(ctx: AppContext, id: number): Promise<PurchaseOrder> {
  return loadOrder(ctx.db, id);
}

export async function listPurchaseOrders(
  ctx: AppContext,
  query: ListPurchaseOrdersQuery,
): Promise<Page<PurchaseOrder>> {
  const [afterId = 0] = decodeCursor(query.cursor);
  const { expectedFrom, expectedTo } = query;
  if (expectedFrom !== undefined && expectedTo !== undefined && expectedFrom > expectedTo)
    throw new BadRequestError(
      'INVALID_PERIOD',
      `expectedFrom (${expectedFrom}) is after expectedTo (${expectedTo})`,
      { expectedFrom, expectedTo },
    );
  const [supplier, location, item] = await Promise.all([
    query.supplier === undefined ? undefined : requireSupplier(ctx.db, query.supplier),
    query.location === undefined ? undefined : requireLocation(ctx.db, query.location),
    query.sku === undefined ? undefined : requireItem(ctx.db, query.sku),
  ]);
  const rows = await repo.listOrders(ctx.db, {
    afterId,
    limit: query.limit + 1,
    ...(query.state !== undefined && { state: query.state }),
    ...(supplier && { supplierId: supplier.id }),
    ...(location && { locationId: location.id }),
    ...(item && { itemId: item.id }),
    ...(expectedFrom !== undefined && { expectedFrom }),
    ...(expectedTo !== undefined && { expectedTo }),
  });
  const lines = await repo.linesOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  return toPage(
    rows,
    query.limit,
    (row) => toPurchaseOrder(row, lines.get(row.id) ?? []),
    (row) => [row.id],
  );
}

export async function listChanges(ctx: AppContext, id: number): Promise<{ items: Change[] }> {
  const order = await repo.findOrder(ctx.db, id);
  if (!order) throw orderNotFound(id);
  const rows = await repo.listChanges(ctx.db, id);
  return { items: rows.map(toChange) };
}
