import { groupSuggestions, suggestionReason } from '../domain/purchase-suggestions.js';
import { orderQuantity } from '../domain/replenishment/index.js';
import type { AppContext } from '../kernel/context.js';
import { addDays } from '../shared/dates.js';
import { computeReorderPoints, type ReorderPoint, type SkippedItem } from './reorder-points.js';
import * as repo from './suggestions.repository.js';

/** An item × location projected to run out before an order sent today could arrive. */
export interface ProjectedShortage {
  itemId: number;
  sku: string;
  location: string;
  projectedStockoutDate: string;
  /** The first receipt due after the stock-out; null: nothing is on its way in time. */
  nextReceiptDate: string | null;
  /** When an order sent today would arrive. */
  orderArrivalDate: string;
  backordered: number;
}

export interface RefreshOutcome {
  today: string;
  suggestions: number;
  lines: number;
  replaced: number;
  skipped: SkippedItem[];
  shortages: ProjectedShortage[];
}

interface LinePlan extends ReorderPoint {
  quantity: number;
  leadTimeDays: number;
}

/**
 * Recomputes every reorder point and replaces the open suggestions, in one transaction:
 * per supplier × location, a line for each item whose inventory position (backorders
 * waiting included) is at or below its reorder point, bringing it back to its order-up-to
 * level in whole cases and at least the supplier's minimum. Ordered and dismissed
 * suggestions stay as history. Also answers the projected shortages, for the caller to
 * raise alerts from (alerts are another capability's business).
 */
export async function refreshSuggestions(ctx: AppContext): Promise<RefreshOutcome> {
  const picture = await computeReorderPoints(ctx);
  const { today } = picture;
  const lines: LinePlan[] = [];
  for (const point of picture.points) {
    // Backorders waiting are counted in the position (they lower it), so units owed that
    // nothing incoming covers always put the item at or below its reorder point.
    const quantity = orderQuantity({
      inventoryPosition: point.inventoryPosition,
      reorderPoint: point.reorderPoint,
      orderUpTo: point.orderUpTo,
      moq: point.minOrderQuantity,
      casePack: point.casePack,
    });
    if (quantity > 0) lines.push({ ...point, quantity, leadTimeDays: point.leadTime.meanDays });
  }
  const groups = groupSuggestions(lines, today);
  const now = ctx.clock.now().toISOString();
  const replaced = await ctx.db.transaction().execute(async (trx) => {
    await repo.lockRefresh(trx, ctx.dbKind);
    const deleted = await repo.deleteOpenSuggestions(trx);
    for (const group of groups) {
      await repo.insertSuggestion(
        trx,
        {
          supplier_id: group.supplierId,
          location_id: group.locationId,
          state: 'open',
          purchase_order_id: null,
          order_by_date: group.orderByDate,
          arrival_date: group.arrivalDate,
          created_at: now,
          updated_at: now,
        },
        group.lines.map((line) => ({
          item_id: line.itemId,
          quantity: line.quantity,
          reorder_point: line.reorderPoint,
          order_up_to: line.orderUpTo,
          inventory_position: line.inventoryPosition,
          projected_stockout_date: line.projectedStockoutDate,
          backorders_waiting: line.backordered,
          reason: suggestionReason({ ...line, backordersWaiting: line.backordered }),
          unit_cost_cents: line.unitCostCents,
        })),
      );
    }
    return deleted;
  });
  return {
    today,
    suggestions: groups.length,
    lines: lines.length,
    replaced,
    skipped: picture.skipped,
    shortages: projectedShortages(picture.points, today),
  };
}

/**
 * Stock-outs a suggestion can no longer prevent: projected before an order sent today
 * could arrive (and before anything already ordered does). Later ones are what the
 * suggestions are for.
 */
export function projectedShortages(
  points: readonly ReorderPoint[],
  today: string,
): ProjectedShortage[] {
  return points.flatMap((p) => {
    const arrival = addDays(today, Math.ceil(p.leadTime.meanDays));
    if (p.projectedStockoutDate === null || p.projectedStockoutDate >= arrival) return [];
    return [
      {
        itemId: p.itemId,
        sku: p.sku,
        location: p.location,
        projectedStockoutDate: p.projectedStockoutDate,
        nextReceiptDate: p.nextReceiptDate,
        orderArrivalDate: arrival,
        backordered: p.backordered,
      },
    ];
  });
}
