/**
 * Availability rules (DESIGN section 3): pure functions from quantities and item rules to
 * a state that explains itself. No I/O and no clock: `today` is a parameter.
 */

import type { BackorderPolicy, Confidence } from './item-rules.js';
import { basisOf, describePromise, type PromiseBasis } from './promise-basis.js';
import { promiseUnits } from './promising.js';
import { type SupplyLine, supplyKey } from './supply.js';

// Part of what an answer is; kept nameable from here, where callers have always found them.
export { basisOf, type PromiseBasis } from './promise-basis.js';

export type AvailabilityState =
  | 'in_stock'
  | 'low_stock'
  | 'backorder'
  | 'preorder'
  | 'out_of_stock'
  | 'discontinued';

export interface ItemRules {
  status: 'active' | 'discontinued';
  lowStockThreshold: number;
  backorderPolicy: BackorderPolicy;
  /** ISO date; an item is not sold before it. */
  releaseDate: string | null;
  /** Before its release date the item sells as a preorder, promised for that date. */
  preordersEnabled: boolean;
  /** Days from supply arriving to the customer: part of every promised date. */
  handlingDays: number;
  /** Under lead_time: at most this many units promised on lead time at once (null: no cap). */
  backorderCap: number | null;
}

export interface LocationStock {
  location: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
}

export interface Quantities {
  requested: number;
  onHand: number;
  reserved: number;
  safetyStock: number;
  /** Sum over locations of max(0, on_hand − reserved − safety_stock). */
  available: number;
  /** Open supply due at these locations; the supply capability fills it in. */
  incoming: number;
}

interface Common {
  quantities: Quantities;
  reason: string;
}

export type Availability =
  | (Common & { state: 'in_stock' | 'low_stock'; purchasable: true })
  | (Common & {
      state: 'backorder';
      purchasable: true;
      /** When the last unit can reach the customer: supply date plus handling days. */
      expectedDate: string;
      confidence: Confidence;
      restsOn: PromiseBasis[];
    })
  | (Common & {
      state: 'preorder';
      purchasable: true;
      releaseDate: string;
      /** Set only when the promise is later than the release (the units come from supply). */
      expectedDate?: string;
      confidence: Confidence;
      restsOn: PromiseBasis[];
    })
  | (Common & { state: 'out_of_stock'; purchasable: false; restock: 'unknown' | string })
  | (Common & { state: 'discontinued'; purchasable: false; restock: 'never' });

/** Units of one location that can be sold now; never below zero. */
export function availableAt(stock: LocationStock): number {
  return Math.max(0, stock.onHand - stock.reserved - stock.safetyStock);
}

/**
 * Totals across locations. Availability is clamped per location before summing: a
 * location whose safety stock exceeds its on-hand must not eat another location's units.
 */
export function sumStock(
  rows: readonly LocationStock[],
): Omit<Quantities, 'requested' | 'incoming'> {
  let onHand = 0;
  let reserved = 0;
  let safetyStock = 0;
  let available = 0;
  for (const row of rows) {
    onHand += row.onHand;
    reserved += row.reserved;
    safetyStock += row.safetyStock;
    available += availableAt(row);
  }
  return { onHand, reserved, safetyStock, available };
}

/** The supplier lead time promises may rest on, and what earlier orders hold on it. */
export interface LeadTime {
  /** The supplier promises rest on; null when nobody supplies the item. */
  supplier: string | null;
  leadTimeDays: number | null;
  /** Lead-time units already promised to earlier orders: what the backorder cap counts. */
  held: number;
}

export interface AvailabilityInput {
  item: ItemRules;
  stock: readonly LocationStock[];
  requested: number;
  /** ISO date (YYYY-MM-DD) in the zone the answer is for. */
  today: string;
  /** Open supply due at these locations (see src/domain/supply.ts); defaults to `supply`'s. */
  incoming?: number;
  /** The earliest date any of that supply is due (ISO date), to explain the answer. */
  nextExpectedDate?: string | null;
  /**
   * Of `incoming`, the units earlier backorders have not pegged (open − promised, line by
   * line). Defaults to what `supply` leaves free, else 0.
   */
  freeIncoming?: number;
  /**
   * The open supply lines at these locations and the units earlier backorders hold on each
   * (by supplyKey): what a promise is walked over and dated from.
   */
  supply?: { lines: readonly SupplyLine[]; held: ReadonlyMap<string, number> };
  /** Needed when the shortfall may rest on the supplier's lead time. */
  leadTime?: LeadTime;
}

/** Data a decision needs that the caller did not give (see tryDecideAvailability). */
export type MissingData = 'lead_time' | 'supply_lines';

