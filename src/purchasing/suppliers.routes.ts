import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { supplierItemRoutes } from './supplier-items.routes.js';
import { supplierPerformanceRoutes } from './supplier-performance.routes.js';
import {
  CreateSupplierBody,
  ListSuppliersQuery,
  SupplierPage,
  SupplierParams,
  UpdateSupplierBody,
} from './suppliers.schemas.js';
import * as suppliers from './suppliers.service.js';

const supplier = { $ref: 'Supplier' } as const;
const staff = ['admin', 'staff'] as const;
const tags = ['suppliers'];

export const supplierRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/suppliers',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'createSupplier',
          summary: 'Create a supplier',
          body: CreateSupplierBody,
          response: { 201: supplier, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await suppliers.createSupplier(ctx, request.body)),
    );

    app.get(
      '/v1/suppliers',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'listSuppliers',
          summary: 'List suppliers',
          querystring: ListSuppliersQuery,
          response: { 200: SupplierPage, ...errorResponses },
        },
      },
      async (request) => suppliers.listSuppliers(ctx, request.query),
    );

    app.get(
      '/v1/suppliers/:code',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'getSupplier',
          summary: 'Read a supplier',
          params: SupplierParams,
          response: { 200: supplier, ...errorResponses },
        },
      },
      async (request) => suppliers.getSupplier(ctx, request.params.code),
    );

    app.patch(
      '/v1/suppliers/:code',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'updateSupplier',
          summary: 'Change a supplier',
          description: 'Send only the fields to change. The code itself cannot change.',
          params: SupplierParams,
          body: UpdateSupplierBody,
          response: { 200: supplier, ...errorResponses },
        },
      },
      async (request) => suppliers.updateSupplier(ctx, request.params.code, request.body),
    );

    // Registered in this order so the OpenAPI document's paths keep theirs.
    await app.register(supplierItemRoutes(ctx));
    await app.register(supplierPerformanceRoutes(ctx));
  };
