import { type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { preparedQuery } from '../../db/prepared.js';
import type { DB, Db } from '../../db/schema.js';
import type { Confidence } from '../../domain/item-rules.js';
import { OPEN_STATES } from '../../domain/purchase-order-lifecycle.js';
import { OPEN_TRANSFER_STATES } from '../../domain/transfer-lifecycle.js';

/**
 * Reads of open supply: purchase-order lines of orders that are out with the supplier
 * and still bring something, and transfers on their way. Items are chosen by an id
 * range (one item is the range [id, id]), so the listings feed asks once per batch.
 */

export interface SupplyScope {
  firstItemId: number;
  lastItemId: number;
  /** Destinations to count; an empty list matches nothing. */
  locationIds: readonly number[];
  /** Only these items of the range (the few of a batch that need their lines). */
  itemIds?: readonly number[];
}

export interface PurchaseOrderSupplyRow {
  item_id: number;
  location_id: number;
  location: string;
  purchase_order_id: number;
  line_id: number;
  supplier: string;
  expected_date: string;
  confidence: Confidence;
  quantity_ordered: number;
  quantity_received: number;
  quantity_cancelled: number;
  /** Units pegged to earlier backorders. */
  quantity_promised: number;
}

export interface TransferSupplyRow {
  item_id: number;
  location_id: number;
  location: string;
  transfer_id: number;
  from: string;
  expected_date: string;
  quantity: number;
  quantity_received: number;
  /** Units pegged to earlier backorders. */
  quantity_promised: number;
}

type LineExpressions = ExpressionBuilder<DB & { line: DB['purchase_order_lines'] }, 'line'>;
type TransferExpressions = ExpressionBuilder<DB, 'transfers'>;

/** What a line still brings: ordered − received − cancelled (over-receipts go negative). */
const openOnLine = (eb: LineExpressions) =>
  eb(
    eb('line.quantity_ordered', '-', eb.ref('line.quantity_received')),
    '-',
    eb.ref('line.quantity_cancelled'),
  );

/** Units of a transfer not yet received. */
const inTransit = (eb: TransferExpressions) =>
  eb('transfers.quantity', '-', eb.ref('transfers.quantity_received'));

/** Open lines of sent, confirmed or partly received orders due at the locations. */
export function openPurchaseOrderSupply(
  db: Db,
  scope: SupplyScope,
): Promise<PurchaseOrderSupplyRow[]> {
  if (scope.locationIds.length === 0) return Promise.resolve([]);
  return purchaseOrderSupplyQuery(db, scope).execute();
}

/** openPurchaseOrderSupply's statement, for a caller that nests it in its own. */
export function purchaseOrderSupplyQuery(db: Db, scope: SupplyScope) {
  return db
    .selectFrom('purchase_order_lines as line')
    .innerJoin('purchase_orders as po', 'po.id', 'line.purchase_order_id')
    .innerJoin('suppliers', 'suppliers.id', 'po.supplier_id')
    .innerJoin('locations', 'locations.id', 'po.location_id')
    .select([
      'line.item_id',
      'po.location_id',
      'locations.code as location',
      'po.id as purchase_order_id',
      'line.id as line_id',
      'suppliers.code as supplier',
      'line.expected_date',
      'line.confidence',
      'line.quantity_ordered',
      'line.quantity_received',
      'line.quantity_cancelled',
      'line.quantity_promised',
    ])
    .where('line.item_id', '>=', scope.firstItemId)
    .where('line.item_id', '<=', scope.lastItemId)
    .$if(scope.itemIds !== undefined, (qb) => qb.where('line.item_id', 'in', scope.itemIds!))
    .where('po.state', 'in', OPEN_STATES)
    .where('po.location_id', 'in', scope.locationIds)
    .where((eb) => eb(openOnLine(eb), '>', 0));
}

/** Transfers on their way to the locations, with units still to arrive. */
export function openTransferSupply(db: Db, scope: SupplyScope): Promise<TransferSupplyRow[]> {
  if (scope.locationIds.length === 0) return Promise.resolve([]);
  return transferSupplyQuery(db, scope).execute();
}

/** openTransferSupply's statement, for a caller that nests it in its own. */
export function transferSupplyQuery(db: Db, scope: SupplyScope) {
  return db
    .selectFrom('transfers')
    .innerJoin('locations as source', 'source.id', 'transfers.from_location_id')
    .innerJoin('locations as target', 'target.id', 'transfers.to_location_id')
    .select((eb) => [
      'transfers.item_id',
      'transfers.to_location_id as location_id',
      'target.code as location',
      'transfers.id as transfer_id',
      'source.code as from',
      // Never null in transit; the column is nullable for immediate moves only.
      eb.ref('transfers.expected_date').$notNull().as('expected_date'),
      'transfers.quantity',
      'transfers.quantity_received',
      'transfers.quantity_promised',
    ])
    .where('transfers.item_id', '>=', scope.firstItemId)
    .where('transfers.item_id', '<=', scope.lastItemId)
    .$if(scope.itemIds !== undefined, (qb) => qb.where('transfers.item_id', 'in', scope.itemIds!))
    .where('transfers.state', 'in', OPEN_TRANSFER_STATES)
    .where('transfers.to_location_id', 'in', scope.locationIds)
    .where((eb) => eb(inTransit(eb), '>', 0));
}

export interface SupplyTotalsRow {
  item_id: number;
  total: number;
  /** Of total, the units not pegged to earlier backorders (open − promised, line by line). */
  free: number;
  next_expected_date: string | null;
}

/**
 * Open supply per item in one grouped statement over both sources: the units still to
 * come, those of them earlier backorders have not pegged, and the earliest date any of
 * them is due. The listings feed runs it once per batch of items.
 */
export async function openSupplyTotals(db: Db, scope: SupplyScope): Promise<SupplyTotalsRow[]> {
  if (scope.locationIds.length === 0) return [];
  const { firstItemId, lastItemId, locationIds } = scope;
  const rows = await supplyTotals(db, { firstItemId, lastItemId, locationIds });
  // PostgreSQL sums integers as numeric: the driver hands them over as numbers already,
  // but say so here rather than trust it silently.
  return rows.map((row) => ({
    item_id: row.item_id,
    total: Number(row.total),
    free: Number(row.free),
    next_expected_date: row.next_expected_date,
  }));
}

/** Prepared (src/db/prepared.ts): the listings feed runs it once per batch. */
const supplyTotals = preparedQuery((db, scope: Omit<SupplyScope, 'itemIds'>) =>
  supplyTotalsQuery(
    db,
    { firstItemId: scope.firstItemId, lastItemId: scope.lastItemId },
    scope.locationIds,
  ),
);

/** The items supply totals are for: an id range (a feed batch), or items by SKU. */
export type TotalsOf =
  | { firstItemId: number; lastItemId: number }
  | { sku: string }
  | { skus: readonly string[] };

/**
 * Open supply summed per item (openSupplyTotals), as a query another can join: a
 * single-item look-up reads the item, its stock and these totals in one statement.
 */
export function supplyTotalsQuery(db: Db, of: TotalsOf, locationIds: readonly number[]) {
  const itemsOf = (column: 'line.item_id' | 'transfers.item_id') =>
    'sku' in of
      ? sql<SqlBool>`${sql.ref(column)} = (select items.id from items where items.sku = ${of.sku})`
      : 'skus' in of
        ? sql<SqlBool>`${sql.ref(column)} in (select items.id from items where items.sku in (${sql.join(of.skus)}))`
        : sql<SqlBool>`${sql.ref(column)} between ${of.firstItemId} and ${of.lastItemId}`;
  const fromOrders = db
    .selectFrom('purchase_order_lines as line')
    .innerJoin('purchase_orders as po', 'po.id', 'line.purchase_order_id')
    .select((eb) => [
      'line.item_id as item_id',
      openOnLine(eb).as('open'),
      'line.quantity_promised as promised',
      'line.expected_date as expected_date',
    ])
    .where(itemsOf('line.item_id'))
    .where('po.state', 'in', OPEN_STATES)
    .where('po.location_id', 'in', locationIds)
    .where((eb) => eb(openOnLine(eb), '>', 0));
  const fromTransfers = db
    .selectFrom('transfers')
    .select((eb) => [
      'transfers.item_id as item_id',
      inTransit(eb).as('open'),
      'transfers.quantity_promised as promised',
      // Never null in transit; the column is nullable for immediate moves only.
      eb.ref('transfers.expected_date').$notNull().as('expected_date'),
    ])
    .where(itemsOf('transfers.item_id'))
    .where('transfers.state', 'in', OPEN_TRANSFER_STATES)
    .where('transfers.to_location_id', 'in', locationIds)
    .where((eb) => eb(inTransit(eb), '>', 0));
  return db
    .selectFrom(fromOrders.unionAll(fromTransfers).as('supply'))
    .select((eb) => [
      'supply.item_id',
      eb.fn.sum<number>('supply.open').as('total'),
      // Clamped per line: a counter above what a line still brings frees nothing elsewhere.
      eb.fn
        .sum<number>(
          eb
            .case()
            .when('supply.open', '>', eb.ref('supply.promised'))
            .then(eb('supply.open', '-', eb.ref('supply.promised')))
            .else(0)
            .end(),
        )
        .as('free'),
      eb.fn.min('supply.expected_date').as('next_expected_date'),
    ])
    .groupBy('supply.item_id');
}

/** Items in id order with their SKUs, a batch at a time, for the supply export. */
export function itemBatch(db: Db, afterId: number, limit: number) {
  return db
    .selectFrom('items')
    .select(['id', 'sku'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export interface SupplierLeadTimeRow {
  item_id: number;
  supplier: string;
  preferred: number;
  lead_time_days: number;
}

/**
 * Every supplier of the given items with its lead time for the item (the item's own, else
 * the supplier's): what a promise on lead time rests on, for availability and for orders.
 */
export function supplierLeadTimesQuery(db: Db, itemIds: readonly number[]) {
  return db
    .selectFrom('supplier_items')
    .innerJoin('suppliers', 'suppliers.id', 'supplier_items.supplier_id')
    .select((eb) => [
      'supplier_items.item_id',
      'suppliers.code as supplier',
      'supplier_items.preferred',
      eb.fn
        .coalesce('supplier_items.lead_time_days', 'suppliers.lead_time_days')
        .as('lead_time_days'),
    ])
    .where('supplier_items.item_id', 'in', itemIds);
}