/** Decides the state; every datum the answer depends on must be in the input. */
export function decideAvailability(input: AvailabilityInput): Availability {
  const answer = tryDecideAvailability(input);
  if ('missing' in answer) {
    throw new Error(`This availability answer needs the item's ${answer.missing}`);
  }
  return answer;
}

/**
 * Decides the state from the totals alone where they settle it, and otherwise names what
 * else is needed: the supplier lead time when the shortfall may rest on it, the supply
 * lines when a promise can be made from them and must be dated. The listings feed loads
 * those for the few items that ask and decides again; most items never need them.
 *
 * The rules are those of placing an order (src/orders/order-assessment.ts): the shortfall
 * is promised with promiseUnits from free supply in promise order, then on lead time.
 */
export function tryDecideAvailability(
  input: AvailabilityInput,
): Availability | { missing: MissingData } {
  const quantities: Quantities = {
    requested: input.requested,
    ...sumStock(input.stock),
    incoming: input.incoming ?? input.supply?.lines.reduce((s, l) => s + l.open, 0) ?? 0,
  };
  const { releaseDate: release, preordersEnabled } = input.item;
  const releaseDate = release !== null && release > input.today ? release : null;
  if (input.item.status === 'discontinued') return discontinued(quantities, input.item);
  if (releaseDate !== null && !preordersEnabled) {
    return {
      state: 'out_of_stock',
      purchasable: false,
      restock: releaseDate,
      quantities,
      reason: `Not released until ${releaseDate}, and it is not sold as a preorder`,
    };
  }
  if (releaseDate === null) {
    if (quantities.available >= quantities.requested) return sellable(quantities, input.item, '');
    if (input.item.backorderPolicy === 'none') return notBackordered(quantities, input);
  }
  return decidePromise(input, quantities, releaseDate);
}

function discontinued(quantities: Quantities, item: ItemRules): Availability {
  const { available, requested } = quantities;
  if (available >= requested) {
    return sellable(quantities, item, ' (discontinued: selling through what remains)');
  }
  return {
    state: 'discontinued',
    purchasable: false,
    restock: 'never',
    quantities,
    reason:
      available === 0
        ? 'Discontinued and sold out; it will not be restocked'
        : `Discontinued: only ${available} left for ${requested} requested; it will not be restocked`,
  };
}

function notBackordered(quantities: Quantities, input: AvailabilityInput): Availability {
  const supplyNote =
    quantities.incoming > 0
      ? `${quantities.incoming} incoming${input.nextExpectedDate ? `, next on ${input.nextExpectedDate}` : ''}`
      : null;
  return {
    state: 'out_of_stock',
    purchasable: false,
    restock: 'unknown',
    quantities,
    reason: `${shortOf(quantities)}; backorders are not allowed for this item${supplyNote ? ` (${supplyNote})` : ''}`,
  };
}

/**
 * The shortfall (or, for a preorder, the whole order) promised as placing an order would:
 * free supply (for a preorder whatever the policy, as placing an order does), then under
 * lead_time the supplier's lead time within the cap.
 */
function decidePromise(
  input: AvailabilityInput,
  quantities: Quantities,
  releaseDate: string | null,
): Availability | { missing: MissingData } {
  const { item, today } = input;
  const shortfall = Math.max(0, quantities.requested - quantities.available);
  const free = input.freeIncoming ?? (input.supply ? freeOn(input.supply) : 0);
  let room = 0;
  if (item.backorderPolicy === 'lead_time' && shortfall > free) {
    if (input.leadTime === undefined) return { missing: 'lead_time' };
    room = leadTimeRoom(item, input.leadTime);
  }
  const cannot = () => cannotPromise(input, quantities, releaseDate, free, room);
  if (shortfall > free + room) return cannot();
  if (shortfall > 0 && free > 0 && input.supply === undefined) return { missing: 'supply_lines' };

  const lead = input.leadTime ?? { supplier: null, leadTimeDays: null, held: 0 };
  const promise = promiseUnits(
    {
      supply: input.supply?.lines ?? [],
      held: input.supply?.held ?? new Map(),
      leadTimeHeld: lead.held,
      rules: {
        policy: item.backorderPolicy,
        handlingDays: item.handlingDays,
        backorderCap: item.backorderCap,
        leadTimeDays: lead.leadTimeDays,
        supplier: lead.supplier,
        releaseDate,
      },
      today,
    },
    shortfall,
  );
  if (promise.unpromised > 0) return cannot();
  const promised = { ...promise, restsOn: promise.pegs.map((peg) => basisOf(peg, lead)) };
  return releaseDate !== null
    ? preorder(quantities, releaseDate, promised)
    : backorder(quantities, item, promised);
}

