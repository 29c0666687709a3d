import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import { sendIdempotent } from '../http/idempotent-reply.js';
import type { AppContext } from '../kernel/context.js';
import {
  DispatchBody,
  ListTransfersQuery,
  RescheduleBody,
  TransferPage,
  TransferParams,
  TransferReceipt,
  TransferReceiptBody,
} from './transfers.schemas.js';
import * as transfers from './transfers.service.js';

const staff = ['admin', 'staff'] as const;
const transferDocument = { $ref: 'TransferDocument' } as const;

/** The steps of a transfer: dispatch, receipts, a new due date. */
const transferStepRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/transfers',
      {
        config: { access: staff, idempotency: true },
        schema: {
          tags: ['stock'],
          operationId: 'dispatchTransfer',
          summary: 'Dispatch units to another location',
          description:
            'The units leave the source now (transfer_out ledger row referencing transfer:<id>; only unreserved units, else 409 INSUFFICIENT_STOCK) and count as incoming at the destination, due on expectedDate, until they are received. For a move that is already made, use POST /v1/stock/transfers.',
          body: DispatchBody,
          response: { 201: transferDocument, ...errorResponses },
        },
      },
      async ({ body, principal, idempotency }, reply) =>
        reply
          .status(201)
          .send(await transfers.dispatchTransfer(ctx, body, principal!.actor, idempotency)),
    );

    app.post(
      '/v1/transfers/:id/receipts',
      {
        config: { access: staff },
        schema: {
          tags: ['stock'],
          operationId: 'receiveTransfer',
          summary: 'Receive units of a transfer at its destination',
          description:
            'Part of the transfer may arrive at a time: each receipt adds a transfer_in ledger row at the destination referencing transfer:<id>/receipt:<receiptId>. Answers 201 when recorded; posting the same receiptId with the same quantity again answers 200 with the same receipt and changes nothing (another quantity: 409 RECEIPT_ID_CONFLICT). More than is still in transit: 409 TRANSFER_OVER_RECEIPT. A transfer received in full or completed at once: 409 INVALID_TRANSFER_STATE.',
          params: TransferParams,
          body: TransferReceiptBody,
          response: { 200: TransferReceipt, 201: TransferReceipt, ...errorResponses },
        },
      },
      async (request, reply) =>
        sendIdempotent(
          reply,
          await transfers.receiveTransfer(
            ctx,
            request.params.id,
            request.body,
            request.principal!.actor,
          ),
        ),
    );

    app.patch(
      '/v1/transfers/:id',
      {
        config: { access: staff },
        schema: {
          tags: ['stock'],
          operationId: 'rescheduleTransfer',
          summary: 'Change the date a transfer in transit is due',
          description:
            'Records a transfer.expected_date_changed event with the old and new date. Only while units are in transit (409 INVALID_TRANSFER_STATE otherwise).',
          params: TransferParams,
          body: RescheduleBody,
          response: { 200: transferDocument, ...errorResponses },
        },
      },
      async (request) =>
        transfers.rescheduleTransfer(
          ctx,
          request.params.id,
          request.body,
          request.principal!.actor,
        ),
    );
  };

/** Transfers as they stand. */
const transferReadRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/transfers/:id',
      {
        config: { access: staff },
        schema: {
          tags: ['stock'],
          operationId: 'getTransfer',
          summary: 'One transfer: what was sent, what has arrived, what is in transit',
          params: TransferParams,
          response: { 200: transferDocument, ...errorResponses },
        },
      },
      async (request) => transfers.getTransfer(ctx, request.params.id),
    );

    app.get(
      '/v1/transfers',
      {
        config: { access: staff },
        schema: {
          tags: ['stock'],
          operationId: 'listTransfers',
          summary: 'Transfers, oldest first',
          description:
            'Both kinds: dispatched transfers and immediate moves (state completed). `location` matches either end.',
          querystring: ListTransfersQuery,
          response: { 200: TransferPage, ...errorResponses },
        },
      },
      async (request) => transfers.listTransfers(ctx, request.query),
    );
  };

/**
 * Called, not registered: the routes join `app` itself in this order, so the OpenAPI
 * document and encapsulation stay as they were when this was one plugin.
 */
export const transferRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app, options) => {
    await transferStepRoutes(ctx)(app, options);
    await transferReadRoutes(ctx)(app, options);
  };
