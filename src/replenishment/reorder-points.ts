import { loadDemandSeries } from '../demand/demand-series.service.js';
import type { DemandSeries } from '../domain/demand.js';
import { forecastMany } from '../domain/forecasting/index.js';
import type { SeriesForecast } from '../domain/forecasting/types.js';
import { chooseSupplier, type LeadTime } from '../domain/purchase-suggestions.js';
import {
  type AbcClass,
  abcClasses,
  DEFAULT_REVIEW_DAYS,
  inventoryPosition,
  projectStockout,
  reorderLevels,
  serviceLevelFor,
} from '../domain/replenishment/index.js';
import type { AppContext } from '../kernel/context.js';
import { supplyRows } from '../kernel/supply/incoming-supply.js';
import { addDays, isoDate } from '../shared/dates.js';
import { measuredLeadTimes } from './lead-times.js';
import * as repo from './reorder-inputs.repository.js';

/** Reorder levels and the stock picture of one item at one location. */
export interface ReorderPoint {
  itemId: number;
  locationId: number;
  supplierId: number;
  sku: string;
  name: string;
  location: string;
  supplier: string;
  serviceLevel: number;
  abcClass: AbcClass;
  leadTime: LeadTime;
  /** The forecasting method chosen for the series; null when it has no demand history. */
  forecastMethod: string | null;
  /** Lead time + review period, days: what the stock on hand and on order must last. */
  protectionDays: number;
  /** Forecast demand over the protection period. */
  leadTimeDemand: number;
  dailyDemand: number;
  safetyStock: number;
  reorderPoint: number;
  orderUpTo: number;
  onHand: number;
  reserved: number;
  incoming: number;
  /** Units on draft purchase orders here: not supply yet, but about to be ordered. */
  onDraftOrders: number;
  backordered: number;
  inventoryPosition: number;
  projectedStockoutDate: string | null;
  /** The first receipt due after the projected stock-out (null: none within the horizon). */
  nextReceiptDate: string | null;
  minOrderQuantity: number;
  casePack: number;
  unitCostCents: number;
}

export interface SkippedItem {
  sku: string;
  reason: 'no_supplier' | 'no_preferred_supplier';
}

export interface ReorderPicture {
  today: string;
  points: ReorderPoint[];
  skipped: SkippedItem[];
}

/**
 * Days of forecast behind every figure: long enough to see a stock-out a quarter ahead,
 * and to cover any protection period (lead time + review) a supplier can have here.
 */
export const HORIZON_DAYS = 91;

interface Pair {
  itemId: number;
  locationId: number;
}

/**
 * Reorder points of every active item × location that stocks the item, has demand for it
 * or backorders waiting, bought from the item's preferred (or only) supplier. Items no
 * supplier is clear for are listed as skipped. Reads only; ABC classes are ranked over
 * all items, whatever the caller filters afterwards.
 */
