import type { Insertable, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type {
  AllocationsTable,
  LostDemandTable,
  OrderLinesTable,
  OrdersTable,
} from '../db/tables/orders.js';

/** What placing or refusing an order writes, besides stock, promises and events. */

export async function insertOrder(
  trx: Transaction<DB>,
  row: Insertable<OrdersTable>,
): Promise<number> {
  const { id } = await trx
    .insertInto('orders')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** One statement for every line; the ids come back with their line numbers. */
export function insertOrderLines(
  trx: Transaction<DB>,
  rows: readonly Insertable<OrderLinesTable>[],
): Promise<{ id: number; line_no: number }[]> {
  return trx
    .insertInto('order_lines')
    .values([...rows])
    .returning(['id', 'line_no'])
    .execute();
}

export async function insertAllocations(
  trx: Transaction<DB>,
  rows: readonly Insertable<AllocationsTable>[],
): Promise<void> {
  if (rows.length > 0)
    await trx
      .insertInto('allocations')
      .values([...rows])
      .execute();
}

export async function insertLostDemand(
  trx: Transaction<DB>,
  rows: readonly Insertable<LostDemandTable>[],
): Promise<void> {
  await trx
    .insertInto('lost_demand')
    .values([...rows])
    .execute();
}

/**
 * Several orders in one statement; their ids in the order of `rows`. One statement numbers
 * its rows in VALUES order on both engines, but RETURNING's order is unspecified: sorted.
 */
export async function insertOrders(
  trx: Transaction<DB>,
  rows: readonly Insertable<OrdersTable>[],
): Promise<number[]> {
  const inserted = await trx
    .insertInto('orders')
    .values([...rows])
    .returning('id')
    .execute();
  return inserted.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** The lines of several orders in one statement; ids come back with order and line number. */
export function insertLinesOfOrders(
  trx: Transaction<DB>,
  rows: readonly Insertable<OrderLinesTable>[],
): Promise<{ id: number; order_id: number; line_no: number }[]> {
  return trx
    .insertInto('order_lines')
    .values([...rows])
    .returning(['id', 'order_id', 'line_no'])
    .execute();
}
