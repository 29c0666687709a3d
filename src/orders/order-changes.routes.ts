import { channelScopeOf } from '../access/channel-scope.js';
import { errorResponses } from '../http/common-schemas.js';
import { sendIdempotent } from '../http/idempotent-reply.js';
import type { AppContext } from '../kernel/context.js';
import { cancelOrder } from './cancel-order.js';
import { fulfilOrder } from './fulfil-order.js';
import { keepWaiting } from './keep-waiting.js';
import { type OrderRoutesApp, order, sellers, staff, tags } from './order-route-options.js';
import { CancelBody, Fulfilment, FulfilmentBody, OrderParams } from './orders.schemas.js';
import { KeepWaitingBody, LineParams, WaitingDecision } from './waiting-lines.schemas.js';

/** After placing: cancel, keep a line without a date waiting, and fulfilments. */
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
    '/v1/orders/:id/lines/:line/keep-waiting',
    {
      config: { access: staff },
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags,
        operationId: 'keepOrderLineWaiting',
        summary: 'Keep a line without a date waiting: the decision instead of cancelling it',
        description:
          'Changes nothing on the line; records who decided, so GET /v1/order-lines/waiting shows it as decided (keptWaiting) until the line loses its date again. 409 NOT_UNPROMISED when no units of the line wait without a date.',
        params: LineParams,
        body: KeepWaitingBody,
        response: { 200: WaitingDecision, ...errorResponses },
      },
    },
    async (request) =>
      keepWaiting(
        ctx,
        request.params.id,
        request.params.line,
        request.body,
        request.principal!.actor,
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
