import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { PurchaseOrderParams, TransitionBody } from './purchase-orders.schemas.js';
import { transition } from './transition-purchase-order.js';

const staff = ['admin', 'staff'] as const;
const purchaseOrder = { $ref: 'PurchaseOrder' } as const;
const tags = ['purchasing'];

/** send, confirm and cancel: one route each, the same shape. */
export const purchaseOrderTransitionRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    for (const action of ['send', 'confirm', 'cancel'] as const) {
      app.post(
        `/v1/purchase-orders/:id/${action}`,
        {
          config: { access: staff },
          // The body (an optional reason) may be left out entirely.
          preValidation: async (request) => {
            request.body ??= {};
          },
          schema: {
            tags,
            operationId: `${action}PurchaseOrder`,
            summary: {
              send: 'Send a draft to the supplier: its dates become the first promised dates',
              confirm: 'Record that the supplier confirmed the order',
              cancel: 'Cancel an order nothing has arrived on yet',
            }[action],
            params: PurchaseOrderParams,
            body: TransitionBody,
            response: { 200: purchaseOrder, ...errorResponses },
          },
        },
        async (request) =>
          transition(
            ctx,
            request.params.id,
            action,
            request.principal!.actor,
            request.body?.reason,
          ),
      );
    }
  };
