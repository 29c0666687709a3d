/**
 * Availability rules (DESIGN section 3): pure functions from quantities and item rules to
 * a state that explains itself. No I/O and no clock: `today` is a parameter.
 */

import type { BackorderPolicy, Confidence } from './item-rules.js';
import { type Peg, promiseUnits } from './promising.js';
import { type SupplyLine, supplyKey } from './supply.js';

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

/**
 * What a promise rests on: a purchase-order line, a transfer, or the supplier's lead time,
 * with the units and the date each brings. The same shape as an order line's promise, so
 * what availability says and what placing the order promises read alike.
 */
export type PromiseBasis =
  | {
      kind: 'purchase_order';
      purchaseOrderId: number;
      lineId: number;
      supplier: string;
      location: string;
      quantity: number;
      expectedDate: string;
      confidence: Confidence;
    }
  | {
      kind: 'transfer';
      transferId: number;
      from: string;
      location: string;
      quantity: number;
      expectedDate: string;
      confidence: Confidence;
    }
  | {
      kind: 'lead_time';
      supplier: string | null;
      leadTimeDays: number | null;
      quantity: number;
      expectedDate: string;
      confidence: 'estimated';
    };

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
  const { item, requested, today } = input;
  const quantities: Quantities = {
    requested,
    ...sumStock(input.stock),
    incoming: input.incoming ?? input.supply?.lines.reduce((s, l) => s + l.open, 0) ?? 0,
  };
  const { available } = quantities;
  const enough = available >= requested;

  if (item.status === 'discontinued') {
    if (enough) return sellable(quantities, item, ' (discontinued: selling through what remains)');
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

  const releaseDate =
    item.releaseDate !== null && item.releaseDate > today ? item.releaseDate : null;
  if (releaseDate !== null && !item.preordersEnabled) {
    return {
      state: 'out_of_stock',
      purchasable: false,
      restock: releaseDate,
      quantities,
      reason: `Not released until ${releaseDate}, and it is not sold as a preorder`,
    };
  }
  if (releaseDate === null && enough) return sellable(quantities, item, '');

  const supplyNote =
    quantities.incoming > 0
      ? `${quantities.incoming} incoming${input.nextExpectedDate ? `, next on ${input.nextExpectedDate}` : ''}`
      : null;
  const short = `${available === 0 ? 'None' : `Only ${available}`} available for ${requested} requested`;
  if (releaseDate === null && item.backorderPolicy === 'none') {
    return {
      state: 'out_of_stock',
      purchasable: false,
      restock: 'unknown',
      quantities,
      reason: `${short}; backorders are not allowed for this item${supplyNote ? ` (${supplyNote})` : ''}`,
    };
  }

  // What can be promised: free supply (for a preorder whatever the policy, as placing an
  // order does), then under lead_time the supplier's lead time within the cap.
  const shortfall = Math.max(0, requested - available);
  const free = input.freeIncoming ?? (input.supply ? freeOn(input.supply) : 0);
  let room = 0;
  if (item.backorderPolicy === 'lead_time' && shortfall > free) {
    if (input.leadTime === undefined) return { missing: 'lead_time' };
    room = leadTimeRoom(item, input.leadTime);
  }
  const cannot = (): Availability => ({
    state: 'out_of_stock',
    purchasable: false,
    restock: releaseDate ?? 'unknown',
    quantities,
    reason:
      releaseDate === null
        ? `${short}; ${whyNot(quantities.incoming, free, input, room)}`
        : `Preorder of ${requested}: only ${available + free + (Number.isFinite(room) ? room : 0)} can be promised by the release on ${releaseDate}; ${whyNot(quantities.incoming, free, input, room)}`,
  });
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
  const restsOn = promise.pegs.map((peg) => basisOf(peg, lead));

  if (releaseDate !== null) {
    // Nothing short: the units are in stock and ship on the release date, as placing does.
    const date = promise.promisedDate ?? releaseDate;
    return {
      state: 'preorder',
      purchasable: true,
      releaseDate,
      ...(date > releaseDate && { expectedDate: date }),
      confidence: promise.confidence ?? 'confirmed',
      restsOn,
      quantities,
      reason:
        shortfall === 0
          ? `Preorder: released on ${releaseDate}; ${available} available for ${requested} requested`
          : `Preorder: released on ${releaseDate}, promised for ${date}; ${available} available, ${shortfall} from ${describe(restsOn)}`,
    };
  }
  const date = promise.promisedDate!;
  return {
    state: 'backorder',
    purchasable: true,
    expectedDate: date,
    confidence: promise.confidence!,
    restsOn,
    quantities,
    reason: `${short}; ${shortfall} can be backordered for ${date}: ${describe(restsOn)}${
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

export function basisOf(peg: Peg, lead: Pick<LeadTime, 'supplier' | 'leadTimeDays'>): PromiseBasis {
  if (peg.kind === 'lead_time') {
    return {
      kind: 'lead_time',
      supplier: lead.supplier,
      leadTimeDays: lead.leadTimeDays,
      quantity: peg.quantity,
      expectedDate: peg.expectedDate,
      confidence: 'estimated',
    };
  }
  const common = {
    location: peg.location,
    quantity: peg.quantity,
    expectedDate: peg.expectedDate,
    confidence: peg.confidence,
  };
  return peg.source.kind === 'purchase_order'
    ? {
        kind: 'purchase_order',
        purchaseOrderId: peg.source.purchaseOrderId,
        lineId: peg.source.lineId,
        supplier: peg.source.supplier,
        ...common,
      }
    : { kind: 'transfer', transferId: peg.source.transferId, from: peg.source.from, ...common };
}

/** "4 on purchase order 7 due 2026-12-01 and 2 on ACME's 10-day lead time". */
function describe(restsOn: readonly PromiseBasis[]): string {
  return restsOn
    .map((b) => {
      if (b.kind === 'purchase_order') {
        return `${b.quantity} on purchase order ${b.purchaseOrderId} due ${b.expectedDate} (${b.confidence})`;
      }
      if (b.kind === 'transfer') {
        return `${b.quantity} on transfer ${b.transferId} due ${b.expectedDate}`;
      }
      return `${b.quantity} on ${b.supplier}'s ${b.leadTimeDays}-day lead time`;
    })
    .join(' and ');
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
