import type { Transaction } from 'kysely';
import type { ChannelScope } from '../access/channel-scope.js';
import type { DB, Db } from '../db/schema.js';

/** Reads behind the order document: the order, its lines, allocations and pegs. */

/** With a channel scope, another channel's order is not found, like a missing one. */
export function findOrder(db: Db, id: number, scope: ChannelScope = null) {
  return db
    .selectFrom('orders')
    .innerJoin('channels', 'channels.id', 'orders.channel_id')
    .leftJoin('customers', 'customers.id', 'orders.customer_id')
    .select([
      'orders.id',
      'orders.channel_id',
      'channels.code as channel',
      'orders.reference',
      'orders.created_at',
      'orders.updated_at',
      'customers.id as customer_id',
      'customers.name as customer_name',
      'customers.email as customer_email',
      'customers.phone as customer_phone',
      'customers.preferred_channel as customer_preferred_channel',
    ])
    .where('orders.id', '=', id)
    .$if(scope !== null, (q) => q.where('orders.channel_id', '=', scope!.channelId))
    .executeTakeFirst();
}
export type OrderRow = NonNullable<Awaited<ReturnType<typeof findOrder>>>;

/**
 * Takes the order's row lock with a no-op write, before any item, stock or supply row:
 * cancellations and fulfilments of one order then run one after the other.
 */
export async function lockOrder(
  trx: Transaction<DB>,
  id: number,
  scope: ChannelScope = null,
): Promise<boolean> {
  const result = await trx
    .updateTable('orders')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', id)
    .$if(scope !== null, (q) => q.where('channel_id', '=', scope!.channelId))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export function linesOf(db: Db, orderIds: readonly number[]) {
  return db
    .selectFrom('order_lines')
    .innerJoin('items', 'items.id', 'order_lines.item_id')
    .selectAll('order_lines')
    .select(['items.sku', 'items.release_date'])
    .where('order_lines.order_id', 'in', orderIds)
    .orderBy('order_lines.order_id')
    .orderBy('order_lines.line_no')
    .execute();
}
export type LineRow = Awaited<ReturnType<typeof linesOf>>[number];

export function allocationsOf(db: Db, lineIds: readonly number[]) {
  if (lineIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('allocations')
    .innerJoin('locations', 'locations.id', 'allocations.location_id')
    .select([
      'allocations.order_line_id',
      'allocations.location_id',
      'allocations.item_id',
      'allocations.quantity',
      'locations.code as location',
    ])
    .where('allocations.order_line_id', 'in', lineIds)
    .where('allocations.quantity', '>', 0)
    .orderBy('allocations.order_line_id')
    .orderBy('allocations.location_id')
    .execute();
}
export type AllocationRow = Awaited<ReturnType<typeof allocationsOf>>[number];

/** Pegs with what they rest on, for the promise shown on each line. */
export function pegDetailsOf(db: Db, lineIds: readonly number[]) {
  if (lineIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('backorder_pegs as peg')
    .innerJoin('locations', 'locations.id', 'peg.location_id')
    .leftJoin('purchase_order_lines as pol', 'pol.id', 'peg.purchase_order_line_id')
    .leftJoin('purchase_orders as po', 'po.id', 'pol.purchase_order_id')
    .leftJoin('suppliers', 'suppliers.id', 'po.supplier_id')
    .leftJoin('transfers', 'transfers.id', 'peg.transfer_id')
    .leftJoin('locations as source', 'source.id', 'transfers.from_location_id')
    .select([
      'peg.id',
      'peg.order_line_id',
      'peg.purchase_order_line_id',
      'peg.transfer_id',
      'peg.quantity',
      'peg.expected_date',
      'peg.confidence',
      'locations.code as location',
      'po.id as purchase_order_id',
      'suppliers.code as supplier',
      'source.code as from',
    ])
    .where('peg.order_line_id', 'in', lineIds)
    .orderBy('peg.order_line_id')
    .orderBy('peg.id')
    .execute();
}
export type PegDetailRow = Awaited<ReturnType<typeof pegDetailsOf>>[number];

export function listOrderIds(
  db: Db,
  filter: { channelId?: number; afterId: number; limit: number },
) {
  let query = db
    .selectFrom('orders')
    .select('id')
    .where('id', '>', filter.afterId)
    .orderBy('id')
    .limit(filter.limit);
  if (filter.channelId !== undefined) query = query.where('channel_id', '=', filter.channelId);
  return query.execute();
}
