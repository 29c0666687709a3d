import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { stringify } from 'csv-stringify/sync';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { stockOverviewPage, stockOverviewStream } from './stock-overview.js';
import {
  StockOverviewCsvQuery,
  StockOverviewPage,
  StockOverviewQuery,
  type StockOverviewRow,
} from './stock-overview.schemas.js';

const staff = ['admin', 'staff'] as const;

const FILTERS =
  'Filter by `sku`, `location`, `category`, `supplier` (items it sells), `q` (text in the SKU or name) and `state` (the item is in that state on `channel`, or on any channel without one); `channel` also limits `channels` to it. An unknown SKU, location, category, supplier or channel is a 404.';

const FIXED_COLUMNS = [
  'sku',
  'name',
  'category',
  'location',
  'on_hand',
  'reserved',
  'safety_stock',
  'available',
  'incoming',
  'next_expected_date',
];

/** The stock screen's list, a page at a time, and the same rows as one CSV download. */
export const stockOverviewRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/stock/overview',
      {
        config: { access: staff },
        schema: {
          tags: ['stock'],
          operationId: 'listStockOverview',
          summary: 'Every item × location with its quantities and availability per channel',
          description: `Items in catalogue order, then locations in creation order; every location is listed for each item, including those that never held it. ${FILTERS} A page filtered by state may hold fewer than \`limit\` rows; keep following \`nextCursor\` until it is null.`,
          querystring: StockOverviewQuery,
          response: { 200: StockOverviewPage, ...errorResponses },
        },
      },
      async (request) => stockOverviewPage(ctx, request.query),
    );

    app.get(
      '/v1/stock/overview.csv',
      {
        config: { access: staff },
        schema: {
          tags: ['stock'],
          operationId: 'exportStockOverviewCsv',
          summary: 'The stock overview as CSV, streamed',
          description: `Every row of the overview for the same filters, no paging. Columns: ${FIXED_COLUMNS.join(', ')}, then \`state_<channel>\` for each channel in channel order. ${FILTERS}`,
          querystring: StockOverviewCsvQuery,
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
        const { channels, rows } = await stockOverviewStream(ctx, request.query);
        const columns = [...FIXED_COLUMNS, ...channels.map((code) => `state_${code}`)];
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="stock.csv"')
          .send(Readable.from(toCsvChunks(columns, rows), { objectMode: false }));
      },
    );
  };

/** A thousand rows per chunk keeps stream overhead off a 400,000-row export. */
async function* toCsvChunks(columns: string[], rows: AsyncGenerator<StockOverviewRow>) {
  let batch: unknown[][] = [];
  let header = true;
  for await (const row of rows) {
    batch.push([
      row.sku,
      row.name,
      row.category,
      row.location,
      row.onHand,
      row.reserved,
      row.safetyStock,
      row.available,
      row.incoming,
      row.nextExpectedDate ?? '',
      ...row.channels.map((c) => c.state),
    ]);
    if (batch.length === 1000) {
      yield stringify(batch, { columns, header });
      header = false;
      batch = [];
    }
  }
  if (batch.length > 0 || header) yield stringify(batch, { columns, header });
}
