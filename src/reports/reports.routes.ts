import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static, TObject } from 'typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { backorderWaitReport, lostDemandReport } from './order-reports.service.js';
import { reportResponse, sendReport } from './report-csv.js';
import { checkOrder, resolveFilters, resolveScope } from './report-scope.js';
import * as schemas from './reports.schemas.js';
import {
  bestSellerReport,
  emergingReport,
  excessStockReport,
  seasonalityReport,
} from './sales-reports.service.js';
import { supplierScorecards } from './scorecards.service.js';
import { repeatStockoutReport, stockoutReport } from './stockouts.service.js';

type RoutesApp = Parameters<FastifyPluginAsyncTypebox>[0];

const staff = ['admin', 'staff'] as const;

const PERIOD_NOTE =
  'The period runs from `from` to `to`, both included (default: the 90 days ending today); days are UTC days. A period ending before it starts, or longer than ten years, is a 400; an unknown location, category, supplier or channel a 404.';

interface ReportSpec<Q extends TObject> {
  /** The path segment after /v1/reports/, and the CSV file's name. */
  name: string;
  operationId: string;
  summary: string;
  description: string;
  querystring: Q;
  report: TObject;
  row: TObject;
  run(ctx: AppContext, query: Static<Q>): Promise<{ rows: Record<string, unknown>[] }>;
}

/** One report's route: staff only, JSON by default, its rows as CSV when asked. */
const report =
  <Q extends TObject>(spec: ReportSpec<Q>) =>
  (app: RoutesApp, ctx: AppContext) =>
    app.get(
      `/v1/reports/${spec.name}`,
      {
        config: { access: staff },
        schema: {
          tags: ['reports'],
          operationId: spec.operationId,
          summary: spec.summary,
          description: spec.description,
          produces: ['application/json', 'text/csv'],
          querystring: spec.querystring,
          response: { 200: reportResponse(spec.report, spec.name), ...errorResponses },
        },
      },
      async (request, reply) => {
        const query = request.query as Static<Q>;
        const { format } = request.query as { format?: 'json' | 'csv' };
        const options = { name: spec.name, format, rowSchema: spec.row };
        return sendReport(request, reply, options, await spec.run(ctx, query));
      },
    );

const REPORTS = [
  report({
    name: 'stockouts',
    operationId: 'reportStockouts',
    summary: 'Stock-out days, rate and episodes per item and location',
    description: `A day counts as out when on hand was 0 at any moment of it, from the stock ledger (levels carry across days without movements). Item × locations that had never moved by the end of the period are left out. Most days out first. ${PERIOD_NOTE}`,
    querystring: schemas.StockoutsQuery,
    report: schemas.StockoutsReport,
    row: schemas.StockoutRow,
    run: async (ctx, q) => stockoutReport(ctx, await resolveScope(ctx, q), q.limit),
  }),
  report({
    name: 'lost-demand',
    operationId: 'reportLostDemand',
    summary: 'Units refused and their value per item and channel, with totals',
    description: `Value is units × the item's current price. Largest value first. ${PERIOD_NOTE}`,
    querystring: schemas.LostDemandQuery,
    report: schemas.LostDemandReport,
    row: schemas.LostDemandRow,
    run: async (ctx, q) => lostDemandReport(ctx, await resolveScope(ctx, q), q.limit),
  }),
  report({
    name: 'repeat-stockouts',
    operationId: 'reportRepeatStockouts',
    summary: 'Items that ran out again and again, with a suggestion',
    description: `Items whose stock-out episodes over the locations in scope reach minEpisodes (default 3), with the units refused and the supplier's on-time rate. ${PERIOD_NOTE}`,
    querystring: schemas.RepeatStockoutsQuery,
    report: schemas.RepeatStockoutsReport,
    row: schemas.RepeatStockoutRow,
    run: async (ctx, q) => repeatStockoutReport(ctx, await resolveScope(ctx, q), q),
  }),
  report({
    name: 'backorder-waits',
    operationId: 'reportBackorderWaits',
    summary: 'How long backordered lines wait, and how often their first promise held',
    description: `Lines backordered when their order was placed in the period. The wait runs from placing to the last shipment (to now while waiting); a line is on time when it shipped by the first date it was promised, and late once that date has passed unshipped. ${PERIOD_NOTE}`,
    querystring: schemas.BackorderWaitsQuery,
    report: schemas.BackorderWaitsReport,
    row: schemas.BackorderWaitRow,
    run: async (ctx, q) => backorderWaitReport(ctx, await resolveScope(ctx, q), q.limit),
  }),
  report({
    name: 'excess-stock',
    operationId: 'reportExcessStock',
    summary: 'Stock beyond a number of days of cover, and the money tied up in it',
    description: `Days of cover = on hand today ÷ the period's average daily demand (imported sales history, orders by the day they were placed and refused demand, as forecasting counts it). Rows above thresholdDays (default 90), largest value tied up first. ${PERIOD_NOTE}`,
    querystring: schemas.ExcessStockQuery,
    report: schemas.ExcessStockReport,
    row: schemas.ExcessStockRow,
    run: async (ctx, q) => excessStockReport(ctx, await resolveScope(ctx, q), q),
  }),
  report({
    name: 'best-sellers',
    operationId: 'reportBestSellers',
    summary: 'The top items by units or by value in the period',
    description: `Units are imported sales history plus shipments; value is units × the current price. ${PERIOD_NOTE}`,
    querystring: schemas.BestSellersQuery,
    report: schemas.BestSellersReport,
    row: schemas.BestSellerRow,
    run: async (ctx, q) => bestSellerReport(ctx, await resolveScope(ctx, q), q),
  }),
  report({
    name: 'emerging',
    operationId: 'reportEmerging',
    summary: 'Items growing against the previous period of equal length',
    description: `Items with at least minUnits units (default 10) and more than in the period just before; new sellers first, then by growth. ${PERIOD_NOTE}`,
    querystring: schemas.EmergingQuery,
    report: schemas.EmergingReport,
    row: schemas.EmergingRow,
    run: async (ctx, q) => emergingReport(ctx, await resolveScope(ctx, q), q),
  }),
  report({
    name: 'seasonality',
    operationId: 'reportSeasonality',
    summary: 'Monthly seasonality index per category',
    description:
      "Each calendar month's average daily units ÷ the category's average over the whole range (default: all history, first to last day sold). A from after to is a 400; an unknown location or category a 404.",
    querystring: schemas.SeasonalityQuery,
    report: schemas.SeasonalityReport,
    row: schemas.SeasonalityRow,
    run: async (ctx, q) => {
      // Not resolveScope: seasonality spans the whole history, not a bounded window.
      checkOrder(q.from, q.to);
      return seasonalityReport(ctx, { ...(await resolveFilters(ctx, q)), from: q.from, to: q.to });
    },
  }),
  report({
    name: 'supplier-scorecards',
    operationId: 'reportSupplierScorecards',
    summary: 'Per supplier: lead time, on-time and fill rates, what is open and late now',
    description:
      'Lead time, on-time and fill rates over every order ever sent (as GET /v1/suppliers/{code}/performance measures them); open value and late lines as of today. An unknown supplier is a 404.',
    querystring: schemas.ScorecardsQuery,
    report: schemas.ScorecardsReport,
    row: schemas.ScorecardRow,
    run: async (ctx, q) => {
      await resolveFilters(ctx, q);
      return supplierScorecards(ctx, q.supplier);
    },
  }),
];

/** GET /v1/reports/…: what sold, what ran out, what waited, what sits on the shelf. */
export const reportRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    for (const register of REPORTS) register(app, ctx);
  };
