import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../http/common-schemas.js';
import { validatorCompiler } from '../http/validation.js';
import type { AppContext } from '../kernel/context.js';
import { AppError } from '../shared/errors.js';
import { HistoryCsvBody, HistoryImportQuery, MAX_HISTORY_BYTES } from './history.schemas.js';
import { HistoryImportSummary, parseColumnMapping } from './history-import.js';
import { importSalesHistory } from './history-import.service.js';

const staff = ['admin', 'staff'] as const;
const errorRef = Type.Ref('ErrorResponse');
const BODY_TYPES = ['text/csv', 'application/gzip'];

/**
 * Refused before the body is read: Fastify's own 415 would tell the client to send JSON.
 * Runs after authentication, so an unknown caller learns nothing from it.
 */
async function requireCsv(request: FastifyRequest): Promise<void> {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type === undefined || !BODY_TYPES.includes(type)) {
    throw new AppError(
      'unsupported_media_type',
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the file with Content-Type: text/csv (or application/gzip)',
      { contentType: request.headers['content-type'] ?? null },
    );
  }
}

/**
 * The body arrives as bytes (it may be gzip, which no text check applies to): the schema
 * documents it, and the import checks it row by row. Everything else is validated as usual.
 */
const bytesBody: FastifySchemaCompiler<object> = (route) =>
  route.httpPart === 'body' ? () => true : validatorCompiler(route);

export const historyRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Scoped to this plugin: everywhere else a CSV body stays a 415.
    app.addContentTypeParser(
      BODY_TYPES,
      { parseAs: 'buffer', bodyLimit: MAX_HISTORY_BYTES },
      (_request, body, done) => done(null, body),
    );

    app.post(
      '/v1/history',
      {
        config: { access: staff },
        bodyLimit: MAX_HISTORY_BYTES,
        onRequest: requireCsv,
        validatorCompiler: bytesBody,
        schema: {
          tags: ['demand'],
          operationId: 'importSalesHistory',
          summary: 'Import daily sales history from a CSV file (plain or gzip)',
          description:
            'Units sold per item, location and day, the history demand forecasts learn from. Every row is checked and every problem reported by line (the header is line 1) in one 422 IMPORT_INVALID (the first 1,000, with errorCount); if any row is wrong nothing is imported. An item, location and day already imported is replaced, so sending the same file twice changes nothing; within one file the last row for a key wins. A file that cannot be read as a whole (malformed CSV or gzip, missing columns, empty) is a 400.',
          consumes: BODY_TYPES,
          querystring: HistoryImportQuery,
          body: HistoryCsvBody,
          response: {
            200: HistoryImportSummary,
            ...errorResponses,
            413: errorRef,
            415: errorRef,
            422: errorRef,
          },
        },
      },
      async (request) => {
        const body = request.body as unknown as Buffer;
        return importSalesHistory(ctx, Readable.from([body]), {
          columns: parseColumnMapping(request.query.columns),
          createMissing: request.query.createMissing,
        });
      },
    );
  };
