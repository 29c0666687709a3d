import { scopeToChannel } from '../access/auth.js';
import { channelScopeOf } from '../access/channel-scope.js';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { type OrderRoutesApp, order, sellers, tags } from './order-route-options.js';
import { ListOrdersQuery, OrderPage, OrderParams } from './orders.schemas.js';
import { getOrder, listOrders } from './read-orders.js';

/** Reading orders: GET /v1/orders and GET /v1/orders/{id}. */
export function orderReadingRoutes(app: OrderRoutesApp, ctx: AppContext): void {
  app.get(
    '/v1/orders',
    {
      config: { access: sellers },
      schema: {
        tags,
        operationId: 'listOrders',
        summary: 'List orders, oldest first',
        description:
          'Filter by `channel` (a channel key sees only its own) and `reference` (exact). With `updatedSince`, only orders whose document changed at or after it (the order or any of its lines: quantities, reservations, promises), oldest change first by (updatedAt, id), so an incremental sync resumes from the last updatedAt it saw; its cursors are not interchangeable with those of the id order.',
        querystring: ListOrdersQuery,
        response: { 200: OrderPage, ...errorResponses },
      },
    },
    async (request) =>
      listOrders(ctx, {
        ...request.query,
        ...scopeToChannel(request.principal!, request.query),
      }),
  );

  app.get(
    '/v1/orders/:id',
    {
      config: { access: sellers },
      schema: {
        tags,
        operationId: 'getOrder',
        summary: 'Read an order: each line with its quantities, reservations and promise',
        params: OrderParams,
        response: { 200: order, ...errorResponses },
      },
    },
    async (request) => getOrder(ctx, request.params.id, channelScopeOf(request.principal!)),
  );
}
