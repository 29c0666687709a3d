/**
 * Promising (DESIGN sections 4 and 5): where an order line's units come from now, and
 * what date can honestly be promised for the rest. Pure functions over plain data: the
 * orders use cases read the rows, call these, and write the outcome with conditional
 * statements that re-check every quantity.
 */

import { addDays } from '../shared/dates.js';
import type { BackorderPolicy, Confidence } from './item-rules.js';
import { compareSupply, type SupplyLine, type SupplySource, supplyKey } from './supply.js';

export interface LocationAvailable {
  locationId: number;
  /** on_hand − reserved − safety_stock, at least 0. */
  available: number;
}

export interface AllocationPlan {
  takes: { locationId: number; quantity: number }[];
  shortfall: number;
}

/**
 * Takes units from the channel's locations in priority order, splitting across them
 * when the first cannot cover the line.
 */
export function planAllocation(
  locations: readonly LocationAvailable[],
  quantity: number,
): AllocationPlan {
  const takes: AllocationPlan['takes'] = [];
  let remaining = quantity;
  for (const location of locations) {
    if (remaining === 0) break;
    const quantityHere = Math.min(location.available, remaining);
    if (quantityHere <= 0) continue;
    takes.push({ locationId: location.locationId, quantity: quantityHere });
    remaining -= quantityHere;
  }
  return { takes, shortfall: remaining };
}

/** A supplier that sells an item, as far as promising on lead time is concerned. */
export interface LeadTimeOption {
  supplier: string;
  preferred: number;
  leadTimeDays: number;
}

/**
 * Which supplier's lead time a promise rests on: the preferred supplier, else the
 * quickest, ties by code. Orders and availability choose with this one rule.
 */
export function chooseLeadTime<T extends LeadTimeOption>(options: readonly T[]): T | undefined {
  return [...options].sort(
    (a, b) =>
      b.preferred - a.preferred ||
      a.leadTimeDays - b.leadTimeDays ||
      a.supplier.localeCompare(b.supplier),
  )[0];
}

/** What the item's rules say about promising beyond stock. */
export interface PromiseRules {
  policy: BackorderPolicy;
  handlingDays: number;
  /** Under lead_time: at most this many units promised on lead time at once (null: no cap). */
  backorderCap: number | null;
  /** The preferred supplier's lead time; null when no supplier is known. */
  leadTimeDays: number | null;
  supplier: string | null;
  /** Set for a preorder: nothing ships before this date. */
  releaseDate: string | null;
}

/** One part of a promise: supply it is pegged to, or the supplier's lead time. */
export type Peg =
  | {
      kind: 'supply';
      source: SupplySource;
      location: string;
      quantity: number;
      expectedDate: string;
      confidence: Confidence;
    }
  | { kind: 'lead_time'; quantity: number; expectedDate: string; confidence: 'estimated' };

export interface LinePromise {
  pegs: Peg[];
  /** Units nothing could be promised for. */
  unpromised: number;
  /** When the last promised unit can reach the customer (supply date + handling days). */
  promisedDate: string | null;
  confidence: Confidence | null;
}

/** Supply at the locations a line may be filled from, with what earlier claims hold. */
export interface PromiseInput {
  supply: readonly SupplyLine[];
  /** Units of each supply (by supplyKey) already pegged to earlier lines. */
  held: ReadonlyMap<string, number>;
  /** Lead-time units already promised for the item (counted against the cap). */
  leadTimeHeld: number;
  rules: PromiseRules;
  today: string;
}

/**
 * Promises `needed` units: supply in promise order first (skipping what is held), then,
 * under the lead_time policy, the supplier's lead time within the cap. `keepLeadTimeDate`
 * carries over a date already promised on lead time, so that re-planning does not push
 * an estimate a day later every day.
 */
