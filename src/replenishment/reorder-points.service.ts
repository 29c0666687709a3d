import { requireItem } from '../catalogue/items.service.js';
import { requireLocation } from '../catalogue/locations.service.js';
import { orderQuantity } from '../domain/replenishment/index.js';
import type { AppContext } from '../kernel/context.js';
import { requireSupplier } from '../purchasing/suppliers.service.js';
import { computeReorderPoints, type ReorderPoint } from './reorder-points.js';
import type { ReorderPointsQuery } from './replenishment.schemas.js';

/**
 * The API view of one reorder point: codes, not ids; no supplier terms, but the quantity
 * they make the suggestion (the same rule a refresh applies), so a buyer reading the
 * list sees what would be ordered without refreshing.
 */
function toView(p: ReorderPoint) {
  return {
    sku: p.sku,
    name: p.name,
    location: p.location,
    supplier: p.supplier,
    serviceLevel: p.serviceLevel,
    abcClass: p.abcClass,
    leadTime: p.leadTime,
    forecastMethod: p.forecastMethod,
    protectionDays: p.protectionDays,
    leadTimeDemand: p.leadTimeDemand,
    dailyDemand: p.dailyDemand,
    safetyStock: p.safetyStock,
    reorderPoint: p.reorderPoint,
    orderUpTo: p.orderUpTo,
    onHand: p.onHand,
    reserved: p.reserved,
    incoming: p.incoming,
    onDraftOrders: p.onDraftOrders,
    backordered: p.backordered,
    inventoryPosition: p.inventoryPosition,
    projectedStockoutDate: p.projectedStockoutDate,
    nextReceiptDate: p.nextReceiptDate,
    suggestedQuantity: orderQuantity({
      inventoryPosition: p.inventoryPosition,
      reorderPoint: p.reorderPoint,
      orderUpTo: p.orderUpTo,
      moq: p.minOrderQuantity,
      casePack: p.casePack,
    }),
  };
}

/**
 * Reorder points, narrowed to one location, SKU or supplier (each must exist: a typo is a
 * 404, not an empty list). Skipped items are narrowed by SKU only.
 */
export async function listReorderPoints(ctx: AppContext, query: ReorderPointsQuery) {
  if (query.sku !== undefined) await requireItem(ctx.db, query.sku);
  if (query.location !== undefined) await requireLocation(ctx.db, query.location);
  if (query.supplier !== undefined) await requireSupplier(ctx.db, query.supplier);
  const { points, skipped } = await computeReorderPoints(ctx);
  return {
    items: points
      .filter(
        (p) =>
          (query.sku === undefined || p.sku === query.sku) &&
          (query.location === undefined || p.location === query.location) &&
          (query.supplier === undefined || p.supplier === query.supplier),
      )
      .map(toView),
    skipped: skipped.filter((s) => query.sku === undefined || s.sku === query.sku),
  };
}
