import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { type RefreshOutcome, refreshSuggestions } from './refresh-suggestions.js';
import { listReorderPoints } from './reorder-points.service.js';
import {
  EmptyBody,
  RefreshResult,
  ReorderPointList,
  ReorderPointsQuery,
} from './replenishment.schemas.js';
import { bodyMayBeLeftOut, suggestionRoutes } from './suggestions.routes.js';

const staff = ['admin', 'staff'] as const;
const tags = ['replenishment'];

export interface ReplenishmentRouteOptions {
  /**
   * What else a refresh does with its projections (src/app wires the shortage_ahead
   * alerts here: replenishment does not know the alerts capability).
   */
  afterRefresh?: (outcome: RefreshOutcome) => Promise<{ opened: number; resolved: number }>;
}

export const replenishmentRoutes =
  (ctx: AppContext, options: ReplenishmentRouteOptions = {}): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/replenishment/reorder-points',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'listReorderPoints',
          summary: 'Reorder points per item × location',
          description:
            'For every active item with a preferred (or only) supplier, at each location that stocks it, has demand for it or backorders waiting: the forecast over lead time + review, safety stock at the item’s service level, and the stock picture. Items with no clear supplier are listed under skipped.',
          querystring: ReorderPointsQuery,
          response: { 200: ReorderPointList, ...errorResponses },
        },
      },
      async (request) => listReorderPoints(ctx, request.query),
    );

    app.post(
      '/v1/replenishment/suggestions/refresh',
      {
        config: { access: staff },
        preValidation: bodyMayBeLeftOut,
        schema: {
          tags,
          operationId: 'refreshPurchaseSuggestions',
          summary: 'Recompute the suggested purchase orders',
          description:
            'Replaces the open suggestions with one per supplier × location holding every item at or below its reorder point; ordered and dismissed ones stay. Raises shortage_ahead alerts for projected stock-outs an order sent today cannot prevent. The nightly job and `stockroom replenishment refresh` do the same.',
          body: EmptyBody,
          response: { 200: RefreshResult, ...errorResponses },
        },
      },
      async () => {
        const outcome = await refreshSuggestions(ctx);
        const alerts = (await options.afterRefresh?.(outcome)) ?? { opened: 0, resolved: 0 };
        return {
          today: outcome.today,
          suggestions: outcome.suggestions,
          lines: outcome.lines,
          replaced: outcome.replaced,
          skipped: outcome.skipped,
          projectedShortages: outcome.shortages.length,
          alerts,
        };
      },
    );

    await app.register(suggestionRoutes(ctx));
  };