export function promiseUnits(
  input: PromiseInput,
  needed: number,
  keepLeadTimeDate: string | null = null,
): LinePromise {
  const { rules } = input;
  const pegs: Peg[] = [];
  let remaining = needed;
  if (rules.policy !== 'none' || rules.releaseDate !== null) {
    for (const line of [...input.supply].sort(compareSupply)) {
      if (remaining === 0) break;
      const free = line.open - (input.held.get(supplyKey(line.source)) ?? 0);
      if (free <= 0) continue;
      const quantity = Math.min(free, remaining);
      pegs.push({
        kind: 'supply',
        source: line.source,
        location: line.location,
        quantity,
        expectedDate: line.expectedDate,
        confidence: line.confidence,
      });
      remaining -= quantity;
    }
  }
  if (remaining > 0 && rules.policy === 'lead_time' && rules.leadTimeDays !== null) {
    const room =
      rules.backorderCap === null
        ? remaining
        : Math.max(0, rules.backorderCap - input.leadTimeHeld);
    const quantity = Math.min(room, remaining);
    if (quantity > 0) {
      pegs.push({
        kind: 'lead_time',
        quantity,
        // A kept date that has passed without the goods is no promise: estimate afresh.
        expectedDate:
          keepLeadTimeDate !== null && keepLeadTimeDate >= input.today
            ? keepLeadTimeDate
            : addDays(input.today, rules.leadTimeDays),
        confidence: 'estimated',
      });
      remaining -= quantity;
    }
  }
  return { pegs, unpromised: remaining, ...promiseDate(pegs, remaining, rules, input.today) };
}

/** The date a line's waiting units are promised for, from its pegs. */
export function promiseDate(
  pegs: readonly Peg[],
  unpromised: number,
  rules: Pick<PromiseRules, 'handlingDays' | 'releaseDate'>,
  today: string | null = null,
): Pick<LinePromise, 'promisedDate' | 'confidence'> {
  if (unpromised > 0 || pegs.length === 0) return { promisedDate: null, confidence: null };
  const last = pegs
    .map((p) => p.expectedDate)
    .sort()
    .at(-1)!;
  // An overdue delivery cannot reach anyone before today: promise from today, not the past.
  const shipped = addDays(today !== null && today > last ? today : last, rules.handlingDays);
  const date =
    rules.releaseDate !== null && rules.releaseDate > shipped ? rules.releaseDate : shipped;
  // A supplier date already missed is no longer a confirmation of anything.
  const overdue = today !== null && last < today;
  return {
    promisedDate: date,
    confidence:
      overdue || pegs.some((p) => p.confidence === 'estimated') ? 'estimated' : 'confirmed',
  };
}

/** A backordered line waiting in an item's queue (queue order = order of placement). */
export interface QueuedLine {
  lineId: number;
  waiting: number;
  /** Codes of the locations the line's channel is filled from. */
  locations: readonly string[];
  /** The item's release date when the line is a preorder. */
  releaseDate: string | null;
  promisedDate: string | null;
  confidence: Confidence | null;
  /** The date of its current lead-time promise, if any. */
  leadTimeDate: string | null;
}

export interface Replanned {
  lineId: number;
  promise: LinePromise;
  changed: boolean;
}

/**
 * Re-runs the promise for every waiting line of an item in queue order, first come first
 * served: earlier lines take the earliest supply. Used whenever supply moves (a date
 * changes, a line is cut or cancelled, goods arrive, stock is found missing) and after
 * cancellations release supply to the next in line.
 */
export function replanQueue(
  queue: readonly QueuedLine[],
  supply: readonly SupplyLine[],
  rules: Omit<PromiseRules, 'releaseDate'>,
  today: string,
): Replanned[] {
  const held = new Map<string, number>();
  let leadTimeHeld = 0;
  return queue.map((line) => {
    const promise = promiseUnits(
      {
        supply: supply.filter((s) => line.locations.includes(s.location)),
        held,
        leadTimeHeld,
        rules: { ...rules, releaseDate: line.releaseDate },
        today,
      },
      line.waiting,
      line.leadTimeDate,
    );
    for (const peg of promise.pegs) {
      if (peg.kind === 'lead_time') leadTimeHeld += peg.quantity;
      else {
        const key = supplyKey(peg.source);
        held.set(key, (held.get(key) ?? 0) + peg.quantity);
      }
    }
    return {
      lineId: line.lineId,
      promise,
      changed: promise.promisedDate !== line.promisedDate || promise.confidence !== line.confidence,
    };
  });
}
