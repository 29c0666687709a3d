import { sql, type Transaction } from 'kysely';
import type { ChannelScope } from '../access/channel-scope.js';
import type { DB, Db } from '../db/schema.js';

/** Reads behind the order document: the order, its lines, allocations and pegs. */

/** With a channel scope, another channel's order is not found, like a missing one. */
export function findOrder(db: Db, id: number, scope: ChannelScope = null) {
  return db
    .selectFrom('orders')
    .innerJoin('channels', 'channels.id', 'orders.channel_id')
    .leftJoin('customers', 'customers.id', 'orders.customer_id')
    .leftJoin('locations as pickup', 'pickup.id', 'orders.pickup_location_id')
    .select([
      'orders.id',
      'orders.channel_id',
      'channels.code as channel',
      'orders.reference',
      'pickup.code as pickup_location',
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
  filter: { channelId?: number; reference?: string; afterId: number; limit: number },
) {
  let query = db
    .selectFrom('orders')
    .select('id')
    .where('id', '>', filter.afterId)
    .orderBy('id')
    .limit(filter.limit);
  if (filter.channelId !== undefined) query = query.where('channel_id', '=', filter.channelId);
  if (filter.reference !== undefined) query = query.where('reference', '=', filter.reference);
  return query.execute();
}

export interface ChangedOrdersFilter {
  channelId?: number;
  reference?: string;
  /** Only orders whose document changed at or after this (stored timestamp text). */
  since: string;
  /** The last (changedAt, id) of the previous page. */
  after?: [string, number];
  limit: number;
}

/**
 * Orders by when their document last changed: the order row or any of its lines, the same
 * updatedAt the document shows. Candidates come from the updated_at indexes of both tables,
 * from the later of `since` and the cursor, so a page costs what changed, not every order.
 */
export function listChangedOrderIds(db: Db, filter: ChangedOrdersFilter) {
  const from = filter.after && filter.after[0] > filter.since ? filter.after[0] : filter.since;
  const changedAt = sql<string>`case when max(order_lines.updated_at) > orders.updated_at then max(order_lines.updated_at) else orders.updated_at end`;
  return db
    .with('changed', (qb) =>
      qb
        .selectFrom('orders')
        .leftJoin('order_lines', 'order_lines.order_id', 'orders.id')
        .select(['orders.id', changedAt.as('changed_at')])
        .where((eb) =>
          eb(
            'orders.id',
            'in',
            db
              .selectFrom('orders as o')
              .select('o.id')
              .where('o.updated_at', '>=', from)
              .union(
                db
                  .selectFrom('order_lines as l')
                  .select('l.order_id as id')
                  .where('l.updated_at', '>=', from),
              ),
          ),
        )
        .$if(filter.channelId !== undefined, (q) =>
          q.where('orders.channel_id', '=', filter.channelId!),
        )
        .$if(filter.reference !== undefined, (q) =>
          q.where('orders.reference', '=', filter.reference!),
        )
        .groupBy(['orders.id', 'orders.updated_at']),
    )
    .selectFrom('changed')
    .select(['id', 'changed_at'])
    .where('changed_at', '>=', filter.since)
    .$if(filter.after !== undefined, (q) =>
      q.where((eb) =>
        eb(eb.refTuple('changed_at', 'id'), '>', eb.tuple(filter.after![0], filter.after![1])),
      ),
    )
    .orderBy('changed_at')
    .orderBy('id')
    .limit(filter.limit)
    .execute();
}
