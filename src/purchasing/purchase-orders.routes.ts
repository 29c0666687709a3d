import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { createPurchaseOrder } from './create-purchase-order.js';
import { purchaseOrderLineRoutes } from './purchase-order-lines.routes.js';
import { getPurchaseOrder, listPurchaseOrders } from './purchase-order-queries.js';
import { purchaseOrderReceiptRoutes } from './purchase-order-receipts.routes.js';
import { purchaseOrderTransitionRoutes } from './purchase-order-transitions.routes.js';
import {
  CreatePurchaseOrderBody,
  ListPurchaseOrdersQuery,
  PurchaseOrderPage,
  PurchaseOrderParams,
} from './purchase-orders.schemas.js';
import { supplierReturnRoutes } from './supplier-returns.routes.js';

const staff = ['admin', 'staff'] as const;
const purchaseOrder = { $ref: 'PurchaseOrder' } as const;
const tags = ['purchasing'];

export const purchaseOrderRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/purchase-orders',
      {
        config: { access: staff, idempotency: true },
        schema: {
          tags,
          operationId: 'createPurchaseOrder',
          summary: 'Create a purchase order (as a draft)',
          body: CreatePurchaseOrderBody,
          response: { 201: purchaseOrder, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await createPurchaseOrder(
              ctx,
              request.body,
              request.principal!.actor,
              request.idempotency,
            ),
          ),
    );

    app.get(
      '/v1/purchase-orders',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'listPurchaseOrders',
          summary: 'List purchase orders',
          querystring: ListPurchaseOrdersQuery,
          response: { 200: PurchaseOrderPage, ...errorResponses },
        },
      },
      async (request) => listPurchaseOrders(ctx, request.query),
    );

    app.get(
      '/v1/purchase-orders/:id',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'getPurchaseOrder',
          summary: 'Read a purchase order with its lines',
          params: PurchaseOrderParams,
          response: { 200: purchaseOrder, ...errorResponses },
        },
      },
      async (request) => getPurchaseOrder(ctx, request.params.id),
    );

    // The rest in their own plugins, registered in this order so the OpenAPI document's
    // paths keep theirs.
    await app.register(purchaseOrderTransitionRoutes(ctx));
    await app.register(purchaseOrderLineRoutes(ctx));
    await app.register(purchaseOrderReceiptRoutes(ctx));
    await app.register(supplierReturnRoutes(ctx));
  };