export async function computeReorderPoints(ctx: AppContext): Promise<ReorderPicture> {
  const today = isoDate(ctx.clock.now());
  const items = (await repo.listItemsForReplenishment(ctx.db)).filter((i) => i.status === 'active');
  const locations = await repo.listLocationCodes(ctx.db);
  const links = await repo.listSupplierLinks(ctx.db);

  const supplierOf = new Map<number, repo.SupplierLinkRow>();
  const skipped: SkippedItem[] = [];
  for (const item of items) {
    const choice = chooseSupplier(
      links
        .filter((l) => l.item_id === item.id)
        .map((row) => ({ row, preferred: row.preferred === 1 })),
    );
    if (choice.link) supplierOf.set(item.id, choice.link.row);
    else skipped.push({ sku: item.sku, reason: choice.skipped! });
  }
  const itemIds = [...supplierOf.keys()];
  if (itemIds.length === 0) return { today, points: [], skipped };

  const stock = keyed(await repo.listStockLevels(ctx.db));
  const waiting = keyed(await repo.listBackordersWaiting(ctx.db));
  const drafts = keyed(await repo.listDraftOrderUnits(ctx.db));
  const series = keyed(
    await loadDemandSeries(ctx.db, { itemIds, today, through: addDays(today, -1) }),
  );
  const incoming = await incomingByPair(ctx, itemIds, locations);

  const pairs = new Map<string, Pair>();
  for (const source of [stock, waiting, series, incoming]) {
    for (const [key, row] of source) {
      const pair = pairOf(row);
      if (supplierOf.has(pair.itemId)) pairs.set(key, pair);
    }
  }

  const forecasts = forecastAll([...series].filter(([key]) => pairs.has(key)));
  const classes = classesByValue(items, pairs, forecasts);
  const skus = new Map(items.map((i) => [i.id, i]));
  const leadTimes = await measuredLeadTimes(
    ctx,
    supplierOf,
    new Map(items.map((i) => [i.id, i.sku])),
  );

  const codes = new Map(locations.map((l) => [l.id, l.code]));
  const points = [...pairs]
    .map(([key, pair]) => {
      const item = skus.get(pair.itemId)!;
      const link = supplierOf.get(pair.itemId)!;
      const abcClass = classes.get(pair.itemId) ?? 'C';
      return pointOf({
        today,
        pair,
        sku: item.sku,
        name: item.name,
        location: codes.get(pair.locationId)!,
        link,
        abcClass,
        serviceLevel: serviceLevelFor({ override: item.service_level, abcClass }),
        leadTime: leadTimes.get(pair.itemId)!,
        forecast: forecasts.get(key) ?? null,
        stock: stock.get(key) ?? null,
        waiting: waiting.get(key)?.units ?? 0,
        drafts: drafts.get(key)?.units ?? 0,
        receipts: incoming.get(key)?.receipts ?? [],
      });
    })
    .sort((a, b) => compare(a.sku, b.sku) || compare(a.location, b.location));
  return { today, points, skipped };
}

interface PointInput {
  today: string;
  pair: Pair;
  sku: string;
  name: string;
  location: string;
  link: repo.SupplierLinkRow;
  abcClass: AbcClass;
  serviceLevel: number;
  leadTime: LeadTime;
  forecast: SeriesForecast | null;
  stock: repo.StockLevelRow | null;
  waiting: number;
  drafts: number;
  receipts: { date: string; quantity: number }[];
}

function pointOf(input: PointInput): ReorderPoint {
  const { forecast, leadTime } = input;
  // The forecast starts today (the day after history); the policy plans from tomorrow,
  // today's sales being already out of on hand as they happen.
  const mean = forecast ? forecast.mean.slice(1) : new Array<number>(HORIZON_DAYS).fill(0);
  const levels = reorderLevels({
    forecast: { mean, errorSd: forecast?.errorSd ?? 0 },
    leadTime,
    reviewDays: DEFAULT_REVIEW_DAYS,
    serviceLevel: input.serviceLevel,
  });
  const onHand = input.stock?.on_hand ?? 0;
  const reserved = input.stock?.reserved ?? 0;
  const incoming = input.receipts.reduce((sum, r) => sum + r.quantity, 0);
  const projection = projectStockout({
    today: input.today,
    onHand,
    reserved,
    backordered: input.waiting,
    incoming: input.receipts,
    dailyForecast: mean,
  });
  return {
    itemId: input.pair.itemId,
    locationId: input.pair.locationId,
    supplierId: input.link.supplier_id,
    sku: input.sku,
    name: input.name,
    location: input.location,
    supplier: input.link.supplier,
    serviceLevel: input.serviceLevel,
    abcClass: input.abcClass,
    leadTime,
    forecastMethod: forecast?.method ?? null,
    protectionDays: levels.protectionDays,
    leadTimeDemand: levels.leadTimeDemand,
    dailyDemand: levels.dailyDemand,
    safetyStock: levels.safetyStock,
    // Whole units: stock is counted in units, and rounding up keeps the service level.
    reorderPoint: wholeUnits(levels.reorderPoint),
    orderUpTo: wholeUnits(levels.orderUpTo),
    onHand,
    reserved,
    incoming,
    onDraftOrders: input.drafts,
    backordered: input.waiting,
    // Drafts count as on order here, for the reorder decision only: the projected
    // stock-out below walks real supply, which a draft is not.
    inventoryPosition: inventoryPosition({
      onHand,
      reserved,
      incoming: incoming + input.drafts,
      backordered: input.waiting,
    }),
    projectedStockoutDate: projection.stockoutDate,
    nextReceiptDate: projection.nextReceiptDate,
    minOrderQuantity: input.link.min_order_quantity,
    casePack: input.link.case_pack,
    unitCostCents: input.link.unit_cost_cents,
  };
}

