/**
 * Availability rules (DESIGN section 3): pure functions from quantities and item rules to
 * a state that explains itself. No I/O and no clock: `today` is a parameter.
 */

export type AvailabilityState =
  | 'in_stock'
  | 'low_stock'
  | 'backorder'
  | 'preorder'
  | 'out_of_stock'
  | 'discontinued';

export type BackorderPolicy = 'none' | 'incoming' | 'lead_time';
export type Confidence = 'confirmed' | 'estimated';

export interface ItemRules {
  status: 'active' | 'discontinued';
  lowStockThreshold: number;
  backorderPolicy: BackorderPolicy;
  /** ISO date; an item is not sold before it. */
  releaseDate: string | null;
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

/** What a promise rests on: a purchase-order line, a transfer, or the supplier's lead time. */
export type PromiseBasis =
  | { kind: 'purchase_order'; purchaseOrderId: number; lineId: number; quantity: number }
  | { kind: 'transfer'; transferId: number; quantity: number }
  | { kind: 'lead_time'; supplier: string; leadTimeDays: number };

interface Common {
  quantities: Quantities;
  reason: string;
}

export type Availability =
  | (Common & { state: 'in_stock' | 'low_stock'; purchasable: true })
  | (Common & {
      state: 'backorder';
      purchasable: true;
      expectedDate: string;
      confidence: Confidence;
      restsOn: PromiseBasis[];
    })
  | (Common & { state: 'preorder'; purchasable: true; releaseDate: string })
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

export interface AvailabilityInput {
  item: ItemRules;
  stock: readonly LocationStock[];
  requested: number;
  /** ISO date (YYYY-MM-DD) in the zone the answer is for. */
  today: string;
  /** Open supply due at these locations (see src/domain/supply.ts). */
  incoming?: number;
  /** The earliest date any of that supply is due (ISO date), to explain the answer. */
  nextExpectedDate?: string | null;
}

export function decideAvailability(input: AvailabilityInput): Availability {
  const { item, requested, today } = input;
  const quantities: Quantities = {
    requested,
    ...sumStock(input.stock),
    incoming: input.incoming ?? 0,
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

  if (item.releaseDate !== null && item.releaseDate > today) {
    return {
      state: 'out_of_stock',
      purchasable: false,
      restock: item.releaseDate,
      quantities,
      reason: `Not released until ${item.releaseDate}`,
    };
  }

  if (enough) return sellable(quantities, item, '');

  // Until backorders are taken, incoming supply explains the answer but does not change it.
  const supply =
    quantities.incoming > 0
      ? `${quantities.incoming} incoming${input.nextExpectedDate ? `, next on ${input.nextExpectedDate}` : ''}`
      : null;
  return {
    state: 'out_of_stock',
    purchasable: false,
    restock: 'unknown',
    quantities,
    reason: `${available === 0 ? 'None' : `Only ${available}`} available for ${requested} requested; ${
      item.backorderPolicy === 'none'
        ? `backorders are not allowed for this item${supply ? ` (${supply})` : ''}`
        : (supply ?? 'no incoming supply to promise from')
    }`,
  };
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
