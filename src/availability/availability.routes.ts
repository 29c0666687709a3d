import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { scopeToChannel } from '../access/auth.js';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import {
  AvailabilityParams,
  FeedPage,
  FeedQuery,
  ItemAvailabilityQuery,
} from './availability.schemas.js';
import { availabilityPage, getItemAvailability, resolveScope } from './availability.service.js';
import { csvFeedRoute } from './availability-csv.routes.js';
import { type RoutesApp, readers } from './route-access.js';

export const availabilityRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    itemRoute(app, ctx);
    feedRoute(app, ctx);
    csvFeedRoute(app, ctx);
  };

function itemRoute(app: RoutesApp, ctx: AppContext) {
  app.get(
    '/v1/availability/:sku',
    {
      config: { access: readers },
      schema: {
        tags: ['availability'],
        operationId: 'getItemAvailability',
        summary: 'Can this item be bought, for a channel or at a location, in this quantity?',
        description:
          'Give `channel` (sums the locations that fulfil it) or `location`; staff and admin keys may give neither for all locations. Channel keys default to, and are limited to, their own channel.',
        params: AvailabilityParams,
        querystring: ItemAvailabilityQuery,
        response: { 200: { $ref: 'ItemAvailability' }, ...errorResponses },
      },
    },
    async (request) =>
      getItemAvailability(
        ctx,
        request.params.sku,
        scopeToChannel(request.principal!, request.query),
        request.query.quantity,
      ),
  );
}

function feedRoute(app: RoutesApp, ctx: AppContext) {
  app.get(
    '/v1/availability',
    {
      config: { access: readers },
      schema: {
        tags: ['availability'],
        operationId: 'listAvailability',
        summary: 'Availability of many items: the listings feed, a page at a time',
        description:
          'Items in catalogue order. Filter by `state`, or pass `skus` for a handful of items. A page filtered by state may hold fewer than `limit` items; keep following `nextCursor` until it is null.',
        querystring: FeedQuery,
        response: { 200: FeedPage, ...errorResponses },
      },
    },
    async (request) => {
      const { query } = request;
      const scope = await resolveScope(
        ctx.db,
        scopeToChannel(request.principal!, query),
        ctx.channels,
      );
      return availabilityPage(ctx, scope, {
        quantity: query.quantity,
        limit: query.limit,
        ...(query.state !== undefined && { state: query.state }),
        ...(query.skus !== undefined && { skus: query.skus.split(',') }),
        ...(query.cursor !== undefined && { cursor: query.cursor }),
      });
    },
  );
}
