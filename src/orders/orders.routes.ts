import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../kernel/context.js';
import { defaultGroupCommit, orderBatcher } from './order-batcher.js';
import { orderChangeRoutes } from './order-changes.routes.js';
import { orderPlacingRoutes } from './order-placing.routes.js';
import { orderReadingRoutes } from './order-reading.routes.js';
import { orderReportRoutes } from './order-reports.routes.js';

/**
 * Every order route, declared on one app in the order the OpenAPI document lists them:
 * placing, reading, changing, then the reports.
 */
export const orderRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Group commit is on unless the context turns it off (STOCKROOM_GROUP_COMMIT=off).
    const settings = ctx.groupCommit ?? defaultGroupCommit(ctx.dbKind);
    const batcher = settings === 'off' ? undefined : orderBatcher(ctx, settings);
    if (batcher) app.addHook('onClose', () => batcher.drained());
    orderPlacingRoutes(app, ctx, batcher);
    orderReadingRoutes(app, ctx);
    orderChangeRoutes(app, ctx);
    orderReportRoutes(app, ctx);
  };
