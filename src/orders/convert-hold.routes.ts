import { errorResponses, IdParams } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { convertHold } from './convert-hold.js';
import { ConvertHoldBody } from './convert-hold.schemas.js';
import { type OrderRoutesApp, order, sellers } from './order-route-options.js';
import { IdempotencyHeaders } from './orders.schemas.js';

/**
 * POST /v1/holds/{id}/convert: listed with the holds, declared here because it writes an
 * order (src/holds/ may not import orders).
 */
export function convertHoldRoutes(app: OrderRoutesApp, ctx: AppContext): void {
  app.post(
    '/v1/holds/:id/convert',
    {
      config: { access: sellers, idempotency: true },
      schema: {
        tags: ['holds'],
        operationId: 'convertHold',
        summary: 'Turn a hold into an order with the same units, reserved once',
        description:
          "The order's lines are the hold's, their allocations exactly where the hold kept the units: no second reservation, and nobody can take the units in between. Only an active hold that has not expired: else 409 HOLD_EXPIRED, HOLD_RELEASED or HOLD_CONVERTED. Records order.placed and hold.converted. Requires an Idempotency-Key header; a retry with the same key answers the same order.",
        headers: IdempotencyHeaders,
        params: IdParams,
        body: ConvertHoldBody,
        response: { 201: order, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await convertHold(
            ctx,
            request.params.id,
            request.body,
            request.principal!,
            request.idempotency,
          ),
        ),
  );
}
