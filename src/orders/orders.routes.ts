import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../kernel/context.js';
import { orderChangeRoutes } from './order-changes.routes.js';
import { orderPlacingRoutes } from './order-placing.routes.js';
import { orderReadingRoutes } from './order-reading.routes.js';
import { orderReportRoutes } from './order-reports.routes.js';
import { orderReturnRoutes } from './returns.routes.js';

/**
 * Every order route, declared on one app in the order the OpenAPI document lists them:
 * placing, reading, changing, returns, then the reports.
 */
export const orderRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    orderPlacingRoutes(app, ctx);
    orderReadingRoutes(app, ctx);
    orderChangeRoutes(app, ctx);
    orderReturnRoutes(app, ctx);
    orderReportRoutes(app, ctx);
  };
