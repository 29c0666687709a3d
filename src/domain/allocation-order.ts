/**
 * Which of a channel's locations an order line takes its units from first (issue 15,
 * item 6). The channel chooses a strategy; every strategy only reorders the locations, so
 * a line gets the same number of units from stock whichever one is set, and no strategy
 * ever takes from a location that is not for sale.
 */

import { type GeoPoint, greatCircleKm } from './great-circle.js';
import { type AllocationPlan, planAllocation } from './promising.js';

export const ALLOCATION_STRATEGIES = ['priority', 'most_stock', 'closest_to_pickup'] as const;
export type AllocationStrategy = (typeof ALLOCATION_STRATEGIES)[number];

export interface CandidateLocation {
  locationId: number;
  /** Its place in the channel's list, 0 first: every strategy's tie-break. */
  priority: number;
  /** Free units of the line's item there now. */
  available: number;
  sellable: boolean;
  point: GeoPoint | null;
}

/** Where the customer collects the order; its point may be unknown. */
export interface Pickup {
  locationId: number;
  point: GeoPoint | null;
}

/**
 * The sellable locations in the order units are taken from:
 * - priority: the channel's order.
 * - most_stock: the most free units first, ties by priority, so a line is split across
 *   as few locations as the stock allows.
 * - closest_to_pickup: the pickup location first, then the others by great-circle
 *   distance from it (ties by priority), then those without coordinates by priority.
 *   Without a pickup location, or one whose place is unknown, the channel's order.
 */
export function allocationOrder<T extends CandidateLocation>(
  strategy: AllocationStrategy,
  locations: readonly T[],
  pickup: Pickup | null = null,
): T[] {
  const sellable = locations.filter((l) => l.sellable);
  const byPriority = (a: T, b: T) => a.priority - b.priority;
  switch (strategy) {
    case 'priority':
      return sellable.sort(byPriority);
    case 'most_stock':
      return sellable.sort((a, b) => b.available - a.available || byPriority(a, b));
    case 'closest_to_pickup':
      return pickup === null ? sellable.sort(byPriority) : closestFirst(sellable, pickup);
  }
}

function closestFirst<T extends CandidateLocation>(locations: T[], pickup: Pickup): T[] {
  const from = pickup.point;
  const distance = (l: T) =>
    l.locationId === pickup.locationId
      ? -1
      : from === null || l.point === null
        ? Number.POSITIVE_INFINITY
        : greatCircleKm(from, l.point);
  const keyed = locations.map((l) => ({ l, d: distance(l) }));
  return keyed.sort((a, b) => a.d - b.d || a.l.priority - b.l.priority).map((k) => k.l);
}

/** A line's units from stock under the channel's strategy (see planAllocation). */
export function planByStrategy(
  strategy: AllocationStrategy,
  locations: readonly CandidateLocation[],
  quantity: number,
  pickup: Pickup | null = null,
): AllocationPlan {
  return planAllocation(allocationOrder(strategy, locations, pickup), quantity);
}
