import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { PurchaseOrderParams } from './purchase-orders.schemas.js';
import { listSupplierReturns, returnToSupplier } from './supplier-returns.js';
import {
  SupplierReturnBody,
  SupplierReturnHeaders,
  SupplierReturnList,
  SupplierReturnParams,
  SupplierReturnReceipt,
} from './supplier-returns.schemas.js';

const staff = ['admin', 'staff'] as const;
const tags = ['purchasing'];

/** Received units sent back to the supplier, and the list of them per order. */
export const supplierReturnRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/purchase-orders/:id/lines/:line/returns',
      {
        config: { access: staff, idempotency: true },
        schema: {
          tags,
          operationId: 'returnPurchaseOrderLine',
          summary: 'Send received units back to the supplier',
          description:
            "Stock leaves `location` (the order's location by default) with a return ledger row of −quantity, only from units not reserved for orders (409 INSUFFICIENT_STOCK). At most the line's received units not yet returned (409 RETURN_EXCEEDS_RECEIVED). Refusals change nothing. The line's open quantity stays; the supplier's fill rate counts received − returned. Records the event po.line_returned. Requires an Idempotency-Key header.",
          headers: SupplierReturnHeaders,
          params: SupplierReturnParams,
          body: SupplierReturnBody,
          response: { 201: SupplierReturnReceipt, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await returnToSupplier(
              ctx,
              request.params,
              request.body,
              request.principal!.actor,
              request.idempotency,
            ),
          ),
    );

    app.get(
      '/v1/purchase-orders/:id/returns',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'listPurchaseOrderReturns',
          summary: "A purchase order's returns to the supplier, oldest first",
          params: PurchaseOrderParams,
          response: { 200: SupplierReturnList, ...errorResponses },
        },
      },
      async (request) => listSupplierReturns(ctx, request.params.id),
    );
  };
