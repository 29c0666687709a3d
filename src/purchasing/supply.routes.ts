import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { stringify } from 'csv-stringify';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { SupplyCsvQuery, SupplyQuery } from './supply.schemas.js';
import { getSupply, supplyExport } from './supply.service.js';

const staff = ['admin', 'staff'] as const;

const CSV_COLUMNS = [
  'sku',
  'location',
  'expected_date',
  'quantity',
  'confidence',
  'source',
  'document_id',
  'line_id',
  'supplier_or_from',
];

export const supplyRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/supply',
      {
        config: { access: staff },
        schema: {
          tags: ['purchasing'],
          operationId: 'listIncomingSupply',
          summary: 'Incoming supply of an item: open purchase-order lines and transfers in transit',
          description:
            'Give `location` for what is due there; without it, every location. Purchase orders count once sent (not as drafts) until received or cancelled, for ordered − received − cancelled units.',
          querystring: SupplyQuery,
          response: { 200: { $ref: 'Supply' }, ...errorResponses },
        },
      },
      async (request) => getSupply(ctx, request.query),
    );

    app.get(
      '/v1/supply.csv',
      {
        config: { access: staff },
        schema: {
          tags: ['purchasing'],
          operationId: 'exportIncomingSupplyCsv',
          summary: 'Every open supply line of every item as CSV, streamed',
          description: `One row per open purchase-order line or transfer in transit, items in catalogue order and each item's lines in promise order, with the columns ${CSV_COLUMNS.join(', ')}. line_id is empty for transfers; supplier_or_from is the supplier code or the source location.`,
          querystring: SupplyCsvQuery,
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
        const rows = await supplyExport(ctx, request.query);
        const csv = Readable.from(toCsvRecords(rows)).pipe(
          stringify({ header: true, columns: CSV_COLUMNS }),
        );
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="supply.csv"')
          .send(csv);
      },
    );
  };

async function* toCsvRecords(rows: Awaited<ReturnType<typeof supplyExport>>) {
  for await (const { sku, line } of rows) {
    const { source } = line;
    yield source.kind === 'purchase_order'
      ? [
          sku,
          line.location,
          line.expectedDate,
          line.open,
          line.confidence,
          source.kind,
          source.purchaseOrderId,
          source.lineId,
          source.supplier,
        ]
      : [
          sku,
          line.location,
          line.expectedDate,
          line.open,
          line.confidence,
          source.kind,
          source.transferId,
          '',
          source.from,
        ];
  }
}
