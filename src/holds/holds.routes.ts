import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { scopeToChannel } from '../access/auth.js';
import { channelScopeOf } from '../access/channel-scope.js';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { BadRequestError } from '../shared/errors.js';
import { extendHold, releaseHold } from './change-hold.js';
import { createHold } from './create-hold.js';
import { loadHold } from './hold-document.js';
import {
  CreateHoldBody,
  ExtendHoldBody,
  HoldHeaders,
  HoldParams,
  ReleaseHoldBody,
} from './holds.schemas.js';

const sellers = ['admin', 'staff', 'channel'] as const;
const tags = ['holds'];
const hold = { $ref: 'Hold' } as const;

/**
 * Checkout holds: place, read, extend, release. Converting one into an order is an order
 * route (src/orders/convert-hold.routes.ts): it writes the order. This plugin is
 * long because it is a list of four route declarations with their documentation.
 */
export const holdRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/holds',
      {
        config: { access: sellers, idempotency: true },
        schema: {
          tags,
          operationId: 'createHold',
          summary: 'Hold stock for a cart or checkout for a while',
          description:
            "Each line is held in full from the channel's locations in priority order (or at its `location`), as an order would reserve it; held units are not available to anyone else until the hold is released, converted into an order, or expires (`ttlSeconds`, default 900). A hold never backorders: if any line cannot be held in full, 409 HOLD_INSUFFICIENT_STOCK names each such line and nothing is held. 409 HOLD_LIMIT_EXCEEDED when the channel would hold more than its `maxHeldUnits`. Records hold.created. Requires an Idempotency-Key header.",
          headers: HoldHeaders,
          body: CreateHoldBody,
          response: { 201: hold, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { channel } = scopeToChannel(request.principal!, { channel: request.body.channel });
        if (channel === undefined) {
          throw new BadRequestError('CHANNEL_REQUIRED', 'Name the channel that holds', {});
        }
        const created = await createHold(
          ctx,
          { ...request.body, channel },
          request.principal!.actor,
          request.idempotency,
        );
        return reply.status(201).send(created);
      },
    );

    app.get(
      '/v1/holds/:id',
      {
        config: { access: sellers },
        schema: {
          tags,
          operationId: 'getHold',
          summary: 'Read a hold: its status, expiry and where its units are held',
          params: HoldParams,
          response: { 200: hold, ...errorResponses },
        },
      },
      async (request) =>
        loadHold(
          ctx.db,
          request.params.id,
          channelScopeOf(request.principal!),
          ctx.clock.now().toISOString(),
        ),
    );

    app.post(
      '/v1/holds/:id/extend',
      {
        config: { access: sellers, idempotency: true },
        schema: {
          tags,
          operationId: 'extendHold',
          summary: 'Keep a hold for ttlSeconds from now',
          description:
            'Only an active hold that has not expired: else 409 HOLD_EXPIRED, HOLD_RELEASED or HOLD_CONVERTED. Records hold.extended.',
          params: HoldParams,
          body: ExtendHoldBody,
          response: { 200: hold, ...errorResponses },
        },
      },
      async (request) =>
        extendHold(
          ctx,
          request.params.id,
          request.body,
          request.principal!.actor,
          channelScopeOf(request.principal!),
          request.idempotency,
        ),
    );

    app.post(
      '/v1/holds/:id/release',
      {
        config: { access: sellers, idempotency: true },
        // The body says nothing and may be left out.
        preValidation: async (request) => {
          request.body ??= {};
        },
        schema: {
          tags,
          operationId: 'releaseHold',
          summary: "Give a hold's units back to stock",
          description:
            'The units serve backorders waiting for the items first, then anyone. Only an active hold that has not expired: else 409 HOLD_EXPIRED, HOLD_RELEASED or HOLD_CONVERTED. Records hold.released.',
          params: HoldParams,
          body: ReleaseHoldBody,
          response: { 200: hold, ...errorResponses },
        },
      },
      async (request) =>
        releaseHold(
          ctx,
          request.params.id,
          request.principal!.actor,
          channelScopeOf(request.principal!),
          request.idempotency,
        ),
    );
  };
