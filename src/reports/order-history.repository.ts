import type { Db } from '../db/schema.js';
import type { ReportFilter } from './report-filters.js';

/** What orders left behind: refused demand, backordered lines and their promises. */

export interface LostUnitsRow {
  item_id: number;
  sku: string;
  name: string;
  category: string;
  price_cents: number;
  channel: string;
  units: number;
}

/** Refused units per item and channel in the period. */
export function lostUnits(
  db: Db,
  filter: Pick<ReportFilter, 'from' | 'until' | 'category' | 'channelId'>,
): Promise<LostUnitsRow[]> {
  let select = db
    .selectFrom('lost_demand')
    .innerJoin('items', 'items.id', 'lost_demand.item_id')
    .innerJoin('channels', 'channels.id', 'lost_demand.channel_id')
    .select([
      'lost_demand.item_id',
      'items.sku',
      'items.name',
      'items.category',
      'items.price_cents',
      'channels.code as channel',
      (eb) => eb.fn.sum<number>('lost_demand.quantity').as('units'),
    ])
    .where('lost_demand.created_at', '>=', filter.from)
    .where('lost_demand.created_at', '<', filter.until)
    .groupBy([
      'lost_demand.item_id',
      'items.sku',
      'items.name',
      'items.category',
      'items.price_cents',
      'channels.code',
    ]);
  if (filter.category !== undefined) select = select.where('items.category', '=', filter.category);
  if (filter.channelId !== undefined)
    select = select.where('lost_demand.channel_id', '=', filter.channelId);
  return select.execute();
}

/** The `order.backordered` events of orders placed in the period: the lines and first promises. */
export function backorderedEvents(db: Db, filter: Pick<ReportFilter, 'from' | 'until'>) {
  return db
    .selectFrom('domain_events')
    .select(['subject', 'payload', 'created_at'])
    .where('type', '=', 'order.backordered')
    .where('created_at', '>=', filter.from)
    .where('created_at', '<', filter.until)
    .orderBy('id')
    .execute();
}

export interface PlacedLineRow {
  id: number;
  order_id: number;
  line_no: number;
  item_id: number;
  sku: string;
  name: string;
  category: string;
  quantity_allocated: number;
  quantity_backordered: number;
  quantity_fulfilled: number;
  placed_at: string;
  last_shipped_at: string | null;
}

/** Lines of orders placed in the period, with when their last unit so far left. */
export function linesPlacedBetween(
  db: Db,
  filter: Pick<ReportFilter, 'from' | 'until' | 'category'>,
): Promise<PlacedLineRow[]> {
  let select = db
    .selectFrom('order_lines as ol')
    .innerJoin('orders', 'orders.id', 'ol.order_id')
    .innerJoin('items', 'items.id', 'ol.item_id')
    .select((eb) => [
      'ol.id',
      'ol.order_id',
      'ol.line_no',
      'ol.item_id',
      'items.sku',
      'items.name',
      'items.category',
      'ol.quantity_allocated',
      'ol.quantity_backordered',
      'ol.quantity_fulfilled',
      'orders.created_at as placed_at',
      eb
        .selectFrom('fulfilment_lines as fl')
        .innerJoin('fulfilments as f', 'f.id', 'fl.fulfilment_pk')
        .select((sub) => sub.fn.max('f.created_at').as('at'))
        .whereRef('fl.order_line_id', '=', 'ol.id')
        .as('last_shipped_at'),
    ])
    .where('orders.created_at', '>=', filter.from)
    .where('orders.created_at', '<', filter.until);
  if (filter.category !== undefined) select = select.where('items.category', '=', filter.category);
  return select.execute();
}

/** Promise changes of lines of orders placed in the period, oldest first. */
export function promiseChangesBetween(db: Db, filter: Pick<ReportFilter, 'from' | 'until'>) {
  return db
    .selectFrom('promise_changes as pc')
    .innerJoin('order_lines as ol', 'ol.id', 'pc.order_line_id')
    .innerJoin('orders', 'orders.id', 'ol.order_id')
    .select(['pc.order_line_id', 'pc.old_date', 'pc.new_date'])
    .where('orders.created_at', '>=', filter.from)
    .where('orders.created_at', '<', filter.until)
    .orderBy('pc.id')
    .execute();
}
