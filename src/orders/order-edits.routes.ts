import { channelScopeOf } from '../access/channel-scope.js';
import type { Principal } from '../access/principal.js';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import type { IdempotentRequest } from '../kernel/idempotency/idempotency.service.js';
import { addLine } from './add-line.js';
import { increaseLine } from './increase-line.js';
import { moveAllocation } from './move-allocation.js';
import type { OrderEdit } from './order-edit.js';
import {
  AddLineBody,
  EditHeaders,
  EditLineParams,
  IncreaseBody,
  MoveBody,
  UncancelBody,
} from './order-edits.schemas.js';
import { type OrderRoutesApp, order, sellers, tags } from './order-route-options.js';
import { OrderParams } from './orders.schemas.js';
import { uncancelLine } from './uncancel-line.js';

/** Who changes which order: a channel key its own channel's only (404 otherwise). */
function editBy(
  id: number,
  principal: Principal,
  idempotency: IdempotentRequest | undefined,
): OrderEdit {
  return { id, actor: principal.actor, scope: channelScopeOf(principal), idempotency };
}

const KEY_RULE =
  ' Answers 200 with the order. Requires an Idempotency-Key header; a refusal changes nothing.';

/**
 * Changing a placed order (docs/api.md, "Changing an order"): increase a line, add one,
 * move a line's reservation to another location, take cancelled units back. Long because
 * it is a list of four route declarations and their OpenAPI text.
 */
export function orderEditRoutes(app: OrderRoutesApp, ctx: AppContext): void {
  app.post(
    '/v1/orders/:id/lines/:line/increase',
    {
      config: { access: sellers, idempotency: true },
      schema: {
        tags,
        operationId: 'increaseOrderLine',
        summary:
          'Add units to a line: reserved from free stock, the rest backordered if it accepts',
        description: `The extra units are taken as placing takes a line: the channel's locations in priority order, then supply nobody else is promised, under the line's acceptBackorder. 409 INSUFFICIENT_STOCK when they can be neither (details: state, reason, available, backorder), INCREASE_WOULD_JUMP_QUEUE when units would wait while a line of the item placed later waits (add a line instead), LINE_CLOSED for a line with nothing open, LINE_QUANTITY_LIMIT past 100,000 units. Records order.line_changed.${KEY_RULE}`,
        headers: EditHeaders,
        params: EditLineParams,
        body: IncreaseBody,
        response: { 200: order, ...errorResponses },
      },
    },
    async (request) =>
      increaseLine(
        ctx,
        editBy(request.params.id, request.principal!, request.idempotency),
        request.params.line,
        request.body,
      ),
  );

  app.post(
    '/v1/orders/:id/lines',
    {
      config: { access: sellers, idempotency: true },
      schema: {
        tags,
        operationId: 'addOrderLine',
        summary: 'Add a line to an open order, placed as one more line of it',
        description: `Reserved from the channel's free stock, the rest backordered if acceptBackorder, with the next line number; its waiting units queue behind everyone already waiting. 409 INSUFFICIENT_STOCK when it can be neither, ORDER_CLOSED when nothing of the order is open, TOO_MANY_LINES past 100 lines; 404 ITEM_NOT_FOUND. Records order.line_changed.${KEY_RULE}`,
        headers: EditHeaders,
        params: OrderParams,
        body: AddLineBody,
        response: { 200: order, ...errorResponses },
      },
    },
    async (request) =>
      addLine(
        ctx,
        editBy(request.params.id, request.principal!, request.idempotency),
        request.body,
      ),
  );

  app.post(
    '/v1/orders/:id/lines/:line/move',
    {
      config: { access: sellers, idempotency: true },
      schema: {
        tags,
        operationId: 'moveOrderAllocation',
        summary: "Move a line's reserved units to another of the channel's locations",
        description: `Reserves at \`to\` from its free stock and releases at \`from\` in one transaction; the released units fill backorders waiting at \`from\` first. 409 MOVE_EXCEEDS_ALLOCATION beyond what the line holds at \`from\`, INSUFFICIENT_STOCK when \`to\` has too little free; 400 LOCATION_NOT_ON_CHANNEL, SAME_LOCATION. Records order.line_changed.${KEY_RULE}`,
        headers: EditHeaders,
        params: EditLineParams,
        body: MoveBody,
        response: { 200: order, ...errorResponses },
      },
    },
    async (request) =>
      moveAllocation(
        ctx,
        editBy(request.params.id, request.principal!, request.idempotency),
        request.params.line,
        request.body,
      ),
  );

  app.post(
    '/v1/orders/:id/lines/:line/uncancel',
    {
      config: { access: sellers, idempotency: true },
      // The body may be left out: every cancelled unit of the line.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags,
        operationId: 'uncancelOrderLine',
        summary: "Take back a line's cancelled units while the stock is still free",
        description: `Reserve-only: the units are reserved from the channel's free stock in priority order, never backordered. 409 INSUFFICIENT_STOCK when fewer are free, UNCANCEL_EXCEEDS_CANCELLED beyond the line's cancelled units, NOTHING_CANCELLED. Records order.line_changed.${KEY_RULE}`,
        headers: EditHeaders,
        params: EditLineParams,
        body: UncancelBody,
        response: { 200: order, ...errorResponses },
      },
    },
    async (request) =>
      uncancelLine(
        ctx,
        editBy(request.params.id, request.principal!, request.idempotency),
        request.params.line,
        request.body,
      ),
  );
}
