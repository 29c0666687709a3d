import { requireLocation } from '../catalogue/locations.service.js';
import type { Db } from '../db/schema.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { insertPurchaseOrder } from '../purchasing/create-purchase-order.js';
import { loadOrder } from '../purchasing/purchase-order-lookup.js';
import type { PurchaseOrder } from '../purchasing/purchase-orders.schemas.js';
import { requireSupplier } from '../purchasing/suppliers.service.js';
import { decodeCursor, type Page, toPage } from '../shared/cursor.js';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.js';
import { fromCents } from '../shared/money.js';
import type {
  ListSuggestionsQuery,
  OrderSuggestionBody,
  Suggestion,
} from './replenishment.schemas.js';
import * as repo from './suggestions.repository.js';

function toSuggestion(
  row: repo.SuggestionRow,
  lines: readonly repo.SuggestionLineRow[],
): Suggestion {
  return {
    id: row.id,
    supplier: row.supplier,
    location: row.location,
    state: row.state,
    purchaseOrderId: row.purchase_order_id,
    orderByDate: row.order_by_date,
    arrivalDate: row.arrival_date,
    lines: lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      reorderPoint: l.reorder_point,
      orderUpTo: l.order_up_to,
      inventoryPosition: l.inventory_position,
      projectedStockoutDate: l.projected_stockout_date,
      backordersWaiting: l.backorders_waiting,
      reason: l.reason,
      unitCost: fromCents(l.unit_cost_cents),
    })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const notFound = (id: number) =>
  new NotFoundError('SUGGESTION_NOT_FOUND', `No purchase suggestion ${id}`, { id });

async function requireSuggestion(db: Db, id: number): Promise<repo.SuggestionRow> {
  const row = await repo.findSuggestion(db, id);
  if (!row) throw notFound(id);
  return row;
}

export async function getSuggestion(ctx: AppContext, id: number): Promise<Suggestion> {
  const row = await requireSuggestion(ctx.db, id);
  return toSuggestion(row, await repo.linesOf(ctx.db, [id]));
}

export async function listSuggestions(
  ctx: AppContext,
  query: ListSuggestionsQuery,
): Promise<Page<Suggestion>> {
  const [afterId = 0] = decodeCursor(query.cursor);
  const supplier = query.supplier ? await requireSupplier(ctx.db, query.supplier) : undefined;
  const location = query.location ? await requireLocation(ctx.db, query.location) : undefined;
  const rows = await repo.listSuggestions(ctx.db, {
    afterId,
    limit: query.limit + 1,
    ...(supplier && { supplierId: supplier.id }),
    ...(location && { locationId: location.id }),
    ...(query.state !== undefined && { state: query.state }),
  });
  const lines = await repo.linesOf(
    ctx.db,
    rows.slice(0, query.limit).map((r) => r.id),
  );
  return toPage(
    rows,
    query.limit,
    (row) =>
      toSuggestion(
        row,
        lines.filter((l) => l.suggestion_id === row.id),
      ),
    (row) => [row.id],
  );
}

/** 409 naming what became of a suggestion that is no longer open. */
function notOpen(row: repo.SuggestionRow): ConflictError {
  return new ConflictError(
    'SUGGESTION_NOT_OPEN',
    row.state === 'ordered'
      ? `Purchase suggestion ${row.id} is already purchase order ${row.purchase_order_id}`
      : `Purchase suggestion ${row.id} is ${row.state}`,
    { id: row.id, state: row.state, purchaseOrderId: row.purchase_order_id },
  );
}

export async function dismissSuggestion(ctx: AppContext, id: number): Promise<Suggestion> {
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await requireSuggestion(trx, id);
    if (!(await repo.closeSuggestion(trx, id, 'dismissed', null, now))) {
      throw notOpen(await requireSuggestion(trx, id));
    }
  });
  return getSuggestion(ctx, id);
}

/**
 * Turns an open suggestion into a draft purchase order with purchasing's own use case
 * (its defaults, checks and expected dates), and marks the suggestion ordered, in one
 * transaction: the order exists exactly when the suggestion says so. `lines`, when
 * given, is what to order instead: SKUs of the suggestion with other quantities.
 */
export async function orderSuggestion(
  ctx: AppContext,
  id: number,
  input: OrderSuggestionBody,
  actor: Actor,
): Promise<PurchaseOrder> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await requireSuggestion(trx, id);
    if (row.state !== 'open') throw notOpen(row);
    const lines = await repo.linesOf(trx, [id]);
    const orderId = await insertPurchaseOrder(
      trx,
      {
        supplier: row.supplier,
        location: row.location,
        reference: `suggestion ${id}`,
        lines: chosenLines(lines, input.lines).map((l) => ({
          sku: l.sku,
          quantity: l.quantity,
          unitCost: fromCents(l.unitCostCents),
        })),
      },
      actor,
      at,
    );
    // Conditional on still being open: of two concurrent calls the second finds it
    // ordered here and rolls its own draft back.
    if (!(await repo.closeSuggestion(trx, id, 'ordered', orderId, at.toISOString()))) {
      // A refresh may have replaced it meanwhile.
      const now = await repo.findSuggestion(trx, id);
      throw now ? notOpen(now) : notFound(id);
    }
    return loadOrder(trx, orderId);
  });
}

function chosenLines(
  lines: readonly repo.SuggestionLineRow[],
  override: OrderSuggestionBody['lines'],
): { sku: string; quantity: number; unitCostCents: number }[] {
  const bySku = new Map(lines.map((l) => [l.sku, l]));
  if (override === undefined) {
    return lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      unitCostCents: l.unit_cost_cents,
    }));
  }
  const skus = override.map((l) => l.sku);
  const unknown = skus.filter((sku) => !bySku.has(sku));
  if (unknown.length > 0) {
    throw new BadRequestError(
      'LINE_NOT_SUGGESTED',
      `Not in the suggestion: ${unknown.join(', ')}`,
      { skus: unknown },
    );
  }
  const repeated = skus.filter((sku, i) => skus.indexOf(sku) !== i);
  if (repeated.length > 0) {
    throw new BadRequestError('DUPLICATE_LINE', `Given more than once: ${repeated.join(', ')}`, {
      skus: [...new Set(repeated)],
    });
  }
  return override.map((l) => ({
    sku: l.sku,
    quantity: l.quantity,
    unitCostCents: bySku.get(l.sku)!.unit_cost_cents,
  }));
}
