import { loadDemandSeries } from '../demand/demand-series.service.js';
import { coverOf } from '../domain/reports/cover.js';
import { compareText, emerging, topBy } from '../domain/reports/growth.js';
import { daysPerMonth, monthlyIndex } from '../domain/reports/seasonality.js';
import { roundTo } from '../domain/reports/statistics.js';
import type { AppContext } from '../kernel/context.js';
import { addDays } from '../shared/dates.js';
import { fromCents } from '../shared/money.js';
import { supplierCosts } from './purchasing-facts.repository.js';
import type { ReportFilter } from './report-filters.js';
import { periodOf, type ReportScope } from './report-scope.js';
import type {
  BestSellerRow,
  EmergingRow,
  ExcessStockRow,
  SeasonalityRow,
} from './reports.schemas.js';
import {
  historyUnits,
  itemFacts,
  salesRange,
  shippedUnits,
  unitsByCategoryMonth,
} from './sales.repository.js';
import { listStockPairs } from './stockouts.repository.js';

/** Units sold per item × location ("item:location") in the filter's period. */
async function unitsSold(ctx: AppContext, filter: ReportFilter) {
  const units = new Map<string, number>();
  for (const rows of [await historyUnits(ctx.db, filter), await shippedUnits(ctx.db, filter)])
    for (const r of rows) {
      const key = `${r.item_id}:${r.location_id}`;
      units.set(key, (units.get(key) ?? 0) + r.units);
    }
  return units;
}

async function unitsPerItem(ctx: AppContext, filter: ReportFilter) {
  const perItem = new Map<number, number>();
  for (const [key, units] of await unitsSold(ctx, filter)) {
    const itemId = Number(key.split(':')[0]);
    perItem.set(itemId, (perItem.get(itemId) ?? 0) + units);
  }
  return perItem;
}

/**
 * Demand per item × location ("item:location") in the period, as forecasting sees it
 * (imported history, Stockroom's orders and lost demand: the demand foundation's series).
 */
async function demandUnits(ctx: AppContext, scope: ReportScope, itemIds: number[]) {
  const units = new Map<string, number>();
  if (itemIds.length === 0) return units;
  const series = await loadDemandSeries(ctx.db, {
    // Without a narrowing filter every item is in scope: no id list to send.
    ...(scope.category !== undefined || scope.supplierId !== undefined ? { itemIds } : {}),
    ...(scope.locationId !== undefined && { locationIds: [scope.locationId] }),
    from: scope.from,
    through: scope.to,
    today: scope.today,
  });
  for (const one of series) {
    let sum = 0;
    one.quantities.forEach((quantity, k) => {
      if (addDays(one.start, k) <= scope.to) sum += quantity;
    });
    units.set(`${one.itemId}:${one.locationId}`, sum);
  }
  return units;
}

/**
 * Items × locations holding more than `thresholdDays` of cover at the period's average
 * daily demand, largest value tied up first. Units are costed at the preferred supplier's
 * price, else the cheapest supplier's, else the item's selling price.
 */
export async function excessStockReport(
  ctx: AppContext,
  scope: ReportScope,
  options: { thresholdDays: number; limit: number },
) {
  const pairs = await listStockPairs(ctx.db, scope);
  const itemIds = [...new Set(pairs.map((p) => p.item_id))];
  const demand = await demandUnits(ctx, scope, itemIds);
  const cost = unitCosts(await supplierCosts(ctx.db));
  const facts = new Map((await itemFacts(ctx.db, itemIds)).map((f) => [f.id, f]));
  const rows: ExcessStockRow[] = [];
  for (const pair of pairs) {
    const units = demand.get(`${pair.item_id}:${pair.location_id}`) ?? 0;
    const averageDaily = units / scope.days;
    const cover = coverOf(pair.on_hand, averageDaily, options.thresholdDays);
    if (cover.excessUnits === 0) continue;
    const unitCost = cost.get(pair.item_id) ?? facts.get(pair.item_id)?.price_cents ?? 0;
    rows.push({
      sku: pair.sku,
      name: pair.name,
      category: pair.category,
      location: pair.location,
      onHand: pair.on_hand,
      demandUnits: units,
      averageDailyUnits: roundTo(averageDaily, 3),
      daysOfCover: cover.daysOfCover === null ? null : roundTo(cover.daysOfCover, 1),
      excessUnits: cover.excessUnits,
      unitCost: fromCents(unitCost),
      valueTiedUp: fromCents(cover.excessUnits * unitCost),
    });
  }
  rows.sort(
    (a, b) =>
      b.valueTiedUp - a.valueTiedUp ||
      b.excessUnits - a.excessUnits ||
      compareText(a.sku, b.sku) ||
      compareText(a.location, b.location),
  );
  return {
    ...periodOf(scope),
    thresholdDays: options.thresholdDays,
    rows: rows.slice(0, options.limit),
  };
}

