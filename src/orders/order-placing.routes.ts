import { scopeToChannel } from '../access/auth.js';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { ReplayedRefusal } from '../kernel/idempotency/idempotency.service.js';
import type { OrderBatcher } from './order-batcher.js';
import {
  type OrderRoutesApp,
  order,
  sellers,
  tags,
  withIdempotency,
} from './order-route-options.js';
import { IdempotencyHeaders, PlaceOrderBody, Quote, QuoteBody } from './orders.schemas.js';
import { placeOrder } from './place-order.js';
import { quoteOrder } from './quote-order.js';

/** Quoting and placing: POST /v1/orders/quote and POST /v1/orders. */
export function orderPlacingRoutes(
  app: OrderRoutesApp,
  ctx: AppContext,
  batcher: OrderBatcher | undefined,
): void {
  app.post(
    '/v1/orders/quote',
    {
      config: { access: sellers },
      schema: {
        tags,
        operationId: 'quoteOrder',
        summary: 'What an order would get now, line by line, without committing anything',
        description:
          'For each line: units from stock and from where, what could be backordered or preordered (date, confidence, and the supply it rests on), or why it cannot be bought, with alternatives.',
        body: QuoteBody,
        response: { 200: Quote, ...errorResponses },
      },
    },
    async (request) => {
      scopeToChannel(request.principal!, { channel: request.body.channel });
      return quoteOrder(ctx, request.body);
    },
  );

  app.post(
    '/v1/orders',
    {
      config: { access: sellers },
      schema: {
        tags,
        operationId: 'placeOrder',
        summary: 'Place an order',
        description:
          'Each line is reserved from the channel locations in priority order; a shortfall is backordered against incoming supply if the line accepts backorders. If any line can be neither, the whole order is refused (409 ORDER_REFUSED, naming each line with alternatives and how to subscribe) and nothing is reserved. Requires an Idempotency-Key header.',
        headers: IdempotencyHeaders,
        body: PlaceOrderBody,
        response: { 201: order, ...withIdempotency },
      },
    },
    async (request, reply) => {
      scopeToChannel(request.principal!, { channel: request.body.channel });
      const placed = await placeOrder(
        ctx,
        request.body,
        request.headers['idempotency-key'],
        request.principal!,
        batcher,
      ).catch((error: unknown) => {
        // A recorded refusal answered again says so, like a replayed order.
        if (error instanceof ReplayedRefusal) reply.header('idempotent-replayed', 'true');
        throw error;
      });
      return reply
        .status(placed.status)
        .header('idempotent-replayed', String(placed.replayed))
        .send(placed.order);
    },
  );
}
