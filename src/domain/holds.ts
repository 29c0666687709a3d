import { planAllocation } from './promising.js';

/**
 * The rules of a checkout hold (src/holds/), from plain data: where its units come from,
 * when it lapses, and whether the channel may hold that many.
 */

export const MIN_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 86_400;
export const DEFAULT_TTL_SECONDS = 900;

/** When a hold made (or extended) at `now` for `ttlSeconds` lapses. */
export function expiryOf(now: Date, ttlSeconds: number): string {
  return new Date(now.getTime() + ttlSeconds * 1000).toISOString();
}

/** A hold line as asked: an item, how many, and optionally the one location to hold at. */
export interface HoldLineRequest {
  itemId: number;
  quantity: number;
  /** Hold only at this location (one of the channel's); else the channel's in priority order. */
  locationId?: number;
}

export interface HoldLinePlan {
  takes: { locationId: number; quantity: number }[];
  /** Units free for the line where it may be held, after the lines before it. */
  available: number;
  shortfall: number;
}

/**
 * Each line takes from the channel's locations in priority order, the way an order's
 * reservation does (planAllocation), seeing what the lines before it took. A hold never
 * backorders: a line with a shortfall makes the caller refuse the whole hold.
 * `free` is the units free per `${itemId}:${locationId}` (on hand − reserved − safety).
 */
export function planHold(
  lines: readonly HoldLineRequest[],
  locationIds: readonly number[],
  free: ReadonlyMap<string, number>,
): HoldLinePlan[] {
  const left = new Map(free);
  return lines.map((line) => {
    const from = line.locationId === undefined ? locationIds : [line.locationId];
    const locations = from.map((locationId) => ({
      locationId,
      available: Math.max(0, left.get(`${line.itemId}:${locationId}`) ?? 0),
    }));
    const plan = planAllocation(locations, line.quantity);
    for (const t of plan.takes) {
      const key = `${line.itemId}:${t.locationId}`;
      left.set(key, (left.get(key) ?? 0) - t.quantity);
    }
    return {
      takes: plan.takes,
      available: locations.reduce((s, l) => s + l.available, 0),
      shortfall: plan.shortfall,
    };
  });
}

/**
 * Whether the channel may hold `adding` more units while it holds `holding`: never more
 * than its cap at once (null: no cap).
 */
export function withinHoldCap(cap: number | null, holding: number, adding: number): boolean {
  return cap === null || holding + adding <= cap;
}

export type HoldState = 'active' | 'released' | 'expired' | 'converted';

/** What a hold is now: an active one past its expiry is expired, swept or not. */
export function holdStateAt(status: HoldState, expiresAt: string, now: string): HoldState {
  return status === 'active' && expiresAt <= now ? 'expired' : status;
}
