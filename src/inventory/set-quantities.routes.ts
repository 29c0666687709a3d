import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { setQuantities } from './set-quantities.js';
import {
  MAX_SET_QUANTITY_ROWS,
  SetQuantitiesBody,
  SetQuantitiesResult,
} from './set-quantities.schemas.js';

const admin = ['admin'] as const;

/** Many stock levels in one call, for integrators syncing from another system. */
export const setQuantitiesRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/stock/set-quantities',
      {
        config: { access: admin, idempotency: true },
        schema: {
          tags: ['stock'],
          operationId: 'setStockQuantities',
          summary: 'Set the on-hand quantity of many item × locations at once',
          description: `All or nothing, up to ${MAX_SET_QUANTITY_ROWS} rows: each row is a count (one ledger row when the quantity changes) that applies only if \`compareQuantity\`, when given, still equals on-hand. Any stale row refuses the whole call with 409 STALE_QUANTITIES listing every stale row; a row below what orders have reserved is 409 QUANTITY_BELOW_RESERVED; the same item × location twice is 400 DUPLICATE_ROWS; unknown SKUs or locations are 404, all named. Units that arrive fill waiting backorders first, as a count does.`,
          body: SetQuantitiesBody,
          response: { 200: SetQuantitiesResult, ...errorResponses },
        },
      },
      async ({ body, principal, idempotency }) =>
        setQuantities(ctx, body, principal!.actor, idempotency),
    );
  };