/** The preferred supplier's cost of each item, else the lowest any supplier charges. */
function unitCosts(
  rows: readonly { item_id: number; preferred: number; unit_cost_cents: number }[],
) {
  const best = new Map<number, { preferred: number; cost: number }>();
  for (const row of rows) {
    const current = best.get(row.item_id);
    if (
      !current ||
      row.preferred > current.preferred ||
      (row.preferred === current.preferred && row.unit_cost_cents < current.cost)
    )
      best.set(row.item_id, { preferred: row.preferred, cost: row.unit_cost_cents });
  }
  return new Map([...best].map(([itemId, b]) => [itemId, b.cost]));
}

/** The top sellers by units or by value (units × today's price) in the period. */
export async function bestSellerReport(
  ctx: AppContext,
  scope: ReportScope,
  options: { by: 'units' | 'value'; limit: number },
) {
  const perItem = await unitsPerItem(ctx, scope);
  const facts = new Map((await itemFacts(ctx.db, [...perItem.keys()])).map((f) => [f.sku, f]));
  const volumes = [...facts.values()].map((f) => ({
    key: f.sku,
    units: perItem.get(f.id) ?? 0,
    value: (perItem.get(f.id) ?? 0) * f.price_cents,
  }));
  const rows: BestSellerRow[] = topBy(volumes, options.by, options.limit).map((v, i) => ({
    rank: i + 1,
    sku: v.key,
    name: facts.get(v.key)!.name,
    category: facts.get(v.key)!.category,
    units: v.units,
    value: fromCents(v.value),
  }));
  return { ...periodOf(scope), by: options.by, rows };
}

/**
 * Growth against the period of equal length just before: items selling at least
 * `minUnits` now and more than before, new sellers first.
 */
export async function emergingReport(
  ctx: AppContext,
  scope: ReportScope,
  options: { minUnits: number; limit: number },
) {
  const previousFrom = addDays(scope.from, -scope.days);
  const current = await unitsPerItem(ctx, scope);
  const previous = await unitsPerItem(ctx, { ...scope, from: previousFrom, until: scope.from });
  const facts = new Map((await itemFacts(ctx.db, [...current.keys()])).map((f) => [f.sku, f]));
  const bySku = (units: Map<number, number>) =>
    new Map([...facts.values()].map((f) => [f.sku, units.get(f.id) ?? 0]));
  const rows: EmergingRow[] = emerging(
    bySku(current),
    bySku(previous),
    options.minUnits,
    options.limit,
  ).map((g) => ({
    sku: g.key,
    name: facts.get(g.key)!.name,
    category: facts.get(g.key)!.category,
    units: g.units,
    previousUnits: g.previousUnits,
    growth: g.growth === null ? null : roundTo(g.growth, 4),
  }));
  return {
    ...periodOf(scope),
    previousFrom,
    previousTo: addDays(scope.from, -1),
    minUnits: options.minUnits,
    rows,
  };
}

/**
 * Monthly index per category over the history: by default everything ever sold, from the
 * first day to the last (a 90-day window would hold three months and no seasons).
 */
export async function seasonalityReport(
  ctx: AppContext,
  scope: Pick<ReportFilter, 'locationId' | 'category'> & { from?: string; to?: string },
) {
  const range = await salesRange(ctx.db);
  const from = scope.from ?? range.first;
  const to = scope.to ?? range.last;
  if (from === null || to === null || from > to)
    return { from: from ?? null, to: to ?? null, rows: [] };
  const days = daysPerMonth(from, to);
  const byCategory = new Map<string, number[]>();
  for (const row of await unitsByCategoryMonth(ctx.db, { ...scope, from, until: addDays(to, 1) })) {
    const months = byCategory.get(row.category) ?? new Array<number>(12).fill(0);
    months[Number(row.month.slice(5, 7)) - 1]! += row.units;
    byCategory.set(row.category, months);
  }
  const rows: SeasonalityRow[] = [];
  for (const category of [...byCategory.keys()].sort(compareText))
    for (const m of monthlyIndex(byCategory.get(category)!, days))
      rows.push({
        category,
        month: m.month,
        days: m.days,
        units: m.units,
        averageDailyUnits: roundTo(m.averageDailyUnits, 3),
        index: m.index === null ? null : roundTo(m.index, 3),
      });
  return { from, to, rows };
}
