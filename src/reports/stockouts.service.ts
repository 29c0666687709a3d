import { compareText } from '../domain/reports/growth.js';
import { roundTo } from '../domain/reports/statistics.js';
import { type LevelChange, stockoutSpan } from '../domain/reports/stockouts.js';
import type { AppContext } from '../kernel/context.js';
import { getSupplierPerformance } from '../purchasing/supplier-performance.service.js';
import { lostUnits } from './order-history.repository.js';
import { supplierCosts } from './purchasing-facts.repository.js';
import { periodOf, type ReportScope } from './report-scope.js';
import type { RepeatStockoutRow, StockoutRow } from './reports.schemas.js';
import { levelsBefore, listStockPairs, movementsBetween } from './stockouts.repository.js';

export const REPEAT_SUGGESTION =
  'This item keeps selling out: a sign to adjust its reorder point or diversify your supplier base';

const pairKey = (itemId: number, locationId: number) => `${itemId}:${locationId}`;

/**
 * Stock-out days and episodes of every item × location in scope that had moved by the end
 * of the period; pairs never stocked there are left out rather than shown as always out.
 */
async function stockoutSpans(ctx: AppContext, scope: ReportScope) {
  const pairs = await listStockPairs(ctx.db, scope);
  const opening = new Map<string, number>();
  for (const row of await levelsBefore(ctx.db, scope.from, scope))
    opening.set(pairKey(row.item_id, row.location_id), row.on_hand_after);
  const changes = new Map<string, LevelChange[]>();
  for (const row of await movementsBetween(ctx.db, scope)) {
    const key = pairKey(row.item_id, row.location_id);
    const list = changes.get(key) ?? [];
    list.push({ day: row.day, onHandAfter: row.on_hand_after });
    changes.set(key, list);
  }
  return pairs
    .filter(
      (p) =>
        opening.has(pairKey(p.item_id, p.location_id)) ||
        changes.has(pairKey(p.item_id, p.location_id)),
    )
    .map((pair) => {
      const key = pairKey(pair.item_id, pair.location_id);
      const span = stockoutSpan(
        opening.get(key) ?? null,
        changes.get(key) ?? [],
        scope.from,
        scope.to,
      );
      return { pair, ...span };
    });
}

/** Most days out first; the rate is days out over the days of the period. */
export async function stockoutReport(ctx: AppContext, scope: ReportScope, limit: number) {
  const spans = await stockoutSpans(ctx, scope);
  const rows: StockoutRow[] = spans
    .map(({ pair, daysOut, episodes }) => ({
      sku: pair.sku,
      name: pair.name,
      category: pair.category,
      location: pair.location,
      daysOut,
      days: scope.days,
      stockoutRate: roundTo(daysOut / scope.days, 4),
      episodes,
      onHandNow: pair.on_hand,
    }))
    .sort(
      (a, b) =>
        b.daysOut - a.daysOut ||
        b.episodes - a.episodes ||
        compareText(a.sku, b.sku) ||
        compareText(a.location, b.location),
    );
  return { ...periodOf(scope), rows: rows.slice(0, limit) };
}

/**
 * Items that ran out at least `minEpisodes` times in the period (episodes summed over the
 * locations in scope), with the facts behind the suggestion: units refused, and how the
 * preferred supplier (else the only or first one) keeps its dates.
 */
export async function repeatStockoutReport(
  ctx: AppContext,
  scope: ReportScope,
  options: { minEpisodes: number; limit: number },
) {
  const byItem = new Map<
    number,
    {
      sku: string;
      name: string;
      category: string;
      episodes: number;
      daysOut: number;
      locations: string[];
    }
  >();
  for (const { pair, episodes, daysOut } of await stockoutSpans(ctx, scope)) {
    if (episodes === 0) continue;
    const item = byItem.get(pair.item_id) ?? {
      sku: pair.sku,
      name: pair.name,
      category: pair.category,
      episodes: 0,
      daysOut: 0,
      locations: [],
    };
    item.episodes += episodes;
    item.daysOut += daysOut;
    item.locations.push(pair.location);
    byItem.set(pair.item_id, item);
  }
  const repeated = [...byItem].filter(([, item]) => item.episodes >= options.minEpisodes);
  const lost = new Map<number, number>();
  for (const row of await lostUnits(ctx.db, scope))
    lost.set(row.item_id, (lost.get(row.item_id) ?? 0) + row.units);
  const suppliers = supplierOfItems(await supplierCosts(ctx.db));
  const onTime = new Map<string, number | null>();
  const rows: RepeatStockoutRow[] = [];
  for (const [itemId, item] of repeated) {
    const supplier = suppliers.get(itemId) ?? null;
    if (supplier !== null && !onTime.has(supplier))
      onTime.set(supplier, (await getSupplierPerformance(ctx, supplier)).overall.onTimeRate);
    rows.push({
      sku: item.sku,
      name: item.name,
      category: item.category,
      episodes: item.episodes,
      daysOut: item.daysOut,
      locations: item.locations.sort(compareText).join(' '),
      lostUnits: lost.get(itemId) ?? 0,
      supplier,
      supplierOnTimeRate: supplier === null ? null : (onTime.get(supplier) ?? null),
      suggestion: REPEAT_SUGGESTION,
    });
  }
  rows.sort(
    (a, b) => b.episodes - a.episodes || b.lostUnits - a.lostUnits || compareText(a.sku, b.sku),
  );
  return {
    ...periodOf(scope),
    minEpisodes: options.minEpisodes,
    rows: rows.slice(0, options.limit),
  };
}

/** The supplier an item is bought from: the preferred one, else the first by code. */
export function supplierOfItems(
  costs: readonly { item_id: number; supplier: string; preferred: number }[],
) {
  const chosen = new Map<number, { supplier: string; preferred: number }>();
  for (const row of costs) {
    const current = chosen.get(row.item_id);
    if (
      !current ||
      row.preferred > current.preferred ||
      (row.preferred === current.preferred && compareText(row.supplier, current.supplier) < 0)
    )
      chosen.set(row.item_id, row);
  }
  return new Map([...chosen].map(([itemId, row]) => [itemId, row.supplier]));
}
