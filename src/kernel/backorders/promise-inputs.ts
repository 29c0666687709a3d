import type { Db } from '../../db/schema.js';
import type { PromiseRules } from '../../domain/promising.js';
import type { SupplyLine } from '../../domain/supply.js';
import { supplyLinesOf } from '../supply/incoming-supply.js';
import type { ItemPromiseRow } from './promise.repository.js';
import { bestLeadTime, readPromiseInputs } from './promise-inputs.repository.js';

/** What a promise for an item is made from, as read at one moment (DESIGN section 4). */
export interface PromiseInputs {
  /** Open supply due at the locations, in promise order. */
  lines: SupplyLine[];
  /** What earlier backorders hold: units of each supply (supplyKey), and on lead time. */
  promised: { held: Map<string, number>; leadTime: number };
  rules: Omit<PromiseRules, 'releaseDate'>;
}

/** An item's promise inputs at the given locations, in one statement. */
export async function promiseInputs(
  db: Db,
  item: ItemPromiseRow,
  locationIds: readonly number[],
): Promise<PromiseInputs> {
  const rows = await readPromiseInputs(db, item.id, locationIds);
  return {
    lines: supplyLinesOf(rows.orderLines, rows.transfers),
    promised: { held: rows.promised, leadTime: rows.leadTimePromised },
    rules: rulesOf(item, bestLeadTime(rows.suppliers)),
  };
}

/** The item's promise rules, with the lead time of the supplier promises rest on. */
export function rulesOf(
  item: ItemPromiseRow,
  lead: { supplier: string; leadTimeDays: number } | undefined,
): Omit<PromiseRules, 'releaseDate'> {
  return {
    policy: item.backorder_policy,
    handlingDays: item.handling_days,
    backorderCap: item.backorder_cap,
    leadTimeDays: lead?.leadTimeDays ?? null,
    supplier: lead?.supplier ?? null,
  };
}
