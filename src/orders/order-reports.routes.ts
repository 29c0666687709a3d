import { channelScopeOf } from '../access/channel-scope.js';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { lostDemand, promiseChanges, waitingLines } from './order-reports.service.js';
import { type OrderRoutesApp, sellers, staff, tags } from './order-route-options.js';
import {
  LostDemandPage,
  LostDemandQuery,
  OrderParams,
  PromiseChangeList,
} from './orders.schemas.js';
import { WaitingLinePage, WaitingLinesQuery } from './waiting-lines.schemas.js';

/** Read-only reports: promise history, lines waiting for supply, lost demand. */
export function orderReportRoutes(app: OrderRoutesApp, ctx: AppContext): void {
  app.get(
    '/v1/orders/:id/promise-changes',
    {
      config: { access: sellers },
      schema: {
        tags,
        operationId: 'listOrderPromiseChanges',
        summary: 'Every change to the promised dates of the order lines, oldest first',
        params: OrderParams,
        response: { 200: PromiseChangeList, ...errorResponses },
      },
    },
    async (request) => promiseChanges(ctx, request.params.id, channelScopeOf(request.principal!)),
  );

  app.get(
    '/v1/order-lines/waiting',
    {
      config: { access: staff },
      schema: {
        tags,
        operationId: 'listWaitingOrderLines',
        summary: 'Lines waiting for supply: unpromised ones (no date) by default, for staff',
        querystring: WaitingLinesQuery,
        response: { 200: WaitingLinePage, ...errorResponses },
      },
    },
    async (request) => waitingLines(ctx, request.query),
  );

  app.get(
    '/v1/lost-demand',
    {
      config: { access: staff },
      schema: {
        tags,
        operationId: 'listLostDemand',
        summary: 'Refused order lines: what could not be sold, newest first',
        querystring: LostDemandQuery,
        response: { 200: LostDemandPage, ...errorResponses },
      },
    },
    async (request) => lostDemand(ctx, request.query),
  );
}
