import type { ChannelScope } from '../access/channel-scope.js';
import { requireChannel } from '../catalogue/channels.service.js';
import { requireItem } from '../catalogue/items.service.js';
import { requireLocation } from '../catalogue/locations.service.js';
import { channelLocationCodes } from '../kernel/backorders/promise.repository.js';
import type { AppContext } from '../kernel/context.js';
import { decodeCursor, encodeCursor, type Page } from '../shared/cursor.js';
import { NotFoundError } from '../shared/errors.js';
import {
  lostDemandBefore,
  pegLocationsOf,
  promiseChangesOf,
  waitingLinesAfter,
} from './order-reports.repository.js';
import { findOrder } from './orders.repository.js';
import type { LostDemandQuery, PromiseChangeList } from './orders.schemas.js';
import { standingDecisionsOf } from './waiting-decisions.repository.js';
import type { WaitingLinesQuery } from './waiting-lines.schemas.js';

/** Read-only views for staff and integrators: promise history, the waiting queue, lost demand. */

/** Another channel's order is, for a channel key, the same 404 as a missing one. */
export async function promiseChanges(
  ctx: AppContext,
  id: number,
  scope: ChannelScope = null,
): Promise<PromiseChangeList> {
  if (!(await findOrder(ctx.db, id, scope)))
    throw new NotFoundError('ORDER_NOT_FOUND', `No order ${id}`, { id });
  const rows = await promiseChangesOf(ctx.db, id);
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
  const [item, location] = await Promise.all([
    query.sku === undefined ? undefined : requireItem(ctx.db, query.sku),
    query.location === undefined ? undefined : requireLocation(ctx.db, query.location),
  ]);
  const rows = await waitingLinesAfter(ctx.db, {
    afterId,
    limit: query.limit + 1,
    state: query.state ?? 'unpromised',
    ...(item && { itemId: item.id }),
    ...(location && { locationId: location.id }),
  });
  const page = rows.slice(0, query.limit);
  const lineIds = page.map((r) => r.id);
  const [pegLocations, channelLocations, decisions] = await Promise.all([
    pegLocationsOf(ctx.db, lineIds),
    channelLocationCodes(ctx.db),
    standingDecisionsOf(ctx.db, lineIds),
  ]);
  return {
    items: page.map((r) => {
      const locations = new Set(pegLocations.get(r.id));
      const first = channelLocations.get(r.channel_id)?.[0];
      if (r.quantity_unpromised > 0 && first !== undefined) locations.add(first);
      const decision = decisions.get(r.id);
      return {
        orderId: r.order_id,
        channel: r.channel,
        line: r.line_no,
        sku: r.sku,
        name: r.name,
        reference: r.reference,
        customer:
          r.customer_id === null ? null : { id: r.customer_id, name: r.customer_name ?? '' },
        backordered: r.quantity_backordered,
        unpromised: r.quantity_unpromised,
        promisedDate: r.promised_date,
        keptWaiting:
          decision === undefined
            ? null
            : {
                decision: decision.decision,
                note: decision.note,
                actor: decision.actor,
                decidedAt: decision.decided_at,
              },
        locations: [...locations].sort(),
        orderedAt: r.created_at,
      };
    }),
    nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)!.id) : null,
  };
}

export async function lostDemand(ctx: AppContext, query: LostDemandQuery) {
  // Newest first: the cursor is the last id seen, and the next page lies below it.
  const [beforeId = 0] = decodeCursor(query.cursor);
  const itemId = query.sku === undefined ? undefined : (await requireItem(ctx.db, query.sku)).id;
  const channelId =
    query.channel === undefined ? undefined : (await requireChannel(ctx.db, query.channel)).id;
  const rows = await lostDemandBefore(ctx.db, {
    beforeId,
    limit: query.limit + 1,
    ...(itemId !== undefined && { itemId }),
    ...(channelId !== undefined && { channelId }),
  });
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
