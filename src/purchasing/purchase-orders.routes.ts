import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import { sendIdempotent } from '../http/idempotent-reply.js';
import type { AppContext } from '../kernel/context.js';
import {
  ChangeList,
  CreatePurchaseOrderBody,
  LineParams,
  ListPurchaseOrdersQuery,
  NewLineBody,
  PurchaseOrderPage,
  PurchaseOrderParams,
  Receipt,
  ReceiptBody,
  TransitionBody,
  UpdateLineBody,
} from './purchase-orders.schemas.js';
import * as orders from './purchase-orders.service.js';

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
            await orders.createPurchaseOrder(
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
      async (request) => orders.listPurchaseOrders(ctx, request.query),
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
      async (request) => orders.getPurchaseOrder(ctx, request.params.id),
    );

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
          orders.transition(
            ctx,
            request.params.id,
            action,
            request.principal!.actor,
            request.body?.reason,
          ),
      );
    }

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
            await orders.addLine(
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
        orders.updateLine(
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
      async (request) => orders.removeLine(ctx, request.params.id, request.params.line),
    );

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
          await orders.receive(ctx, request.params.id, request.body, request.principal!.actor),
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
      async (request) => orders.listChanges(ctx, request.params.id),
    );
  };
