/**
 * Reorder point and order-up-to level of one item at one location, and the quantity to
 * order at a review.
 *
 * The policy is the periodic-review order-up-to policy, (R, S) in Silver, Pyke & Thomas,
 * "Inventory and Production Management in Supply Chains" (4th ed., 2017), in the chapter
 * on individual items with probabilistic demand: every R days (the review period) the
 * buyer looks at the inventory position and, if it is at or below the reorder point,
 * orders enough to bring it back to the order-up-to level. An
 * order placed now arrives after the lead time L; the next chance to order is R days
 * later, and that order takes L again, so what is on hand and on order now must last
 * P = L + R days (the protection period) at the chosen service level:
 *
 *   S = x̂(P) + SS,   SS = z(CSL) · √(P·σ_e² + d̄²·σ_L²)
 *
 * x̂(P) is the forecast demand over P days, d̄ = x̂(P)/P the mean daily demand, σ_e the
 * standard deviation of the one-day forecast error, σ_L the lead time's standard
 * deviation, z the standard normal quantile of the cycle service level (the share of
 * replenishment cycles without a stock-out). The root is the standard deviation of demand
 * over a random protection period when daily errors are independent of each other and of
 * the lead time (the same book's treatment of a probabilistic lead time:
 * var = E[P]·σ_e² + d̄²·var(L), since R is fixed). Forecast errors on consecutive days are
 * in practice somewhat correlated, so this tends to understate the spread a little; the
 * bench shows the service it buys on real data.
 *
 * Reorder point: with no fixed cost per order, ordering at every review up to S is the
 * policy that holds least stock for a service level, so the reorder point equals S; the
 * supplier's minimum order quantity and case pack then decide how lumpy orders are
 * (`orderQuantity`). The two are kept as separate fields so a policy with a lot size
 * (s < S) fits the same shape later.
 */

import { inverseNormalCdf } from './normal.js';

export interface LeadTime {
  meanDays: number;
  sdDays: number;
}

export interface ReorderInput {
  /** Daily forecast from tomorrow, and the sd of its one-day error (SeriesForecast). */
  forecast: { mean: readonly number[]; errorSd: number };
  leadTime: LeadTime;
  /** Days between two reviews (chances to order). */
  reviewDays?: number;
  /** Cycle service level, 0 < x < 1 (e.g. 0.95). */
  serviceLevel: number;
}

export interface ReorderLevels {
  /** Lead time + review period, days. */
  protectionDays: number;
  /** Forecast demand over the protection period, x̂(P). */
  leadTimeDemand: number;
  /** Mean daily demand over the protection period, d̄. */
  dailyDemand: number;
  safetyStock: number;
  reorderPoint: number;
  orderUpTo: number;
}

export const DEFAULT_REVIEW_DAYS = 7;

export function reorderLevels(input: ReorderInput): ReorderLevels {
  const reviewDays = input.reviewDays ?? DEFAULT_REVIEW_DAYS;
  const { meanDays, sdDays } = input.leadTime;
  const { errorSd } = input.forecast;
  if (!(meanDays >= 0 && sdDays >= 0 && reviewDays >= 0 && errorSd >= 0))
    throw new RangeError('lead time, review period and forecast error must be ≥ 0');
  const z = inverseNormalCdf(input.serviceLevel);
  const protectionDays = meanDays + reviewDays;
  const leadTimeDemand = demandOver(input.forecast.mean, protectionDays);
  const dailyDemand = protectionDays > 0 ? leadTimeDemand / protectionDays : 0;
  const spread = Math.sqrt(protectionDays * errorSd ** 2 + dailyDemand ** 2 * sdDays ** 2);
  // A service level below 50% would give a negative buffer: never hold less than the forecast.
  const safetyStock = Math.max(0, z * spread);
  const orderUpTo = leadTimeDemand + safetyStock;
  return {
    protectionDays,
    leadTimeDemand,
    dailyDemand,
    safetyStock,
    reorderPoint: orderUpTo,
    orderUpTo,
  };
}

/**
 * Sum of the daily means over the first `days` days, a fractional last day counted by its
 * fraction. A forecast shorter than that is continued by repeating its last 7 days (or all
 * of it if shorter), which keeps the weekly pattern the forecasts carry.
 */
export function demandOver(mean: readonly number[], days: number): number {
  if (days <= 0) return 0;
  if (mean.length === 0) throw new RangeError('the forecast has no days');
  const cycle = Math.min(7, mean.length);
  const at = (i: number) =>
    i < mean.length ? mean[i]! : mean[mean.length - cycle + ((i - mean.length) % cycle)]!;
  const whole = Math.floor(days);
  let sum = 0;
  for (let i = 0; i < whole; i++) sum += at(i);
  return sum + (days - whole) * at(whole);
}

/**
 * Lead time for the levels: measured supplier performance when there is any
 * (supplier-performance.ts `leadTimeDays`), else the configured days with no spread.
 */
export function leadTimeFor(
  measured: { mean: number; stdDev: number; samples: number } | null,
  configuredDays: number,
): LeadTime & { source: 'measured' | 'configured' } {
  if (measured && measured.samples > 0)
    return { meanDays: measured.mean, sdDays: measured.stdDev, source: 'measured' };
  return { meanDays: configuredDays, sdDays: 0, source: 'configured' };
}

/**
 * Inventory position: what the buyer has to work with before ordering. On hand, less what
 * is already promised to orders (reserved), plus what is on its way (open purchase-order
 * lines and transfers in), less units backordered and waiting (demand already taken that
 * incoming stock will go to). The one definition every reorder decision uses.
 */
export function inventoryPosition(stock: {
  onHand: number;
  reserved: number;
  incoming: number;
  backordered: number;
}): number {
  return stock.onHand - stock.reserved + stock.incoming - stock.backordered;
}

export interface OrderInput {
  inventoryPosition: number;
  reorderPoint: number;
  orderUpTo: number;
  /** Supplier's minimum order quantity (units); ≤ 1 means none. */
  moq: number;
  /** Units per case; ≤ 1 means single units. */
  casePack: number;
}

/**
 * Units to order: none while the position is above the reorder point; otherwise enough to
 * reach the order-up-to level, rounded up to whole cases and to at least the minimum order
 * (itself rounded up to whole cases, since the supplier ships only whole cases).
 */
export function orderQuantity(input: OrderInput): number {
  const { inventoryPosition: position, reorderPoint, orderUpTo } = input;
  if (position > reorderPoint) return 0;
  // Whole units up to the level: a fractional level is reached only by its ceiling (and
  // adding a tiny fraction to a large position would otherwise vanish in rounding).
  const need = Math.ceil(orderUpTo) - position;
  if (need <= 0) return 0;
  const pack = Math.max(1, Math.ceil(input.casePack));
  const toPack = (units: number) => Math.ceil(units / pack) * pack;
  return Math.max(toPack(need), toPack(Math.max(1, input.moq)));
}
