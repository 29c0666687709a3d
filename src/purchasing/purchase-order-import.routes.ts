import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { AppError } from '../shared/errors.js';
import {
  IMPORT_COLUMNS,
  ImportResult,
  MAX_LINES_PER_ORDER,
  MAX_ROWS,
  REQUIRED_COLUMNS,
} from './purchase-order-import.js';
import { importPurchaseOrders } from './purchase-order-import.service.js';

const staff = ['admin', 'staff'] as const;
const tags = ['purchasing'];
/** A CSV file, bigger than the JSON bodies everywhere else. */
const MAX_BYTES = 5 * 1024 * 1024;

const EXAMPLE = [
  'supplier,location,reference,sku,quantity,unit_cost,expected_date,confidence',
  'ACME,W1,PO-2026-118,KET-01,24,12.50,2026-12-10,confirmed',
  'ACME,W1,PO-2026-118,TOA-02,12,,,',
  'BREW,S1,"PO 119, urgent",MUG-07,100,1.99,2026-12-03,estimated',
].join('\n');

const CsvBody = Type.String({
  description: `A header row, then one row per order line. Columns: ${IMPORT_COLUMNS.join(', ')}; ${REQUIRED_COLUMNS.join(', ')} are required. Rows with the same reference form one order (same supplier and location), lines in file order. Empty unit_cost, expected_date or confidence take the defaults of POST /v1/purchase-orders. UTF-8, a BOM and CRLF line endings are accepted; up to ${MAX_ROWS} rows, ${MAX_LINES_PER_ORDER} lines per order, 5 MB.`,
  examples: [EXAMPLE],
});

const ImportQuery = Type.Object(
  {
    dryRun: Type.Boolean({
      default: false,
      description: 'Check the file and report the orders it would create, creating none',
    }),
  },
  { additionalProperties: false },
);

const errorRef = Type.Ref('ErrorResponse');

/**
 * Refused before the body is read: Fastify's own 415 would tell the client to send JSON.
 * Runs after authentication, so an unknown caller learns nothing from it.
 */
async function requireCsv(request: FastifyRequest): Promise<void> {
  const type = request.headers['content-type'];
  if (type?.split(';')[0]?.trim().toLowerCase() !== 'text/csv') {
    throw new AppError(
      'unsupported_media_type',
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the file with Content-Type: text/csv',
      {
        contentType: type ?? null,
      },
    );
  }
}

export const purchaseOrderImportRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Scoped to this plugin: everywhere else a CSV body stays a 415.
    app.addContentTypeParser(
      'text/csv',
      { parseAs: 'string', bodyLimit: MAX_BYTES },
      (_request, body, done) => done(null, body),
    );

    app.post(
      '/v1/purchase-orders/import',
      {
        config: { access: staff },
        bodyLimit: MAX_BYTES,
        onRequest: requireCsv,
        schema: {
          tags,
          operationId: 'importPurchaseOrders',
          summary: 'Import purchase orders from a CSV file, as drafts',
          description:
            'Every row is checked and every problem reported by line (the header is line 1) in one 422 IMPORT_INVALID; if any row is wrong nothing is imported. A file that cannot be read as a whole (malformed CSV, unknown or missing columns, no rows) is a 400. A reference the supplier already has on a purchase order is refused, so importing the same file twice creates the orders once. With dryRun=true the answer is the same (200) and nothing is created; otherwise all orders are created in one transaction (201).',
          consumes: ['text/csv'],
          querystring: ImportQuery,
          body: CsvBody,
          response: {
            200: ImportResult,
            201: ImportResult,
            ...errorResponses,
            413: errorRef,
            415: errorRef,
            422: errorRef,
          },
        },
      },
      async (request, reply) => {
        const result = await importPurchaseOrders(
          ctx,
          request.body,
          { dryRun: request.query.dryRun },
          request.principal!.actor,
        );
        return reply.status(result.dryRun ? 200 : 201).send(result);
      },
    );
  };
