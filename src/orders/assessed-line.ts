import { type AvailabilityState, basisOf as basisOfPeg } from '../domain/availability.js';
import type { LinePromise, Peg } from '../domain/promising.js';
import type { ItemPromiseRow } from '../kernel/backorders/promise.repository.js';
import type { PromiseBasis } from './orders.schemas.js';

/** A line of a prospective order, its SKU resolved to an item. */
export interface LineRequest {
  sku: string;
  itemId: number;
  quantity: number;
  acceptBackorder: boolean;
}

export type Outcome = 'in_stock' | 'backorder' | 'preorder' | 'refused';

/**
 * What a line would do right now: units from stock (and from where), a backorder or
 * preorder promise (and what it rests on), or a refusal with the state that explains it.
 */
export interface AssessedLine {
  request: LineRequest;
  item: ItemPromiseRow;
  outcome: Outcome;
  state: AvailabilityState;
  reason: string;
  available: number;
  incoming: number;
  takes: { locationId: number; location: string; quantity: number }[];
  /** Set when the shortfall can be promised (whether or not the line accepts it). */
  promise: (LinePromise & { quantity: number }) | null;
  preorder: boolean;
  supplier: { code: string | null; leadTimeDays: number | null };
}

/** What a line's promise rests on, in the words availability uses. */
export function basisOf(peg: Peg, supplier: AssessedLine['supplier']): PromiseBasis {
  return basisOfPeg(peg, { supplier: supplier.code, leadTimeDays: supplier.leadTimeDays });
}
