import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { scopeToChannel } from '../access/auth.js';
import { channelScopeOf } from '../access/channel-scope.js';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { subscribe } from './subscribe.js';
import {
  CreateSubscriptionBody,
  ListSubscriptionsQuery,
  NewSubscription,
  SubscriptionPage,
  SubscriptionParams,
  TokenParams,
} from './subscriptions.schemas.js';
import * as subscriptions from './subscriptions.service.js';

const sellers = ['admin', 'staff', 'channel'] as const;
const staff = ['admin', 'staff'] as const;
const tags = ['subscriptions'];

type RoutesApp = Parameters<FastifyPluginAsyncTypebox>[0];

export const subscriptionRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    subscribeRoute(app, ctx);
    staffRoutes(app, ctx);
    unsubscribeRoute(app, ctx);
  };

function subscribeRoute(app: RoutesApp, ctx: AppContext) {
  app.post(
    '/v1/subscriptions',
    {
      config: { access: sellers, idempotency: true },
      schema: {
        tags,
        operationId: 'createSubscription',
        summary: 'Ask to be told when an item is back in stock on a channel ("notify me")',
        description:
          'Subscribers are served first come, first served: when units are back on the shelf (never merely because backorders or preorders became possible), the first wave reaches at most the units back × the configured multiple, and further waves follow after the configured delay while stock is still there. The contact for `preferredChannel` is required (400 CONTACT_REQUIRED). The same contact already waiting for the item on the channel gets its existing place back (200) instead of a second one (201). Refused with 409 ITEM_DISCONTINUED for an item that will not come back, and with 409 IN_STOCK (details: state, available) when the item can be bought from stock on the channel now: there is nothing to wait for. Channel keys may subscribe only for their own channel.',
        body: CreateSubscriptionBody,
        response: { 200: NewSubscription, 201: NewSubscription, ...errorResponses },
      },
    },
    async (request, reply) => {
      scopeToChannel(request.principal!, { channel: request.body.channel });
      const { created, subscription } = await subscribe(
        ctx,
        request.body,
        channelScopeOf(request.principal!),
        request.idempotency,
      );
      return reply.status(created ? 201 : 200).send(subscription);
    },
  );
}

/** What staff see of the queues: the list and one subscription. */
function staffRoutes(app: RoutesApp, ctx: AppContext) {
  app.get(
    '/v1/subscriptions',
    {
      config: { access: staff },
      schema: {
        tags,
        operationId: 'listSubscriptions',
        summary: 'List "notify me" subscriptions, oldest first',
        description:
          'Filter by item, channel and state; `position` is the place in the queue of those still waiting.',
        querystring: ListSubscriptionsQuery,
        response: { 200: SubscriptionPage, ...errorResponses },
      },
    },
    async (request) => subscriptions.listSubscriptions(ctx, request.query),
  );

  app.get(
    '/v1/subscriptions/:id',
    {
      config: { access: staff },
      schema: {
        tags,
        operationId: 'getSubscription',
        summary: 'One "notify me" subscription',
        params: SubscriptionParams,
        response: { 200: { $ref: 'Subscription' }, ...errorResponses },
      },
    },
    async (request) => subscriptions.getSubscription(ctx, request.params.id),
  );
}

function unsubscribeRoute(app: RoutesApp, ctx: AppContext) {
  app.delete(
    '/v1/subscriptions/by-token/:token',
    {
      config: { access: 'public' },
      schema: {
        tags,
        operationId: 'deleteSubscriptionByToken',
        summary: 'Unsubscribe with the token from the subscription or its message',
        description:
          'Needs no API key: the token is the credential (it is in every back-in-stock message). Unsubscribing twice is not an error (204); an unknown token is 404.',
        params: TokenParams,
        security: [],
        response: {
          204: Type.Null({ description: 'Unsubscribed' }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      await subscriptions.unsubscribeByToken(ctx, request.params.token);
      return reply.status(204).send(null);
    },
  );
}
