import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TObject } from 'typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { backorderWaitReport, lostDemandReport } from './order-reports.service.js';
import { reportResponse, sendReport } from './report-csv.js';
import { resolveScope } from './report-scope.js';
import * as schemas from './reports.schemas.js';
import {
  bestSellerReport,
  emergingReport,
  excessStockReport,
  seasonalityReport,
} from './sales-reports.service.js';
import { supplierScorecards } from './scorecards.service.js';
import { repeatStockoutReport, stockoutReport } from './stockouts.service.js';

const staff = ['admin', 'staff'] as const;
const tags = ['reports'];

const PERIOD_NOTE =
  'The period runs from `from` to `to`, both included (default: the 90 days ending today); days are UTC days. A period ending before it starts, or longer than ten years, is a 400; an unknown location, category, supplier or channel a 404.';

/** Route options of a report: staff only, its query, and the JSON and CSV forms of its answer. */
function reportOptions<Q extends TObject>(spec: {
  name: string;
  operationId: string;
  summary: string;
  description: string;
  querystring: Q;
  report: TObject;
}) {
  return {
    config: { access: staff },
    schema: {
      tags,
      operationId: spec.operationId,
      summary: spec.summary,
      description: spec.description,
      produces: ['application/json', 'text/csv'],
      querystring: spec.querystring,
      response: { 200: reportResponse(spec.report, spec.name), ...errorResponses },
    },
  };
}

