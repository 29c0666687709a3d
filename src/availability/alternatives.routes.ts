import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { scopeToChannel } from '../access/auth.js';
import { ItemParams } from '../catalogue/items.schemas.js';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import {
  Alternatives,
  AlternativesQuery,
  ItemLinkParams,
  ItemLinks,
  PutItemLinkBody,
} from './alternatives.schemas.js';
import * as alternatives from './alternatives.service.js';
import { type RoutesApp, readers } from './route-access.js';

const staff = ['admin', 'staff'] as const;
const link = { $ref: 'ItemLink' } as const;

export const alternativeRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    linkRoutes(app, ctx);
    alternativesRoute(app, ctx);
  };

/** The links staff set between items: list, set, remove. */
function linkRoutes(app: RoutesApp, ctx: AppContext) {
  app.get(
    '/v1/items/:sku/links',
    {
      config: { access: staff },
      schema: {
        tags: ['catalogue'],
        operationId: 'listItemLinks',
        summary: 'List the alternatives staff have linked to an item',
        params: ItemParams,
        response: { 200: ItemLinks, ...errorResponses },
      },
    },
    async (request) => alternatives.listItemLinks(ctx, request.params.sku),
  );

  app.put(
    '/v1/items/:sku/links/:linkedSku',
    {
      config: { access: staff },
      schema: {
        tags: ['catalogue'],
        operationId: 'setItemLink',
        summary: 'Offer one item as an alternative to another',
        description:
          'Links are one-way: `linkedSku` is offered when `sku` cannot be bought, not the reverse. 201 when the link is new, 200 when it existed (its kind is set to the one sent).',
        params: ItemLinkParams,
        body: PutItemLinkBody,
        response: { 200: link, 201: link, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { sku, linkedSku } = request.params;
      const { created, link } = await alternatives.putItemLink(ctx, sku, linkedSku, request.body);
      return reply.status(created ? 201 : 200).send(link);
    },
  );

  app.delete(
    '/v1/items/:sku/links/:linkedSku',
    {
      config: { access: staff },
      schema: {
        tags: ['catalogue'],
        operationId: 'deleteItemLink',
        summary: 'Stop offering an item as an alternative to another',
        params: ItemLinkParams,
        response: {
          204: Type.Null({ description: 'The link is gone' }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      await alternatives.removeItemLink(ctx, request.params.sku, request.params.linkedSku);
      return reply.status(204).send(null);
    },
  );
}

function alternativesRoute(app: RoutesApp, ctx: AppContext) {
  app.get(
    '/v1/items/:sku/alternatives',
    {
      config: { access: readers },
      schema: {
        tags: ['catalogue'],
        operationId: 'listItemAlternatives',
        summary: 'What to offer instead of an item, for a channel and quantity',
        description:
          'Staff-set links first (replacements, then substitutes, in link order), then items of the same category sharing a tag and priced within ±30% of the item, by shared tags, then price distance, then SKU. Only items purchasable on the channel in the quantity asked for are listed. Channel keys may ask only for their own channel.',
        params: ItemParams,
        querystring: AlternativesQuery,
        response: { 200: Alternatives, ...errorResponses },
      },
    },
    async (request) => {
      const { channel } = scopeToChannel(request.principal!, { channel: request.query.channel });
      return alternatives.listAlternatives(ctx, request.params.sku, {
        ...request.query,
        channel: channel!,
      });
    },
  );
}
