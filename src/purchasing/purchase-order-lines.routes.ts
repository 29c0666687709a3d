import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { addLine } from './add-purchase-order-line.js';
import {
  LineParams,
  NewLineBody,
  PurchaseOrderParams,
  UpdateLineBody,
} from './purchase-orders.schemas.js';
import { removeLine } from './remove-purchase-order-line.js';
import { updateLine } from './update-purchase-order-line.js';

const staff = ['admin', 'staff'] as const;
const purchaseOrder = { $ref: 'PurchaseOrder' } as const;
const tags = ['purchasing'];

/** Adding, changing and removing an order's lines. */
export const purchaseOrderLineRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/purchase-orders/:id/lines',
      {
        config: { access: staff, idempotency: true },
        schema: {
          tags,
          operationId: 'addPurchaseOrderLine',
          summary: 'Add a line to a draft',
          params: PurchaseOrderParams,
          body: NewLineBody,
          response: { 201: purchaseOrder, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await addLine(
              ctx,
              request.params.id,
              request.body,
              request.principal!.actor,
              request.idempotency,
            ),
          ),
    );

    app.patch(
      '/v1/purchase-orders/:id/lines/:line',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'updatePurchaseOrderLine',
          summary: 'Change a line',
          description:
            'In a draft, any field. Once sent, only expectedDate and confidence change, and quantity can only go down, not below what has arrived (equal closes the line short). Every change after sending is kept in the history.',
          params: LineParams,
          body: UpdateLineBody,
          response: { 200: purchaseOrder, ...errorResponses },
        },
      },
      async (request) =>
        updateLine(
          ctx,
          request.params.id,
          request.params.line,
          request.body,
          request.principal!.actor,
        ),
    );

    app.delete(
      '/v1/purchase-orders/:id/lines/:line',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'removePurchaseOrderLine',
          summary: 'Remove a line from a draft',
          params: LineParams,
          response: { 200: purchaseOrder, ...errorResponses },
        },
      },
      async (request) => removeLine(ctx, request.params.id, request.params.line),
    );
  };
