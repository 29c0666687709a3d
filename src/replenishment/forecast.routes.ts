import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { ForecastParams, ForecastQuery } from './forecast.schemas.js';
import { getForecast } from './forecast.service.js';

const staff = ['admin', 'staff'] as const;
const tags = ['forecasts'];

export const forecastRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/forecasts/:sku',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'getForecast',
          summary: 'Daily demand forecast for an item at a location',
          description:
            'Forecast from the demand history (imported sales, orders and lost demand; stock-out days ignored), by the model that wins a rolling-origin backtest for the series; the shape of the calendar model is pooled over the item’s locations. Records the chosen model. 404 NO_DEMAND_HISTORY when the item has no demand at the location.',
          params: ForecastParams,
          querystring: ForecastQuery,
          response: { 200: { $ref: 'Forecast' }, ...errorResponses },
        },
      },
      async (request) =>
        getForecast(
          ctx,
          request.params.sku,
          request.query.location,
          request.query.horizon,
          request.query.history,
        ),
    );
  };
