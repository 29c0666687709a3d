import { isPostgres } from '../db/dialect.js';
import { reservedLessExpiredHolds } from '../db/held-units.js';
import { preparedQuery } from '../db/prepared.js';
import type { Db } from '../db/schema.js';
import { GroupCommit, type GroupCommitStats } from '../kernel/group-commit/group-commit.js';
import {
  type SupplierLeadTimeRow,
  supplierLeadTimesQuery,
  supplyTotalsQuery,
} from '../kernel/supply/supply.repository.js';

import { groupBy } from '../shared/group-by.js';

/** Reads for availability: only the columns the rules need, in item-id order. */

export interface ItemRulesRow {
  id: number;
  sku: string;
  name: string;
  status: 'active' | 'discontinued';
  release_date: string | null;
  backorder_policy: 'none' | 'incoming' | 'lead_time';
  low_stock_threshold: number;
  preorders_enabled: number;
  handling_days: number;
  backorder_cap: number | null;
}

export interface StockQuantitiesRow {
  item_id: number;
  location_id: number;
  on_hand: number;
  reserved: number;
  safety_stock: number;
}

/** The item columns availability is decided from (ItemRulesRow). */
export const ITEM_RULE_COLUMNS = [
  'id',
  'sku',
  'name',
  'status',
  'release_date',
  'backorder_policy',
  'low_stock_threshold',
  'preorders_enabled',
  'handling_days',
  'backorder_cap',
] as const;

export function itemBatch(
  db: Db,
  filter: { afterId: number; limit: number; skus?: readonly string[] },
): Promise<ItemRulesRow[]> {
  let query = db
    .selectFrom('items')
    .select(ITEM_RULE_COLUMNS)
    .where('id', '>', filter.afterId)
    .orderBy('id')
    .limit(filter.limit);
  if (filter.skus !== undefined) query = query.where('sku', 'in', filter.skus);
  return query.execute();
}

/**
 * Stock of the items with ids in [firstId, lastId] at the given locations. A range on the
 * primary key rather than an IN list keeps the statement small for thousand-item pages.
 */
export function stockForItemRange(
  db: Db,
  firstId: number,
  lastId: number,
  locationIds: readonly number[],
  now: string,
): Promise<StockQuantitiesRow[]> {
  if (locationIds.length === 0) return Promise.resolve([]);
  return stockInRange(db, { firstId, lastId, locationIds, now });
}

// Prepared (src/db/prepared.ts). Units of holds lapsed by `now` are not reserved
// (src/db/held-units.ts): the same statement.
const stockColumns = (now: string) =>
  [
    'stock.item_id',
    'stock.location_id',
    'stock.on_hand',
    reservedLessExpiredHolds(now).as('reserved'),
    'stock.safety_stock',
  ] as const;

const stockInRange = preparedQuery(
  (db, p: { firstId: number; lastId: number; locationIds: readonly number[]; now: string }) =>
    db
      .selectFrom('stock')
      .select(stockColumns(p.now))
      .where('item_id', '>=', p.firstId)
      .where('item_id', '<=', p.lastId)
      .where('location_id', 'in', p.locationIds),
);

/**
 * A single-item look-up (itemLookup's rows): the item, its stock rows at the locations,
 * and its open-supply totals if anything is open; no item if the SKU is unknown.
 */
export async function lookUpItem(
  db: Db,
  p: { sku: string; locationIds: readonly number[]; now: string },
): Promise<{
  item: ItemRulesRow | undefined;
  stockRows: StockQuantitiesRow[];
  totals: { total: number; free: number; nextExpectedDate: string | null } | undefined;
}> {
  const rows = await lookupRows(db, p);
  const first = rows[0];
  if (!first) return { item: undefined, stockRows: [], totals: undefined };
  const item = Object.fromEntries(
    ITEM_RULE_COLUMNS.map((column) => [column, first[column]]),
  ) as unknown as ItemRulesRow;
  const stockRows = rows.flatMap((r) =>
    r.location_id === null
      ? []
      : [
          {
            item_id: first.id,
            location_id: r.location_id,
            on_hand: r.on_hand!,
            reserved: r.reserved!,
            safety_stock: r.safety_stock!,
          },
        ],
  );
  const totals =
    first.total === null
      ? undefined
      : {
          // PostgreSQL sums integers as numeric (src/kernel/supply/supply.repository.ts).
          total: Number(first.total),
          free: Number(first.free),
          nextExpectedDate: first.next_expected_date,
        };
  return { item, stockRows, totals };
}

type LookupRow = Awaited<ReturnType<typeof itemLookup>>[number];

/**
 * A single-item look-up's reads in one statement: the item by SKU, its stock at the given
 * locations (a row each) and its open-supply totals, which the listings feed reads with
 * three range statements per batch. One round trip instead of three is what a look-up
 * costs most on PostgreSQL (bench/README.md). No rows: no such SKU.
 */
export const itemLookup = preparedQuery(
  (db, p: { sku: string; locationIds: readonly number[]; now: string }) =>
    lookupQuery(db, { sku: p.sku }, p.locationIds, p.now),
);

