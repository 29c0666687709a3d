import type { ChannelScope } from '../access/channel-scope.js';
import { requireChannel } from '../catalogue/channels.service.js';
import type { AppContext } from '../kernel/context.js';
import { decodeCursor, encodeCursor, type Page } from '../shared/cursor.js';
import { isoDate } from '../shared/dates.js';
import {
  decodeChangedCursor,
  encodeChangedCursor,
  normaliseSince,
} from '../shared/updated-since.js';
import { loadOrder, loadOrders } from './order-document.js';
import * as orderRepo from './orders.repository.js';
import type { ListOrdersQuery, Order } from './orders.schemas.js';

/** Another channel's order is, for a channel key, the same 404 as a missing one. */
export function getOrder(ctx: AppContext, id: number, scope: ChannelScope = null): Promise<Order> {
  return loadOrder(ctx.db, id, isoDate(ctx.clock.now()), scope);
}

export async function listOrders(ctx: AppContext, query: ListOrdersQuery): Promise<Page<Order>> {
  const channelId =
    query.channel === undefined ? undefined : (await requireChannel(ctx.db, query.channel)).id;
  const filter = {
    ...(channelId !== undefined && { channelId }),
    ...(query.reference !== undefined && { reference: query.reference }),
  };
  if (query.updatedSince !== undefined) return listChangedOrders(ctx, query, filter);
  const [afterId = 0] = decodeCursor(query.cursor);
  const rows = await orderRepo.listOrderIds(ctx.db, {
    afterId,
    limit: query.limit + 1,
    ...filter,
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

/** `updatedSince`: oldest change first, so a sync resumes from the last updatedAt it saw. */
async function listChangedOrders(
  ctx: AppContext,
  query: ListOrdersQuery,
  filter: { channelId?: number; reference?: string },
): Promise<Page<Order>> {
  const after = decodeChangedCursor(query.cursor, 1);
  const rows = await orderRepo.listChangedOrderIds(ctx.db, {
    ...filter,
    since: normaliseSince(query.updatedSince!),
    ...(after && { after: [after.updatedAt, after.key[0]!] }),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: await loadOrders(
      ctx.db,
      page.map((r) => Number(r.id)),
      isoDate(ctx.clock.now()),
    ),
    nextCursor:
      rows.length > query.limit && last
        ? encodeChangedCursor(last.changed_at, Number(last.id))
        : null,
  };
}
