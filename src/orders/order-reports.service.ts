import type { ChannelScope } from '../access/channel-scope.js';
import { requireChannel } from '../catalogue/channels.service.js';
import { requireItem } from '../catalogue/items.service.js';
import type { AppContext } from '../kernel/context.js';
import { decodeCursor, encodeCursor, type Page } from '../shared/cursor.js';
import { NotFoundError } from '../shared/errors.js';
import { findOrder } from './orders.repository.js';
import type { LostDemandQuery, PromiseChangeList, WaitingLinesQuery } from './orders.schemas.js';

/** Read-only views for staff and integrators: promise history, the waiting queue, lost demand. */

/** Another channel's order is, for a channel key, the same 404 as a missing one. */
export async function promiseChanges(
  ctx: AppContext,
  id: number,
  scope: ChannelScope = null,
): Promise<PromiseChangeList> {
  if (!(await findOrder(ctx.db, id, scope)))
    throw new NotFoundError('ORDER_NOT_FOUND', `No order ${id}`, { id });
  const rows = await ctx.db
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
    .where('order_lines.order_id', '=', id)
    .orderBy('promise_changes.id')
    .execute();
  return {
    items: rows.map((r) => ({
      line: r.line_no,
      sku: r.sku,
      oldDate: r.old_date,
      newDate: r.new_date,
      oldConfidence: r.old_confidence,
      newConfidence: r.new_confidence,
      reason: r.reason,
      changedAt: r.created_at,
    })),
  };
}

export async function waitingLines(ctx: AppContext, query: WaitingLinesQuery) {
  const [afterId = 0] = decodeCursor(query.cursor);
  const itemId = query.sku === undefined ? undefined : (await requireItem(ctx.db, query.sku)).id;
  let select = ctx.db
    .selectFrom('order_lines')
    .innerJoin('orders', 'orders.id', 'order_lines.order_id')
    .innerJoin('channels', 'channels.id', 'orders.channel_id')
    .innerJoin('items', 'items.id', 'order_lines.item_id')
    .select([
      'order_lines.id',
      'order_lines.order_id',
      'channels.code as channel',
      'order_lines.line_no',
      'items.sku',
      'order_lines.quantity_backordered',
      'order_lines.quantity_unpromised',
      'order_lines.promised_date',
      'orders.created_at',
    ])
    .where('order_lines.id', '>', afterId)
    .where(
      (query.state ?? 'unpromised') === 'unpromised'
        ? 'order_lines.quantity_unpromised'
        : 'order_lines.quantity_backordered',
      '>',
      0,
    )
    .orderBy('order_lines.id')
    .limit(query.limit + 1);
  if (itemId !== undefined) select = select.where('order_lines.item_id', '=', itemId);
  const rows = await select.execute();
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => ({
      orderId: r.order_id,
      channel: r.channel,
      line: r.line_no,
      sku: r.sku,
      backordered: r.quantity_backordered,
      unpromised: r.quantity_unpromised,
      promisedDate: r.promised_date,
      orderedAt: r.created_at,
    })),
    nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)!.id) : null,
  };
}

export async function lostDemand(ctx: AppContext, query: LostDemandQuery) {
  // Newest first: the cursor is the last id seen, and the next page lies below it.
  const [beforeId = 0] = decodeCursor(query.cursor);
  const itemId = query.sku === undefined ? undefined : (await requireItem(ctx.db, query.sku)).id;
  const channelId =
    query.channel === undefined ? undefined : (await requireChannel(ctx.db, query.channel)).id;
  let select = ctx.db
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
    .limit(query.limit + 1);
  if (beforeId > 0) select = select.where('lost_demand.id', '<', beforeId);
  if (itemId !== undefined) select = select.where('lost_demand.item_id', '=', itemId);
  if (channelId !== undefined) select = select.where('lost_demand.channel_id', '=', channelId);
  const rows = await select.execute();
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => ({
      sku: r.sku,
      channel: r.channel,
      quantity: r.quantity,
      state: r.state,
      available: r.available,
      at: r.created_at,
    })),
    nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)!.id) : null,
  } satisfies Page<unknown>;
}
