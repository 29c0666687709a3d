import { type Insertable, type Selectable, sql } from 'kysely';
import type { Db } from '../db/schema.js';
import type {
  PurchaseOrderChangesTable,
  PurchaseOrderLinesTable,
  PurchaseOrdersTable,
} from '../db/tables/purchase-orders.js';
import type { PurchaseOrderState } from '../domain/purchase-order-lifecycle.js';

export type PurchaseOrderRow = Selectable<PurchaseOrdersTable> & {
  supplier: string;
  location: string;
};
export type LineRow = Selectable<PurchaseOrderLinesTable> & { sku: string };
export type ChangeRow = Selectable<PurchaseOrderChangesTable>;

function selectOrders(db: Db) {
  return db
    .selectFrom('purchase_orders as po')
    .innerJoin('suppliers', 'suppliers.id', 'po.supplier_id')
    .innerJoin('locations', 'locations.id', 'po.location_id')
    .selectAll('po')
    .select(['suppliers.code as supplier', 'locations.code as location']);
}

export function findOrder(db: Db, id: number): Promise<PurchaseOrderRow | undefined> {
  return selectOrders(db).where('po.id', '=', id).executeTakeFirst();
}

export interface OrderFilter {
  afterId: number;
  limit: number;
  state?: PurchaseOrderState;
  supplierId?: number;
  locationId?: number;
  itemId?: number;
  /** A line still to come expected in [expectedFrom, expectedTo] (either end optional). */
  expectedFrom?: string;
  expectedTo?: string;
}

export function listOrders(db: Db, filter: OrderFilter): Promise<PurchaseOrderRow[]> {
  let query = selectOrders(db)
    .where('po.id', '>', filter.afterId)
    .orderBy('po.id')
    .limit(filter.limit);
  if (filter.state !== undefined) query = query.where('po.state', '=', filter.state);
  if (filter.supplierId !== undefined)
    query = query.where('po.supplier_id', '=', filter.supplierId);
  if (filter.locationId !== undefined)
    query = query.where('po.location_id', '=', filter.locationId);
  if (filter.itemId !== undefined) {
    const itemId = filter.itemId;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('purchase_order_lines as l')
          .select('l.id')
          .whereRef('l.purchase_order_id', '=', 'po.id')
          .where('l.item_id', '=', itemId),
      ),
    );
  }
  if (filter.expectedFrom !== undefined || filter.expectedTo !== undefined) {
    const { expectedFrom, expectedTo } = filter;
    // One line must satisfy both ends, so an order due last month and next month is not
    // "due this week" for having lines on either side of it.
    query = query.where(({ exists, selectFrom }) => {
      let line = selectFrom('purchase_order_lines as l')
        .select('l.id')
        .whereRef('l.purchase_order_id', '=', 'po.id')
        .where(sql<boolean>`l.quantity_ordered - l.quantity_received - l.quantity_cancelled > 0`);
      if (expectedFrom !== undefined) line = line.where('l.expected_date', '>=', expectedFrom);
      if (expectedTo !== undefined) line = line.where('l.expected_date', '<=', expectedTo);
      return exists(line);
    });
  }
  return query.execute();
}

export async function linesOf(
  db: Db,
  orderIds: readonly number[],
): Promise<Map<number, LineRow[]>> {
  const result = new Map<number, LineRow[]>(orderIds.map((id) => [id, []]));
  if (orderIds.length === 0) return result;
  const rows = await db
    .selectFrom('purchase_order_lines as l')
    .innerJoin('items', 'items.id', 'l.item_id')
    .selectAll('l')
    .select('items.sku')
    .where('l.purchase_order_id', 'in', orderIds)
    .orderBy('l.id')
    .execute();
  for (const row of rows) result.get(row.purchase_order_id)?.push(row);
  return result;
}

