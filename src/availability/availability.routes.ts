import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { stringify } from 'csv-stringify/sync';
import { scopeToChannel } from '../access/auth.js';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import {
  AvailabilityParams,
  CsvFeedQuery,
  FeedPage,
  FeedQuery,
  ItemAvailabilityQuery,
} from './availability.schemas.js';
import {
  availabilityFeed,
  availabilityPage,
  getItemAvailability,
  resolveScope,
} from './availability.service.js';

const readers = ['admin', 'staff', 'channel'] as const;

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

export const availabilityRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/availability/:sku',
      {
        config: { access: readers },
        schema: {
          tags: ['availability'],
          operationId: 'getItemAvailability',
          summary: 'Can this item be bought, for a channel or at a location, in this quantity?',
          description:
            'Give `channel` (sums the locations that fulfil it) or `location`; staff and admin keys may give neither for all locations. Channel keys default to, and are limited to, their own channel.',
          params: AvailabilityParams,
          querystring: ItemAvailabilityQuery,
          response: { 200: { $ref: 'ItemAvailability' }, ...errorResponses },
        },
      },
      async (request) =>
        getItemAvailability(
          ctx,
          request.params.sku,
          scopeToChannel(request.principal!, request.query),
          request.query.quantity,
        ),
    );

    app.get(
      '/v1/availability',
      {
        config: { access: readers },
        schema: {
          tags: ['availability'],
          operationId: 'listAvailability',
          summary: 'Availability of many items: the listings feed, a page at a time',
          description:
            'Items in catalogue order. Filter by `state`, or pass `skus` for a handful of items. A page filtered by state may hold fewer than `limit` items; keep following `nextCursor` until it is null.',
          querystring: FeedQuery,
          response: { 200: FeedPage, ...errorResponses },
        },
      },
      async (request) => {
        const { query } = request;
        const scope = await resolveScope(ctx.db, scopeToChannel(request.principal!, query));
        return availabilityPage(ctx, scope, {
          quantity: query.quantity,
          limit: query.limit,
          ...(query.state !== undefined && { state: query.state }),
          ...(query.skus !== undefined && { skus: query.skus.split(',') }),
          ...(query.cursor !== undefined && { cursor: query.cursor }),
        });
      },
    );

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
        const scope = await resolveScope(ctx.db, scopeToChannel(request.principal!, query));
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
  };

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
