import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { scopeToChannel } from '../access/auth.js';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { CsvFeedQuery } from './availability.schemas.js';
import { availabilityFeed, resolveScope } from './availability.service.js';
import { type RoutesApp, readers } from './route-access.js';

const CSV_COLUMNS = [
  'sku',
  'name',
  'state',
  'purchasable',
  'available',
  'on_hand',
  'reserved',
  'safety_stock',
  'incoming',
  'restock',
  'expected_date',
  'confidence',
  'reason',
  'next_expected_date',
  'release_date',
];

/** GET /v1/availability.csv: the listings feed streamed as CSV. */
export function csvFeedRoute(app: RoutesApp, ctx: AppContext) {
  app.get(
    '/v1/availability.csv',
    {
      config: { access: readers },
      schema: {
        tags: ['availability'],
        operationId: 'exportAvailabilityCsv',
        summary: 'The whole listings feed as CSV, streamed',
        description: `One row per item with the columns ${CSV_COLUMNS.join(', ')}. New columns are only ever added at the end. expected_date and confidence are set for backorders (and for preorders promised later than their release_date), release_date for preorders.`,
        querystring: CsvFeedQuery,
        response: {
          200: {
            description: 'CSV with a header row',
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { query } = request;
      const scope = await resolveScope(
        ctx.db,
        scopeToChannel(request.principal!, query),
        ctx.channels,
      );
      const rows = availabilityFeed(ctx, scope, {
        quantity: query.quantity,
        ...(query.state !== undefined && { state: query.state }),
      });
      const csv = Readable.from(toCsvChunks(rows), { objectMode: false });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="availability.csv"')
        .send(csv);
    },
  );
}

/**
 * The feed as CSV text, a thousand rows per chunk: csv-stringify does the quoting, and
 * writing chunks rather than rows keeps stream overhead off a 100,000-row feed.
 */
async function* toCsvChunks(rows: ReturnType<typeof availabilityFeed>) {
  const options = { columns: CSV_COLUMNS, cast: { boolean: (value: boolean) => String(value) } };
  let batch: unknown[][] = [];
  let header = true;
  for await (const record of toCsvRecords(rows)) {
    batch.push(record);
    if (batch.length === 1000) {
      yield stringify(batch, { ...options, header });
      header = false;
      batch = [];
    }
  }
  if (batch.length > 0 || header) yield stringify(batch, { ...options, header });
}

async function* toCsvRecords(rows: ReturnType<typeof availabilityFeed>) {
  for await (const { availability: a } of rows) {
    yield [
      a.sku,
      a.name,
      a.state,
      a.purchasable,
      a.quantities.available,
      a.quantities.onHand,
      a.quantities.reserved,
      a.quantities.safetyStock,
      a.quantities.incoming,
      a.restock ?? '',
      a.expectedDate ?? '',
      a.confidence ?? '',
      a.reason,
      a.nextExpectedDate ?? '',
      a.releaseDate ?? '',
    ];
  }
}
