import { channelScopeOf } from '../access/channel-scope.js';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { type OrderRoutesApp, sellers, tags } from './order-route-options.js';
import { OrderParams } from './orders.schemas.js';
import { returnLine } from './return-line.js';
import {
  OrderReturnList,
  ReturnBody,
  ReturnHeaders,
  ReturnParams,
  ReturnReceipt,
} from './returns.schemas.js';
import { listOrderReturns } from './returns-view.js';

/** Customer returns: POST one against a fulfilled line, GET an order's returns. */
export function orderReturnRoutes(app: OrderRoutesApp, ctx: AppContext): void {
  app.post(
    '/v1/orders/:id/lines/:line/returns',
    {
      config: { access: sellers, idempotency: true },
      schema: {
        tags,
        operationId: 'returnOrderLine',
        summary: 'Record units a customer sent back: restocked or written off as damaged',
        description:
          "At most the line's fulfilled units not yet returned (409 RETURN_EXCEEDS_FULFILLED, nothing changes). restock: on_hand grows at `location` with a return ledger row, and the units fill backorders waiting for the item first, as a receipt does. damaged: a return and a damage ledger row, on_hand unchanged. Records the event order.line_returned. Requires an Idempotency-Key header.",
        headers: ReturnHeaders,
        params: ReturnParams,
        body: ReturnBody,
        response: { 201: ReturnReceipt, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await returnLine(
            ctx,
            request.params,
            request.body,
            request.principal!.actor,
            channelScopeOf(request.principal!),
            request.idempotency,
          ),
        ),
  );

  app.get(
    '/v1/orders/:id/returns',
    {
      config: { access: sellers },
      schema: {
        tags,
        operationId: 'listOrderReturns',
        summary: "An order's customer returns, oldest first",
        params: OrderParams,
        response: { 200: OrderReturnList, ...errorResponses },
      },
    },
    async (request) => listOrderReturns(ctx, request.params.id, channelScopeOf(request.principal!)),
  );
}
