import type { Db } from '../db/schema.js';

/** The reads behind the order reports: promise history, waiting lines, lost demand. */

export function promiseChangesOf(db: Db, orderId: number) {
  return db
    .selectFrom('promise_changes')
    .innerJoin('order_lines', 'order_lines.id', 'promise_changes.order_line_id')
    .innerJoin('items', 'items.id', 'order_lines.item_id')
    .select([
      'order_lines.line_no',
      'items.sku',
      'promise_changes.old_date',
      'promise_changes.new_date',
      'promise_changes.old_confidence',
      'promise_changes.new_confidence',
      'promise_changes.reason',
      'promise_changes.created_at',
    ])
    .where('order_lines.order_id', '=', orderId)
    .orderBy('promise_changes.id')
    .execute();
}

/**
 * Oldest line first (the queue order of each item), after `afterId`; `limit` is the page
 * plus one to tell if more follow. `locationId` keeps lines with waiting units there:
 * pegged to supply due there, or unpromised on a channel whose first location it is
 * (where replenishment counts them too).
 */
export function waitingLinesAfter(
  db: Db,
  filter: {
    afterId: number;
    limit: number;
    state: 'unpromised' | 'backordered';
    itemId?: number;
    locationId?: number;
  },
) {
  let select = db
    .selectFrom('order_lines')
    .innerJoin('orders', 'orders.id', 'order_lines.order_id')
    .innerJoin('channels', 'channels.id', 'orders.channel_id')
    .innerJoin('items', 'items.id', 'order_lines.item_id')
    .leftJoin('customers', 'customers.id', 'orders.customer_id')
    .select([
      'order_lines.id',
      'order_lines.order_id',
      'orders.channel_id',
      'channels.code as channel',
      'order_lines.line_no',
      'items.sku',
      'items.name',
      'orders.reference',
      'orders.customer_id',
      'customers.name as customer_name',
      'order_lines.quantity_backordered',
      'order_lines.quantity_unpromised',
      'order_lines.promised_date',
      'orders.created_at',
    ])
    .where('order_lines.id', '>', filter.afterId)
    .where(
      filter.state === 'unpromised'
        ? 'order_lines.quantity_unpromised'
        : 'order_lines.quantity_backordered',
      '>',
      0,
    )
    .orderBy('order_lines.id')
    .limit(filter.limit);
  if (filter.itemId !== undefined) select = select.where('order_lines.item_id', '=', filter.itemId);
  if (filter.locationId !== undefined) {
    const locationId = filter.locationId;
    select = select.where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('backorder_pegs')
            .select('backorder_pegs.id')
            .whereRef('backorder_pegs.order_line_id', '=', 'order_lines.id')
            .where('backorder_pegs.location_id', '=', locationId),
        ),
        eb.and([
          eb('order_lines.quantity_unpromised', '>', 0),
          eb(
            eb
              .selectFrom('channel_locations')
              .select('channel_locations.location_id')
              .whereRef('channel_locations.channel_id', '=', 'orders.channel_id')
              .orderBy('channel_locations.priority')
              .limit(1),
            '=',
            locationId,
          ),
        ]),
      ]),
    );
  }
  return select.execute();
}

/** Line id → the codes of the locations its promised units are due at, in code order. */
export async function pegLocationsOf(
  db: Db,
  lineIds: readonly number[],
): Promise<Map<number, string[]>> {
  const result = new Map<number, string[]>();
  if (lineIds.length === 0) return result;
  const rows = await db
    .selectFrom('backorder_pegs')
    .innerJoin('locations', 'locations.id', 'backorder_pegs.location_id')
    .select(['backorder_pegs.order_line_id', 'locations.code'])
    .distinct()
    .where('backorder_pegs.order_line_id', 'in', lineIds)
    .orderBy('backorder_pegs.order_line_id')
    .orderBy('locations.code')
    .execute();
  for (const row of rows) {
    const list = result.get(row.order_line_id) ?? [];
    list.push(row.code);
    result.set(row.order_line_id, list);
  }
  return result;
}

/** Newest first, below `beforeId` when it is set (> 0). */
export function lostDemandBefore(
  db: Db,
  filter: { beforeId: number; limit: number; itemId?: number; channelId?: number },
) {
  let select = db
    .selectFrom('lost_demand')
    .innerJoin('items', 'items.id', 'lost_demand.item_id')
    .innerJoin('channels', 'channels.id', 'lost_demand.channel_id')
    .select([
      'lost_demand.id',
      'items.sku',
      'channels.code as channel',
      'lost_demand.quantity',
      'lost_demand.state',
      'lost_demand.available',
      'lost_demand.created_at',
    ])
    .orderBy('lost_demand.id', 'desc')
    .limit(filter.limit);
  if (filter.beforeId > 0) select = select.where('lost_demand.id', '<', filter.beforeId);
  if (filter.itemId !== undefined) select = select.where('lost_demand.item_id', '=', filter.itemId);
  if (filter.channelId !== undefined)
    select = select.where('lost_demand.channel_id', '=', filter.channelId);
  return select.execute();
}
