import { addDays } from '../shared/dates.js';

/**
 * The rules of suggested purchase orders (DESIGN section 8) that are not reorder
 * arithmetic: which supplier an item is bought from, which lead time to plan with, why a
 * line is suggested, and how lines group into one suggestion per supplier × location.
 */

export interface SupplierChoice<T extends { preferred: boolean }> {
  /** The supplier to buy from, or null when there is no clear one. */
  link: T | null;
  /** Why there is none: no supplier sells it, or several do and none is preferred. */
  skipped: 'no_supplier' | 'no_preferred_supplier' | null;
}

/** The preferred supplier; else the only one; else none (staff must choose one). */
export function chooseSupplier<T extends { preferred: boolean }>(
  links: readonly T[],
): SupplierChoice<T> {
  const preferred = links.find((l) => l.preferred);
  if (preferred) return { link: preferred, skipped: null };
  if (links.length === 1) return { link: links[0]!, skipped: null };
  return { link: null, skipped: links.length === 0 ? 'no_supplier' : 'no_preferred_supplier' };
}

export type LeadTimeSource = 'item_history' | 'supplier_history' | 'configured';

export interface LeadTime {
  meanDays: number;
  sdDays: number;
  source: LeadTimeSource;
}

interface Measured {
  mean: number;
  stdDev: number;
  samples: number;
}

/**
 * Fewer deliveries than this say little about the spread of a lead time (one delivery
 * has none), so the configured figure is kept until there are this many.
 */
export const MIN_LEAD_TIME_SAMPLES = 3;

/**
 * The lead time to plan with: what this item took from the supplier when enough of it was
 * delivered, else what the supplier took over all items, else the configured days with no
 * spread (nothing measured says how much it varies).
 */
export function leadTimeFrom(
  item: Measured | null,
  supplier: Measured | null,
  configuredDays: number,
): LeadTime {
  if (item && item.samples >= MIN_LEAD_TIME_SAMPLES)
    return { meanDays: item.mean, sdDays: item.stdDev, source: 'item_history' };
  if (supplier && supplier.samples >= MIN_LEAD_TIME_SAMPLES)
    return { meanDays: supplier.mean, sdDays: supplier.stdDev, source: 'supplier_history' };
  return { meanDays: configuredDays, sdDays: 0, source: 'configured' };
}

/** Why a line is suggested, in one sentence staff read on the suggestion. */
export function suggestionReason(line: {
  projectedStockoutDate: string | null;
  backordersWaiting: number;
  inventoryPosition: number;
  reorderPoint: number;
}): string {
  const parts: string[] = [];
  if (line.projectedStockoutDate !== null)
    parts.push(`projected to run out on ${line.projectedStockoutDate}`);
  if (line.backordersWaiting > 0) {
    const units = line.backordersWaiting === 1 ? 'unit' : 'units';
    parts.push(`${line.backordersWaiting} ${units} backordered waiting`);
  }
  if (parts.length === 0 || line.projectedStockoutDate === null) {
    parts.push(
      `inventory position ${line.inventoryPosition} at or below the reorder point ${line.reorderPoint}`,
    );
  }
  return parts.join('; ');
}

export interface SuggestedLine {
  supplierId: number;
  locationId: number;
  leadTimeDays: number;
  projectedStockoutDate: string | null;
}

export interface SuggestionGroup<T extends SuggestedLine> {
  supplierId: number;
  locationId: number;
  lines: T[];
  /** When an order sent today arrives: today + the longest lead time of its lines. */
  arrivalDate: string;
  /**
   * The last day to send it so it arrives before the first projected stock-out (that
   * date − the line's lead time); null when no line is projected to run out.
   */
  orderByDate: string | null;
}

/** One suggestion per supplier × location, in supplier then location order. */
export function groupSuggestions<T extends SuggestedLine>(
  lines: readonly T[],
  today: string,
): SuggestionGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const line of lines) {
    const key = `${line.supplierId}:${line.locationId}`;
    const group = groups.get(key);
    if (group) group.push(line);
    else groups.set(key, [line]);
  }
  return [...groups.values()]
    .map((group) => {
      const leadDays = Math.max(...group.map((l) => Math.ceil(l.leadTimeDays)));
      const orderBy = group
        .filter((l) => l.projectedStockoutDate !== null)
        .map((l) => addDays(l.projectedStockoutDate!, -Math.ceil(l.leadTimeDays)))
        .sort()[0];
      return {
        supplierId: group[0]!.supplierId,
        locationId: group[0]!.locationId,
        lines: group,
        arrivalDate: addDays(today, leadDays),
        orderByDate: orderBy ?? null,
      };
    })
    .sort((a, b) => a.supplierId - b.supplierId || a.locationId - b.locationId);
}