function cannotPromise(
  input: AvailabilityInput,
  quantities: Quantities,
  releaseDate: string | null,
  free: number,
  room: number,
): Availability {
  const { available, requested, incoming } = quantities;
  const why = whyNot(incoming, free, input, room);
  return {
    state: 'out_of_stock',
    purchasable: false,
    restock: releaseDate ?? 'unknown',
    quantities,
    reason:
      releaseDate === null
        ? `${shortOf(quantities)}; ${why}`
        : `Preorder of ${requested}: only ${available + free + (Number.isFinite(room) ? room : 0)} can be promised by the release on ${releaseDate}; ${why}`,
  };
}

interface Promised {
  promisedDate: string | null;
  confidence: Confidence | null;
  restsOn: PromiseBasis[];
}

function preorder(quantities: Quantities, releaseDate: string, promised: Promised): Availability {
  const { available, requested } = quantities;
  const shortfall = Math.max(0, requested - available);
  // Nothing short: the units are in stock and ship on the release date, as placing does.
  const date = promised.promisedDate ?? releaseDate;
  return {
    state: 'preorder',
    purchasable: true,
    releaseDate,
    ...(date > releaseDate && { expectedDate: date }),
    confidence: promised.confidence ?? 'confirmed',
    restsOn: promised.restsOn,
    quantities,
    reason:
      shortfall === 0
        ? `Preorder: released on ${releaseDate}; ${available} available for ${requested} requested`
        : `Preorder: released on ${releaseDate}, promised for ${date}; ${available} available, ${shortfall} from ${describePromise(promised.restsOn)}`,
  };
}

function backorder(quantities: Quantities, item: ItemRules, promised: Promised): Availability {
  const shortfall = Math.max(0, quantities.requested - quantities.available);
  const date = promised.promisedDate!;
  return {
    state: 'backorder',
    purchasable: true,
    expectedDate: date,
    confidence: promised.confidence!,
    restsOn: promised.restsOn,
    quantities,
    reason: `${shortOf(quantities)}; ${shortfall} can be backordered for ${date}: ${describePromise(promised.restsOn)}${
      item.handlingDays > 0
        ? `, plus ${item.handlingDays} handling day${item.handlingDays === 1 ? '' : 's'}`
        : ''
    }`,
  };
}

/** Units of supply not held by earlier backorders, line by line. */
function freeOn(supply: NonNullable<AvailabilityInput['supply']>): number {
  return supply.lines.reduce(
    (sum, line) => sum + Math.max(0, line.open - (supply.held.get(supplyKey(line.source)) ?? 0)),
    0,
  );
}

/** How many more units the lead time may carry (promiseUnits' cap rule). */
function leadTimeRoom(item: ItemRules, lead: LeadTime): number {
  if (lead.leadTimeDays === null) return 0;
  if (item.backorderCap === null) return Number.POSITIVE_INFINITY;
  return Math.max(0, item.backorderCap - lead.held);
}

function whyNot(incoming: number, free: number, input: AvailabilityInput, room: number): string {
  const next = input.nextExpectedDate ? ` (next on ${input.nextExpectedDate})` : '';
  let supply: string;
  if (incoming === 0) supply = 'no incoming supply to promise from';
  else if (free === 0) {
    supply = `the ${incoming} incoming${next} are all promised to earlier orders`;
  } else if (free >= incoming) supply = `only ${incoming} incoming${next} to promise from`;
  else {
    supply = `only ${free} of the ${incoming} incoming${next} are not yet promised to earlier orders`;
  }
  if (input.item.backorderPolicy !== 'lead_time' || input.leadTime === undefined) return supply;
  const { leadTimeDays, held } = input.leadTime;
  const cap = input.item.backorderCap;
  if (leadTimeDays === null) return `${supply}, and no supplier lead time to promise on`;
  return room === 0
    ? `${supply}, and the lead-time backorder cap of ${cap} is reached (${held} promised)`
    : `${supply}, and only ${room} more can be promised on lead time (cap ${cap}, ${held} promised)`;
}

function sellable(quantities: Quantities, item: ItemRules, note: string): Availability {
  const { available, requested } = quantities;
  const low = available <= item.lowStockThreshold;
  return {
    state: low ? 'low_stock' : 'in_stock',
    purchasable: true,
    quantities,
    reason: low
      ? `${available} available for ${requested} requested, at or below the low-stock threshold of ${item.lowStockThreshold}${note}`
      : `${available} available for ${requested} requested${note}`,
  };
}

function shortOf({ available, requested }: Quantities): string {
  return `${available === 0 ? 'None' : `Only ${available}`} available for ${requested} requested`;
}