/** GET /v1/reports/…: what sold, what ran out, what waited, what sits on the shelf. */
export const reportRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const csv = (name: string, format: 'json' | 'csv' | undefined, rowSchema: TObject) => ({
      name,
      format,
      rowSchema,
    });

    app.get(
      '/v1/reports/stockouts',
      reportOptions({
        name: 'stockouts',
        operationId: 'reportStockouts',
        summary: 'Stock-out days, rate and episodes per item and location',
        description: `A day counts as out when on hand was 0 at any moment of it, from the stock ledger (levels carry across days without movements). Item × locations that never moved by the end of the period are left out. Most days out first. ${PERIOD_NOTE}`,
        querystring: schemas.StockoutsQuery,
        report: schemas.StockoutsReport,
      }),
      async (request, reply) => {
        const { query } = request;
        const report = await stockoutReport(ctx, await resolveScope(ctx, query), query.limit);
        return sendReport(
          request,
          reply,
          csv('stockouts', query.format, schemas.StockoutRow),
          report,
        );
      },
    );

    app.get(
      '/v1/reports/lost-demand',
      reportOptions({
        name: 'lost-demand',
        operationId: 'reportLostDemand',
        summary: 'Units refused and their value per item and channel, with totals',
        description: `Value is units × the item's current price. Largest value first. ${PERIOD_NOTE}`,
        querystring: schemas.LostDemandQuery,
        report: schemas.LostDemandReport,
      }),
      async (request, reply) => {
        const { query } = request;
        const report = await lostDemandReport(ctx, await resolveScope(ctx, query), query.limit);
        return sendReport(
          request,
          reply,
          csv('lost-demand', query.format, schemas.LostDemandRow),
          report,
        );
      },
    );

    app.get(
      '/v1/reports/repeat-stockouts',
      reportOptions({
        name: 'repeat-stockouts',
        operationId: 'reportRepeatStockouts',
        summary: 'Items that ran out again and again, with a suggestion',
        description: `Items whose stock-out episodes over the locations in scope reach minEpisodes (default 3), with the units refused and the supplier's on-time rate. ${PERIOD_NOTE}`,
        querystring: schemas.RepeatStockoutsQuery,
        report: schemas.RepeatStockoutsReport,
      }),
      async (request, reply) => {
        const { query } = request;
        const report = await repeatStockoutReport(ctx, await resolveScope(ctx, query), query);
        return sendReport(
          request,
          reply,
          csv('repeat-stockouts', query.format, schemas.RepeatStockoutRow),
          report,
        );
      },
    );

    app.get(
      '/v1/reports/backorder-waits',
      reportOptions({
        name: 'backorder-waits',
        operationId: 'reportBackorderWaits',
        summary: 'How long backordered lines wait, and how often their first promise held',
        description: `Lines backordered when their order was placed in the period. The wait runs from placing to the last shipment (to now while waiting); a line is on time when it shipped by the first date it was promised, and late once that date has passed unshipped. ${PERIOD_NOTE}`,
        querystring: schemas.BackorderWaitsQuery,
        report: schemas.BackorderWaitsReport,
      }),
      async (request, reply) => {
        const { query } = request;
        const report = await backorderWaitReport(ctx, await resolveScope(ctx, query), query.limit);
        return sendReport(
          request,
          reply,
          csv('backorder-waits', query.format, schemas.BackorderWaitRow),
          report,
        );
      },
    );

    app.get(
      '/v1/reports/excess-stock',
      reportOptions({
        name: 'excess-stock',
        operationId: 'reportExcessStock',
        summary: 'Stock beyond a number of days of cover, and the money tied up in it',
        description: `Days of cover = on hand ÷ the period's average daily units sold (imported sales history plus shipments). Rows above thresholdDays (default 90), largest value tied up first. ${PERIOD_NOTE}`,
        querystring: schemas.ExcessStockQuery,
        report: schemas.ExcessStockReport,
      }),
      async (request, reply) => {
        const { query } = request;
        const report = await excessStockReport(ctx, await resolveScope(ctx, query), query);
        return sendReport(
          request,
          reply,
          csv('excess-stock', query.format, schemas.ExcessStockRow),
          report,
        );
      },
    );

    app.get(
      '/v1/reports/best-sellers',
      reportOptions({
        name: 'best-sellers',
        operationId: 'reportBestSellers',
        summary: 'The top items by units or by value in the period',
        description: `Units are imported sales history plus shipments; value is units × the current price. ${PERIOD_NOTE}`,
        querystring: schemas.BestSellersQuery,
        report: schemas.BestSellersReport,
      }),
      async (request, reply) => {
        const { query } = request;
        const report = await bestSellerReport(ctx, await resolveScope(ctx, query), query);
        return sendReport(
          request,
          reply,
          csv('best-sellers', query.format, schemas.BestSellerRow),
          report,
        );
      },
    );

    app.get(
      '/v1/reports/emerging',
      reportOptions({
        name: 'emerging',
        operationId: 'reportEmerging',
        summary: 'Items growing against the previous period of equal length',
        description: `Items with at least minUnits units (default 10) and more than in the period just before; new sellers first, then by growth. ${PERIOD_NOTE}`,
        querystring: schemas.EmergingQuery,
        report: schemas.EmergingReport,
      }),
      async (request, reply) => {
        const { query } = request;
        const report = await emergingReport(ctx, await resolveScope(ctx, query), query);
        return sendReport(
          request,
          reply,
          csv('emerging', query.format, schemas.EmergingRow),
          report,
        );
      },
    );

    app.get(
      '/v1/reports/seasonality',
      reportOptions({
        name: 'seasonality',
        operationId: 'reportSeasonality',
        summary: 'Monthly seasonality index per category',
        description:
          "Each calendar month's average daily units ÷ the category's average over the whole range (default: all history, first to last day sold). A from after to is a 400; an unknown location or category a 404.",
        querystring: schemas.SeasonalityQuery,
        report: schemas.SeasonalityReport,
      }),
      async (request, reply) => {
        const { query } = request;
        const scope = await resolveScope(ctx, query);
        const report = await seasonalityReport(ctx, {
          ...scope,
          from: query.from,
          to: query.to,
        });
        return sendReport(
          request,
          reply,
          csv('seasonality', query.format, schemas.SeasonalityRow),
          report,
        );
      },
    );

    app.get(
      '/v1/reports/supplier-scorecards',
      reportOptions({
        name: 'supplier-scorecards',
        operationId: 'reportSupplierScorecards',
        summary: 'Per supplier: lead time, on-time and fill rates, what is open and late now',
        description:
          'Lead time, on-time and fill rates over every order ever sent (as GET /v1/suppliers/{code}/performance measures them); open value and late lines as of today.',
        querystring: schemas.ScorecardsQuery,
        report: schemas.ScorecardsReport,
      }),
      async (request, reply) => {
        const { query } = request;
        if (query.supplier !== undefined) await resolveScope(ctx, { supplier: query.supplier });
        const report = await supplierScorecards(ctx, query.supplier);
        return sendReport(
          request,
          reply,
          csv('supplier-scorecards', query.format, schemas.ScorecardRow),
          report,
        );
      },
    );
  };
