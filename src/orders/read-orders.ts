import type { ChannelScope } from '../access/channel-scope.js';
import { requireChannel } from '../catalogue/channels.service.js';
import type { AppContext } from '../kernel/context.js';
import { decodeCursor, encodeCursor, type Page } from '../shared/cursor.js';
import { isoDate } from '../shared/dates.js';
import { loadOrder, loadOrders } from './order-document.js';
import * as orderRepo from './orders.repository.js';
import type { ListOrdersQuery, Order } from './orders.schemas.js';

/** Another channel's order is, for a channel key, the same 404 as a missing one. */
export function getOrder(ctx: AppContext, id: number, scope: ChannelScope = null): Promise<Order> {
  return loadOrder(ctx.db, id, isoDate(ctx.clock.now()), scope);
}

export async function listOrders(ctx: AppContext, query: ListOrdersQuery): Promise<Page<Order>> {
  const [afterId = 0] = decodeCursor(query.cursor);
  const channelId =
    query.channel === undefined ? undefined : (await requireChannel(ctx.db, query.channel)).id;
  const rows = await orderRepo.listOrderIds(ctx.db, {
    afterId,
    limit: query.limit + 1,
    ...(channelId !== undefined && { channelId }),
  });
  const page = rows.slice(0, query.limit);
  return {
    items: await loadOrders(
      ctx.db,
      page.map((r) => r.id),
      isoDate(ctx.clock.now()),
    ),
    nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)!.id) : null,
  };
}
