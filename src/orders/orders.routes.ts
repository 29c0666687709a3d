import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../kernel/context.js';
import { convertHoldRoutes } from './convert-hold.routes.js';
import { linePriorityRoutes } from './line-priority.routes.js';
import { defaultGroupCommit, type OrderBatcher, orderBatcher } from './order-batcher.js';
import { orderChangeRoutes } from './order-changes.routes.js';
import { orderEditRoutes } from './order-edits.routes.js';
import { orderPlacingRoutes } from './order-placing.routes.js';
import { orderReadingRoutes } from './order-reading.routes.js';
import { orderReportRoutes } from './order-reports.routes.js';
import { orderReturnRoutes } from './returns.routes.js';

/**
 * Every order route, declared on one app in the order the OpenAPI document lists them:
 * placing, reading, cancelling and fulfilling, changing, returns, the reports, then
 * converting a hold into an order.
 */
export const orderRoutes =
  (ctx: AppContext, batcher?: OrderBatcher): FastifyPluginAsyncTypebox =>
  async (app) => {
    orderPlacingRoutes(app, ctx, batcher);
    orderReadingRoutes(app, ctx);
    orderChangeRoutes(app, ctx);
    orderEditRoutes(app, ctx);
    linePriorityRoutes(app, ctx);
    orderReturnRoutes(app, ctx);
    orderReportRoutes(app, ctx);
    convertHoldRoutes(app, ctx);
  };

/**
 * The process's order batcher, unless the context turns group commit off
 * (STOCKROOM_GROUP_COMMIT=off); the defaults of src/orders/order-batcher.ts when it says nothing.
 */
export function batcherFor(ctx: AppContext): OrderBatcher | undefined {
  const settings = ctx.groupCommit ?? defaultGroupCommit(ctx.dbKind);
  return settings === 'off' ? undefined : orderBatcher(ctx, settings);
}
