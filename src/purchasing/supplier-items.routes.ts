import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import {
  ItemSuppliers,
  ItemSuppliersParams,
  ListSupplierItemsQuery,
  PutSupplierItemBody,
  SupplierItemPage,
  SupplierItemParams,
  SupplierParams,
} from './suppliers.schemas.js';
import * as suppliers from './suppliers.service.js';

const supplierItem = { $ref: 'SupplierItem' } as const;
const staff = ['admin', 'staff'] as const;
const tags = ['suppliers'];

/** What each supplier sells and at what cost. */
export const supplierItemRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/suppliers/:code/items',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'listSupplierItems',
          summary: 'List the items a supplier sells',
          params: SupplierParams,
          querystring: ListSupplierItemsQuery,
          response: { 200: SupplierItemPage, ...errorResponses },
        },
      },
      async (request) => suppliers.listSupplierItems(ctx, request.params.code, request.query),
    );

    app.put(
      '/v1/suppliers/:code/items/:sku',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'setSupplierItem',
          summary: 'Set what a supplier charges for an item',
          description:
            'Creates the link or replaces it whole: fields left out go back to their defaults. preferred=true makes this the only preferred supplier of the item.',
          params: SupplierItemParams,
          body: PutSupplierItemBody,
          response: { 200: supplierItem, ...errorResponses },
        },
      },
      async (request) =>
        suppliers.putSupplierItem(ctx, request.params.code, request.params.sku, request.body),
    );

    app.delete(
      '/v1/suppliers/:code/items/:sku',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'deleteSupplierItem',
          summary: 'Stop buying an item from a supplier',
          description: 'Purchase orders already placed keep their lines and costs.',
          params: SupplierItemParams,
          response: {
            204: Type.Null({ description: 'The supplier no longer sells the item' }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        await suppliers.removeSupplierItem(ctx, request.params.code, request.params.sku);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/items/:sku/suppliers',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'listItemSuppliers',
          summary: 'List the suppliers that sell an item',
          params: ItemSuppliersParams,
          response: { 200: ItemSuppliers, ...errorResponses },
        },
      },
      async (request) => suppliers.listItemSuppliers(ctx, request.params.sku),
    );
  };
