import { type LeadTime, leadTimeFrom } from '../domain/purchase-suggestions.js';
import type { AppContext } from '../kernel/context.js';
import { listSupplierPerformance } from '../purchasing/supplier-performance.service.js';
import type { SupplierLinkRow } from './reorder-inputs.repository.js';

/**
 * The lead time each item is planned with, from its supplier's measured performance
 * (purchasing's own figures, so the scorecard and the reorder points agree), falling back
 * to the configured days: the item's own at that supplier, else the supplier's.
 */
export async function measuredLeadTimes(
  ctx: AppContext,
  supplierOf: ReadonlyMap<number, SupplierLinkRow>,
  skus: ReadonlyMap<number, string>,
): Promise<Map<number, LeadTime>> {
  const performance = new Map((await listSupplierPerformance(ctx)).map((p) => [p.supplier, p]));
  const result = new Map<number, LeadTime>();
  for (const [itemId, link] of supplierOf) {
    const measured = performance.get(link.supplier);
    const item = measured?.items.find((i) => i.sku === skus.get(itemId));
    result.set(
      itemId,
      leadTimeFrom(
        item?.leadTimeDays ?? null,
        measured?.overall.leadTimeDays ?? null,
        link.item_lead_time_days ?? link.supplier_lead_time_days,
      ),
    );
  }
  return result;
}
