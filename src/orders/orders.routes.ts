import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { scopeToChannel } from '../access/auth.js';
import { channelScopeOf } from '../access/channel-scope.js';
import { errorResponses } from '../http/common-schemas.js';
import { sendIdempotent } from '../http/idempotent-reply.js';
import type { AppContext } from '../kernel/context.js';
import { ReplayedRefusal } from '../kernel/idempotency/idempotency.service.js';
import { cancelOrder, fulfilOrder } from './order-changes.service.js';
import * as reports from './order-reports.service.js';
import {
  CancelBody,
  Fulfilment,
  FulfilmentBody,
  IdempotencyHeaders,
  ListOrdersQuery,
  LostDemandPage,
  LostDemandQuery,
  OrderPage,
  OrderParams,
  PlaceOrderBody,
  PromiseChangeList,
  Quote,
  QuoteBody,
  WaitingLinePage,
  WaitingLinesQuery,
} from './orders.schemas.js';
import * as orders from './orders.service.js';

const sellers = ['admin', 'staff', 'channel'] as const;
const staff = ['admin', 'staff'] as const;
const order = { $ref: 'Order' } as const;
const tags = ['orders'];
const withIdempotency = { ...errorResponses, 422: { $ref: 'ErrorResponse' } } as const;

export const orderRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
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
        return orders.quoteOrder(ctx, request.body);
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
        const placed = await orders
          .placeOrder(ctx, request.body, request.headers['idempotency-key'], request.principal!)
          .catch((error: unknown) => {
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

    app.get(
      '/v1/orders',
      {
        config: { access: sellers },
        schema: {
          tags,
          operationId: 'listOrders',
          summary: 'List orders, oldest first',
          querystring: ListOrdersQuery,
          response: { 200: OrderPage, ...errorResponses },
        },
      },
      async (request) =>
        orders.listOrders(ctx, {
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
      async (request) =>
        orders.getOrder(ctx, request.params.id, channelScopeOf(request.principal!)),
    );

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

    app.get(
      '/v1/orders/:id/promise-changes',
      {
        config: { access: sellers },
        schema: {
          tags,
          operationId: 'listOrderPromiseChanges',
          summary: 'Every change to the promised dates of the order lines, oldest first',
          params: OrderParams,
          response: { 200: PromiseChangeList, ...errorResponses },
        },
      },
      async (request) =>
        reports.promiseChanges(ctx, request.params.id, channelScopeOf(request.principal!)),
    );

    app.get(
      '/v1/order-lines/waiting',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'listWaitingOrderLines',
          summary: 'Lines waiting for supply: unpromised ones (no date) by default, for staff',
          querystring: WaitingLinesQuery,
          response: { 200: WaitingLinePage, ...errorResponses },
        },
      },
      async (request) => reports.waitingLines(ctx, request.query),
    );

    app.get(
      '/v1/lost-demand',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'listLostDemand',
          summary: 'Refused order lines: what could not be sold, newest first',
          querystring: LostDemandQuery,
          response: { 200: LostDemandPage, ...errorResponses },
        },
      },
      async (request) => reports.lostDemand(ctx, request.query),
    );
  };
