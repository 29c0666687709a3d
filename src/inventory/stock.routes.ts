import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { setQuantitiesRoutes } from './set-quantities.routes.js';
import {
  AdjustmentBody,
  AuditReport,
  CountBody,
  LedgerPage,
  ListLedgerQuery,
  ListStockQuery,
  StockChange,
  StockPage,
  StockParams,
  Transfer,
  TransferBody,
  UpdateStockBody,
} from './stock.schemas.js';
import * as stock from './stock.service.js';
import { stockOverviewRoutes } from './stock-overview.routes.js';

const staff = ['admin', 'staff'] as const;
const stockLevel = { $ref: 'StockLevel' } as const;

/** Moves of on_hand: adjustments, counts and immediate transfers, each idempotent. */
const stockMoveRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/stock/adjustments',
      {
        config: { access: staff, idempotency: true },
        schema: {
          tags: ['stock'],
          operationId: 'adjustStock',
          summary: 'Add or remove units with a reason',
          description:
            'Writes one ledger row in the same transaction. Refused with 409 INSUFFICIENT_STOCK if fewer units would remain than are reserved for orders.',
          body: AdjustmentBody,
          response: { 201: StockChange, ...errorResponses },
        },
      },
      async ({ body, principal, idempotency }, reply) =>
        reply.status(201).send(await stock.adjustStock(ctx, body, principal!.actor, idempotency)),
    );

    app.post(
      '/v1/stock/counts',
      {
        config: { access: staff, idempotency: true },
        schema: {
          tags: ['stock'],
          operationId: 'recordStockCount',
          summary: 'Record a physical count',
          description:
            'Sets on_hand to the counted quantity. With `expected`, applies only if on_hand still equals it (409 STALE_COUNT otherwise, nothing changed).',
          body: CountBody,
          response: { 201: StockChange, ...errorResponses },
        },
      },
      async ({ body, principal, idempotency }, reply) =>
        reply.status(201).send(await stock.recordCount(ctx, body, principal!.actor, idempotency)),
    );

    app.post(
      '/v1/stock/transfers',
      {
        config: { access: staff, idempotency: true },
        schema: {
          tags: ['stock'],
          operationId: 'transferStock',
          summary: 'Move units between two locations at once',
          description:
            'Only unreserved units can move. Writes transfer_out and transfer_in ledger rows.',
          body: TransferBody,
          response: { 201: Transfer, ...errorResponses },
        },
      },
      async ({ body, principal, idempotency }, reply) =>
        reply.status(201).send(await stock.transferStock(ctx, body, principal!.actor, idempotency)),
    );
  };

/** Stock levels, the ledger and its audit, and safety stock. */
const stockReadRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/stock',
      {
        config: { access: staff },
        schema: {
          tags: ['stock'],
          operationId: 'listStockLevels',
          summary: 'Stock levels per item × location',
          description:
            'In item, then location order. With `updatedSince`, only rows whose quantities or safety stock changed at or after it, ordered by (updatedAt, item, location) for incremental sync.',
          querystring: ListStockQuery,
          response: { 200: StockPage, ...errorResponses },
        },
      },
      async (request) => stock.listStock(ctx, request.query),
    );

    app.get(
      '/v1/stock/ledger',
      {
        config: { access: staff },
        schema: {
          tags: ['stock'],
          operationId: 'listLedgerEntries',
          summary: 'Stock ledger, newest first',
          querystring: ListLedgerQuery,
          response: { 200: LedgerPage, ...errorResponses },
        },
      },
      async (request) => stock.listLedger(ctx, request.query),
    );

    app.get(
      '/v1/stock/audit',
      {
        config: { access: staff },
        schema: {
          tags: ['stock'],
          operationId: 'auditStock',
          summary: 'Recompute on_hand from the ledger and report drift',
          response: { 200: AuditReport, ...errorResponses },
        },
      },
      async () => stock.auditLedger(ctx),
    );

    app.get(
      '/v1/stock/:sku/:location',
      {
        config: { access: staff },
        schema: {
          tags: ['stock'],
          operationId: 'getStockLevel',
          summary: 'Stock level of one item at one location',
          params: StockParams,
          response: { 200: stockLevel, ...errorResponses },
        },
      },
      async (request) => stock.getStockLevel(ctx, request.params.sku, request.params.location),
    );

    app.patch(
      '/v1/stock/:sku/:location',
      {
        config: { access: staff },
        schema: {
          tags: ['stock'],
          operationId: 'setSafetyStock',
          summary: 'Set the safety stock held back from sale',
          params: StockParams,
          body: UpdateStockBody,
          response: { 200: stockLevel, ...errorResponses },
        },
      },
      async ({ params, body }) =>
        stock.setSafetyStock(ctx, params.sku, params.location, body.safetyStock),
    );
  };

/**
 * Called, not registered: the routes join `app` itself in this order, so the OpenAPI
 * document and encapsulation stay as they were when this was one plugin.
 */
export const stockRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app, options) => {
    await stockMoveRoutes(ctx)(app, options);
    await setQuantitiesRoutes(ctx)(app, options);
    await stockReadRoutes(ctx)(app, options);
    await stockOverviewRoutes(ctx)(app, options);
  };
