import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { prioritiseLine } from './line-priority.js';
import { LinePriority, LinePriorityBody } from './line-priority.schemas.js';
import { type OrderRoutesApp, staff, tags } from './order-route-options.js';
import { LineParams } from './waiting-lines.schemas.js';

/** Staff priority on a waiting line: the fair queue's one exception (domain/fair-queue.ts). */
export function linePriorityRoutes(app: OrderRoutesApp, ctx: AppContext): void {
  app.post(
    '/v1/orders/:id/lines/:line/priority',
    {
      config: { access: staff },
      schema: {
        tags,
        operationId: 'setOrderLinePriority',
        summary: "Put a waiting line ahead in its item's queue, or back in placement order",
        description:
          'A high line is served before every normal line waiting for the item, by arrivals and by promises; the queue is re-planned at once and lines whose date moves are re-promised (promise-changes, order.repromised, customer messages). The same priority again changes nothing (changed: false). 409 LINE_NOT_WAITING when no units of the line wait.',
        params: LineParams,
        body: LinePriorityBody,
        response: { 200: LinePriority, ...errorResponses },
      },
    },
    async (request) =>
      prioritiseLine(
        ctx,
        request.params.id,
        request.params.line,
        request.body,
        request.principal!.actor,
      ),
  );
}
