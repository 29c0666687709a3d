import { jsonArrayFrom as pgJsonArrayFrom } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArrayFrom } from 'kysely/helpers/sqlite';
import { isPostgres } from '../../db/dialect.js';
import { preparedQuery } from '../../db/prepared.js';
import type { Db } from '../../db/schema.js';
import { chooseLeadTime } from '../../domain/promising.js';
import {
  type PurchaseOrderSupplyRow,
  purchaseOrderSupplyQuery,
  type SupplierLeadTimeRow,
  supplierLeadTimesQuery,
  type TransferSupplyRow,
  transferSupplyQuery,
} from '../supply/supply.repository.js';

/**
 * What a promise for one item rests on, read in one statement: its open supply due at
 * the locations, the units earlier backorders hold of each supply, its lead-time promises
 * and its suppliers' lead times. A quote, and a batch placing a backorder, read it once
 * per item; as six statements it was six round trips on PostgreSQL and six query builds
 * (bench/README.md, "Promise inputs in one statement").
 */

export interface PromiseInputRows {
  orderLines: PurchaseOrderSupplyRow[];
  transfers: TransferSupplyRow[];
  /** Units pegged to each supply of the item, wherever it is due, keyed like supplyKey(). */
  promised: Map<string, number>;
  /** Units pegged to the supplier's lead time (item_promises). */
  leadTimePromised: number;
  suppliers: SupplierLeadTimeRow[];
}

/** The item's supplies of one kind that earlier backorders hold units of, wherever due. */
function promisedOn(db: Db, table: 'purchase_order_lines' | 'transfers', itemId: number) {
  return db
    .selectFrom(table)
    .select(['id', 'quantity_promised'])
    .where('item_id', '=', itemId)
    .where('quantity_promised', '>', 0);
}

const promiseInputs = preparedQuery((db, p: { itemId: number; locationIds: readonly number[] }) => {
  // Each list is a JSON array in one column: json_agg on PostgreSQL, json_group_array on SQLite.
  const jsonArrayFrom = isPostgres(db) ? pgJsonArrayFrom : sqliteJsonArrayFrom;
  const scope = { firstItemId: p.itemId, lastItemId: p.itemId, locationIds: p.locationIds };
  return db.selectNoFrom((eb) => [
    jsonArrayFrom(purchaseOrderSupplyQuery(db, scope)).as('order_lines'),
    jsonArrayFrom(transferSupplyQuery(db, scope)).as('transfers'),
    jsonArrayFrom(promisedOn(db, 'purchase_order_lines', p.itemId)).as('promised_lines'),
    jsonArrayFrom(promisedOn(db, 'transfers', p.itemId)).as('promised_transfers'),
    eb
      .selectFrom('item_promises')
      .select('lead_time_promised')
      .where('item_id', '=', p.itemId)
      .as('lead_time_promised'),
    jsonArrayFrom(supplierLeadTimesQuery(db, [p.itemId])).as('suppliers'),
  ]);
});

/** SQLite hands the JSON arrays back as text; PostgreSQL's driver has already parsed them. */
const parsed = <T>(value: T[] | string): T[] =>
  typeof value === 'string' ? (JSON.parse(value) as T[]) : value;

export async function readPromiseInputs(
  db: Db,
  itemId: number,
  locationIds: readonly number[],
): Promise<PromiseInputRows> {
  // No location matches -1: a channel without locations has no supply due, as before.
  const [row] = await promiseInputs(db, {
    itemId,
    locationIds: locationIds.length > 0 ? locationIds : [-1],
  });
  if (!row) throw new Error('a SELECT without FROM returns one row');
  return {
    orderLines: parsed(row.order_lines),
    transfers: parsed(row.transfers),
    promised: new Map([
      ...parsed(row.promised_lines).map((l) => [`po_line:${l.id}`, l.quantity_promised] as const),
      ...parsed(row.promised_transfers).map(
        (t) => [`transfer:${t.id}`, t.quantity_promised] as const,
      ),
    ]),
    leadTimePromised: row.lead_time_promised ?? 0,
    suppliers: parsed(row.suppliers),
  };
}

/**
 * The supplier whose lead time promises rest on: the preferred one, else the quickest
 * supplier that sells the item. Undefined when nobody supplies it.
 */
export async function findItemLeadTime(
  db: Db,
  itemId: number,
): Promise<{ supplier: string; leadTimeDays: number } | undefined> {
  return bestLeadTime(await supplierLeadTimesQuery(db, [itemId]).execute());
}

export function bestLeadTime(
  rows: readonly SupplierLeadTimeRow[],
): { supplier: string; leadTimeDays: number } | undefined {
  const best = chooseLeadTime(
    rows.map((r) => ({
      supplier: r.supplier,
      preferred: r.preferred,
      leadTimeDays: r.lead_time_days,
    })),
  );
  return best && { supplier: best.supplier, leadTimeDays: best.leadTimeDays };
}
