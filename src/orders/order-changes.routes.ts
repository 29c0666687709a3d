import { channelScopeOf } from '../access/channel-scope.js';
import { errorResponses } from '../http/common-schemas.js';
import { sendIdempotent } from '../http/idempotent-reply.js';
import type { AppContext } from '../kernel/context.js';
import { cancelOrder } from './cancel-order.js';
import { fulfilOrder } from './fulfil-order.js';
import { type OrderRoutesApp, order, sellers, staff, tags } from './order-route-options.js';
import { CancelBody, Fulfilment, FulfilmentBody, OrderParams } from './orders.schemas.js';

/** After placing: POST /v1/orders/{id}/cancel and POST /v1/orders/{id}/fulfilments. */
export function orderChangeRoutes(app: OrderRoutesApp, ctx: AppContext): void {
  app.post(
    '/v1/orders/:id/cancel',
    {
      config: { access: sellers },
      // The body may be left out: the whole order is cancelled.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags,
        operationId: 'cancelOrder',
        summary: 'Cancel the whole order or some lines (optionally part of a line)',
        description:
          'Waiting units are cancelled before reserved ones. Reservations and promises are released, and the backorders queued behind are re-promised in queue order.',
        params: OrderParams,
        body: CancelBody,
        response: { 200: order, ...errorResponses },
      },
    },
    async (request) =>
      cancelOrder(
        ctx,
        request.params.id,
        request.body,
        request.principal!.actor,
        channelScopeOf(request.principal!),
      ),
  );

  app.post(
    '/v1/orders/:id/fulfilments',
    {
      config: { access: staff },
      schema: {
        tags,
        operationId: 'fulfilOrder',
        summary: 'Ship or hand over reserved units (partial allowed)',
        description:
          'on_hand and reserved drop together, with a sale ledger row referencing the order. Posting the same fulfilmentId again answers 200 with the first result.',
        params: OrderParams,
        body: FulfilmentBody,
        response: { 200: Fulfilment, 201: Fulfilment, ...errorResponses },
      },
    },
    async (request, reply) =>
      sendIdempotent(
        reply,
        await fulfilOrder(ctx, request.params.id, request.body, request.principal!.actor),
      ),
  );
}