/**
 * All series in one call: the calendar model pools its weekly and yearly shape over the
 * series it is given, which steadies the short ones.
 */
/** Up to whole units; the tolerance keeps 48.000000001 (float sums) at 48. */
const wholeUnits = (units: number) => Math.max(0, Math.ceil(units - 1e-9));

function forecastAll(series: readonly [string, DemandSeries][]): Map<string, SeriesForecast> {
  if (series.length === 0) return new Map();
  const forecasts = forecastMany(
    series.map(([, s]) => ({ start: s.start, quantities: s.quantities, censored: s.censored })),
    { horizon: HORIZON_DAYS + 1 },
  );
  return new Map(series.map(([key], i) => [key, forecasts[i]!]));
}

/** ABC by forecast value: units a day over all locations × the item's price. */
function classesByValue(
  items: readonly repo.ItemRow[],
  pairs: ReadonlyMap<string, Pair>,
  forecasts: ReadonlyMap<string, SeriesForecast>,
): Map<number, AbcClass> {
  const price = new Map(items.map((i) => [i.id, i.price_cents]));
  const value = new Map<number, number>();
  for (const [key, pair] of pairs) {
    const forecast = forecasts.get(key);
    const units = forecast ? forecast.mean.reduce((a, b) => a + b, 0) / forecast.mean.length : 0;
    value.set(pair.itemId, (value.get(pair.itemId) ?? 0) + units * (price.get(pair.itemId) ?? 0));
  }
  return abcClasses(value);
}

interface Receipts extends Pair {
  receipts: { date: string; quantity: number }[];
}

async function incomingByPair(
  ctx: AppContext,
  itemIds: readonly number[],
  locations: readonly repo.LocationRow[],
): Promise<Map<string, Receipts>> {
  const ids = new Map(locations.map((l) => [l.code, l.id]));
  const rows = await supplyRows(ctx.db, {
    firstItemId: Math.min(...itemIds),
    lastItemId: Math.max(...itemIds),
    locationIds: locations.map((l) => l.id),
  });
  const result = new Map<string, Receipts>();
  for (const { itemId, line } of rows) {
    if (line.open <= 0) continue;
    const pair = { itemId, locationId: ids.get(line.location)! };
    const key = keyOf(pair);
    const entry = result.get(key) ?? { ...pair, receipts: [] };
    entry.receipts.push({ date: line.expectedDate, quantity: line.open });
    result.set(key, entry);
  }
  return result;
}

type PairLike = { itemId: number; locationId: number } | { item_id: number; location_id: number };

function pairOf(row: PairLike): Pair {
  return 'itemId' in row
    ? { itemId: row.itemId, locationId: row.locationId }
    : { itemId: row.item_id, locationId: row.location_id };
}

const keyOf = (pair: Pair) => `${pair.itemId}:${pair.locationId}`;

function keyed<T extends PairLike>(rows: readonly T[]): Map<string, T> {
  return new Map(rows.map((row) => [keyOf(pairOf(row)), row]));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
