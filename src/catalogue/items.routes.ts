import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import {
  CategoryList,
  CreateItemBody,
  ItemPage,
  ItemParams,
  ListItemsQuery,
  UpdateItemBody,
} from './items.schemas.js';
import * as items from './items.service.js';

const item = { $ref: 'Item' } as const;
const staff = ['admin', 'staff'] as const;

export const itemRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/items',
      {
        config: { access: staff },
        schema: {
          tags: ['catalogue'],
          operationId: 'createItem',
          summary: 'Create an item',
          body: CreateItemBody,
          response: { 201: item, ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await items.createItem(ctx, request.body)),
    );

    app.get(
      '/v1/items',
      {
        config: { access: staff },
        schema: {
          tags: ['catalogue'],
          operationId: 'listItems',
          summary: 'List items',
          description:
            'Ordered by creation; filter by category, status or tag. With `updatedSince`, only items changed at or after it, ordered by (updatedAt, creation) for incremental sync.',
          querystring: ListItemsQuery,
          response: { 200: ItemPage, ...errorResponses },
        },
      },
      async (request) => items.listItems(ctx, request.query),
    );

    app.get(
      '/v1/items/:sku',
      {
        config: { access: staff },
        schema: {
          tags: ['catalogue'],
          operationId: 'getItem',
          summary: 'Read an item',
          params: ItemParams,
          response: { 200: item, ...errorResponses },
        },
      },
      async (request) => items.getItem(ctx, request.params.sku),
    );

    app.patch(
      '/v1/items/:sku',
      {
        config: { access: staff },
        schema: {
          tags: ['catalogue'],
          operationId: 'updateItem',
          summary: 'Change an item',
          description: 'Send only the fields to change. The SKU itself cannot change.',
          params: ItemParams,
          body: UpdateItemBody,
          response: { 200: item, ...errorResponses },
        },
      },
      async (request) =>
        items.updateItem(ctx, request.params.sku, request.body, request.principal!.actor),
    );
  };

/** The categories items carry, for filters that offer them. */
export const categoryRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/categories',
      {
        config: { access: staff },
        schema: {
          tags: ['catalogue'],
          operationId: 'listCategories',
          summary: 'Item categories in use',
          description:
            'Every category some item carries, by name, with its number of items. Not paged.',
          response: { 200: CategoryList, ...errorResponses },
        },
      },
      async () => items.listCategories(ctx),
    );
  };