export async function insertOrder(
  db: Db,
  values: Insertable<PurchaseOrdersTable>,
): Promise<number> {
  const { id } = await db
    .insertInto('purchase_orders')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Which of these references the supplier's purchase orders already carry (any state). */
export async function findExistingReferences(
  db: Db,
  supplierId: number,
  references: readonly string[],
): Promise<string[]> {
  if (references.length === 0) return [];
  const rows = await db
    .selectFrom('purchase_orders')
    .select('reference')
    .distinct()
    .where('supplier_id', '=', supplierId)
    .where('reference', 'in', references)
    .execute();
  return rows.flatMap((r) => (r.reference === null ? [] : [r.reference]));
}

/**
 * Holds the suppliers' rows until the transaction ends, so two imports naming the same
 * supplier run one after the other on PostgreSQL and the second sees the first one's
 * references before the unique index would refuse them. A no-op write, as in lockOrder; ids in
 * ascending order so two lockers never wait on each other.
 */
export async function lockSuppliers(db: Db, supplierIds: readonly number[]): Promise<void> {
  for (const id of [...new Set(supplierIds)].sort((a, b) => a - b)) {
    await db
      .updateTable('suppliers')
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('id', '=', id)
      .execute();
  }
}

export async function insertLines(
  db: Db,
  values: Insertable<PurchaseOrderLinesTable>[],
): Promise<void> {
  if (values.length > 0) await db.insertInto('purchase_order_lines').values(values).execute();
}

/**
 * Locks the order for the rest of the transaction and returns its state as it is now.
 * Every use case that changes an order or its lines starts here, so two of them on the
 * same order (a receipt and a date change, say) run one after the other on PostgreSQL;
 * SQLite already runs one writer at a time.
 */
export async function lockOrder(db: Db, id: number) {
  return (
    db
      .updateTable('purchase_orders')
      // A no-op write: it takes the row lock without changing anything, so a replayed
      // receipt leaves the order exactly as it was.
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('id', '=', id)
      .returning(['id', 'state', 'location_id', 'supplier_id'])
      .executeTakeFirst()
  );
}

/** The code of the order's location, which receipts name in the ledger and their event. */
export async function locationCode(db: Db, locationId: number): Promise<string> {
  const { code } = await db
    .selectFrom('locations')
    .select('code')
    .where('id', '=', locationId)
    .executeTakeFirstOrThrow();
  return code;
}

export async function touchOrder(db: Db, id: number, now: string): Promise<void> {
  await db.updateTable('purchase_orders').set({ updated_at: now }).where('id', '=', id).execute();
}

export async function setOrderState(
  db: Db,
  id: number,
  from: PurchaseOrderState,
  to: PurchaseOrderState,
  stamps: Partial<Pick<PurchaseOrdersTable, 'sent_at' | 'confirmed_at' | 'closed_at'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('purchase_orders')
    .set({ state: to, ...stamps })
    .where('id', '=', id)
    .where('state', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** On sending, each line's expected date becomes the date first promised. */
export async function stampFirstExpectedDates(db: Db, orderId: number): Promise<void> {
  await db
    .updateTable('purchase_order_lines')
    .set((eb) => ({ first_expected_date: eb.ref('expected_date') }))
    .where('purchase_order_id', '=', orderId)
    .execute();
}

/** Cancels what every line still has open; what has arrived stays. */
export async function cancelOpenRemainders(db: Db, orderId: number, now: string): Promise<void> {
  await db
    .updateTable('purchase_order_lines')
    .set((eb) => ({
      quantity_cancelled: eb('quantity_ordered', '-', eb.ref('quantity_received')),
      completed_at: now,
      updated_at: now,
    }))
    .where('purchase_order_id', '=', orderId)
    .where((eb) => eb('quantity_ordered', '>', eb.ref('quantity_received')))
    .where('completed_at', 'is', null)
    .execute();
}

export async function updateLine(
  db: Db,
  lineId: number,
  values: Partial<
    Pick<
      PurchaseOrderLinesTable,
      'quantity_ordered' | 'unit_cost_cents' | 'expected_date' | 'confidence'
    >
  >,
  now: string,
): Promise<void> {
  await db
    .updateTable('purchase_order_lines')
    .set({ ...values, updated_at: now })
    .where('id', '=', lineId)
    .execute();
}

/**
 * Lowers what a sent line will bring to `quantity` (ordered − cancelled), never below
 * what has arrived; equal to it closes the line. Returns false when the condition fails.
 */
export async function reduceLine(
  db: Db,
  lineId: number,
  quantity: number,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('purchase_order_lines')
    .set((eb) => ({
      quantity_cancelled: eb('quantity_ordered', '-', quantity),
      completed_at: eb
        .case()
        .when('quantity_received', '>=', quantity)
        .then(now)
        .else(eb.ref('completed_at'))
        .end(),
      updated_at: now,
    }))
    .where('id', '=', lineId)
    .where('quantity_received', '<=', quantity)
    .where((eb) => eb(eb('quantity_ordered', '-', eb.ref('quantity_cancelled')), '>=', quantity))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Adds received units to a line. A late delivery on a line closed short un-cancels as
 * much as it needs, so received + cancelled never exceeds ordered unless nothing is
 * cancelled (an over-receipt). The line completes when nothing is left open.
 */
export function receiveOnLine(db: Db, lineId: number, quantity: number, now: string) {
  // Parenthesised: it is spliced into larger expressions (`quantity_ordered - …`).
  const receivedAfter = sql<number>`(quantity_received + ${quantity})`;
  return db
    .updateTable('purchase_order_lines')
    .set({
      quantity_received: receivedAfter,
      quantity_cancelled: sql<number>`case
        when ${receivedAfter} + quantity_cancelled <= quantity_ordered then quantity_cancelled
        when ${receivedAfter} >= quantity_ordered then 0
        else quantity_ordered - ${receivedAfter} end`,
      completed_at: sql<string | null>`case
        when ${receivedAfter} + quantity_cancelled >= quantity_ordered then coalesce(completed_at, ${now})
        else completed_at end`,
      updated_at: now,
    })
    .where('id', '=', lineId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteLine(db: Db, lineId: number): Promise<void> {
  await db.deleteFrom('purchase_order_lines').where('id', '=', lineId).execute();
}

export async function insertChanges(
  db: Db,
  changes: Insertable<PurchaseOrderChangesTable>[],
): Promise<void> {
  if (changes.length > 0) await db.insertInto('purchase_order_changes').values(changes).execute();
}

export function listChanges(db: Db, orderId: number): Promise<ChangeRow[]> {
  return db
    .selectFrom('purchase_order_changes')
    .selectAll()
    .where('purchase_order_id', '=', orderId)
    .orderBy('id')
    .execute();
}
