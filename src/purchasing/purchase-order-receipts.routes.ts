import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import { sendIdempotent } from '../http/idempotent-reply.js';
import type { AppContext } from '../kernel/context.js';
import { listChanges } from './purchase-order-queries.js';
import {
  ChangeList,
  PurchaseOrderParams,
  Receipt,
  ReceiptBody,
} from './purchase-orders.schemas.js';
import { receive } from './receive-purchase-order.js';

const staff = ['admin', 'staff'] as const;
const tags = ['purchasing'];

/** Goods arriving on an order, and the history of what changed after it was sent. */
export const purchaseOrderReceiptRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/purchase-orders/:id/receipts',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'receivePurchaseOrderLine',
          summary: 'Record goods received against lines',
          description:
            'Partial, complete or over-receipt (accepted and flagged). Posting the same receiptId again returns the first result with 200 and changes nothing; the same id with different lines is 409 RECEIPT_ID_CONFLICT.',
          params: PurchaseOrderParams,
          body: ReceiptBody,
          response: { 200: Receipt, 201: Receipt, ...errorResponses },
        },
      },
      async (request, reply) =>
        sendIdempotent(
          reply,
          await receive(ctx, request.params.id, request.body, request.principal!.actor),
        ),
    );

    app.get(
      '/v1/purchase-orders/:id/history',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'getPurchaseOrderHistory',
          summary: 'Every change made after the order was sent',
          params: PurchaseOrderParams,
          response: { 200: ChangeList, ...errorResponses },
        },
      },
      async (request) => listChanges(ctx, request.params.id),
    );
  };