/** itemLookup for several SKUs at once: each item's rows together, in location order. */
export const itemsLookup = preparedQuery(
  (db, p: { skus: readonly string[]; locationIds: readonly number[]; now: string }) =>
    lookupQuery(db, { skus: p.skus }, p.locationIds, p.now),
);

function lookupQuery(
  db: Db,
  of: { sku: string } | { skus: readonly string[] },
  locationIds: readonly number[],
  now: string,
) {
  return (
    db
      .selectFrom('items')
      .leftJoin('stock', (join) =>
        join.onRef('stock.item_id', '=', 'items.id').on('stock.location_id', 'in', locationIds),
      )
      // One item's totals are its own already: joined on true, SQLite needs no index on them.
      .leftJoin(supplyTotalsQuery(db, of, locationIds).as('totals'), (join) =>
        'sku' in of ? join.onTrue() : join.onRef('totals.item_id', '=', 'items.id'),
      )
      .select(ITEM_RULE_COLUMNS.map((column) => `items.${column}` as const))
      .select([
        'stock.location_id',
        'stock.on_hand',
        reservedLessExpiredHolds(now).as('reserved'),
        'stock.safety_stock',
        'totals.total',
        'totals.free',
        'totals.next_expected_date',
      ])
      .$if('sku' in of, (qb) => qb.where('items.sku', '=', (of as { sku: string }).sku))
      .$if('skus' in of, (qb) =>
        qb.where('items.sku', 'in', (of as { skus: readonly string[] }).skus).orderBy('items.id'),
      )
      .orderBy('stock.location_id')
  );
}

/**
 * On PostgreSQL, look-ups that arrive while two look-up statements are out wait and go
 * together in the next, one statement for all of them (a GroupCommit of reads): each
 * look-up was a round trip of its own, and the round trips were most of a look-up's cost
 * there (bench/README.md, "Look-ups that share a round trip"). Each still reads after it
 * arrived, so it sees every change committed before it. SQLite answers in the calling
 * thread with no round trip to share, and a transaction has one connection of its own:
 * both keep the single statement.
 */
const lookups = new WeakMap<Db, GroupCommit<LookupParams, LookupRow[]>>();

type LookupParams = { sku: string; locationIds: readonly number[]; now: string };

function lookupRows(db: Db, p: LookupParams): Promise<LookupRow[]> {
  if (!isPostgres(db) || db.isTransaction) return itemLookup(db, p);
  let batcher = lookups.get(db);
  if (!batcher) {
    batcher = new GroupCommit((batch) => lookUpTogether(db, batch), LOOKUP_BATCHES);
    lookups.set(db, batcher);
  }
  return batcher.submit(p);
}

/** Two statements out at once, so one slow read does not hold every other look-up back. */
const LOOKUP_BATCHES = { maxBatch: 32, maxWaitMs: 0, maxInFlight: 2 };

/** How look-ups on this database have been batched so far; undefined if never. */
export function lookupBatchStats(db: Db): GroupCommitStats | undefined {
  return lookups.get(db)?.stats;
}

/** A statement per set of locations asked about (usually one), read as of the latest `now`. */
async function lookUpTogether(db: Db, batch: readonly LookupParams[]): Promise<LookupRow[][]> {
  const byLocations = groupBy(batch, (p) => p.locationIds.join(','));
  const rowsBySku = new Map<string, Map<string, LookupRow[]>>();
  for (const [key, group] of byLocations) {
    const rows = await itemsLookup(db, {
      skus: [...new Set(group.map((p) => p.sku))],
      locationIds: group[0]!.locationIds,
      now: group
        .map((p) => p.now)
        .sort()
        .at(-1)!,
    });
    rowsBySku.set(
      key,
      groupBy(rows, (row) => row.sku),
    );
  }
  return batch.map((p) => rowsBySku.get(p.locationIds.join(','))?.get(p.sku) ?? []);
}

const itemBySku = preparedQuery((db, p: { sku: string }) =>
  db.selectFrom('items').select(ITEM_RULE_COLUMNS).where('sku', '=', p.sku),
);

/** The item a single look-up is for, by SKU, with the columns the rules read. */
export async function itemRulesBySku(db: Db, sku: string): Promise<ItemRulesRow | undefined> {
  return (await itemBySku(db, { sku }))[0];
}

/** The few items of a feed batch whose shortfall may rest on lead time: their suppliers. */
export function supplierLeadTimes(
  db: Db,
  itemIds: readonly number[],
): Promise<SupplierLeadTimeRow[]> {
  if (itemIds.length === 0) return Promise.resolve([]);
  return supplierLeadTimesQuery(db, itemIds).execute();
}

/**
 * Lead-time units promised per item (pegs on no supply): what the backorder cap counts.
 * Read from the items' running totals (item_promises), not summed over their queues.
 */
export async function leadTimePromised(
  db: Db,
  itemIds: readonly number[],
): Promise<Map<number, number>> {
  if (itemIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('item_promises')
    .select(['item_id', 'lead_time_promised'])
    .where('item_id', 'in', itemIds)
    .where('lead_time_promised', '>', 0)
    .execute();
  return new Map(rows.map((row) => [row.item_id, row.lead_time_promised]));
}
