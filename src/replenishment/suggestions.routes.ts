import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import {
  EmptyBody,
  ListSuggestionsQuery,
  OrderSuggestionBody,
  SuggestionPage,
  SuggestionParams,
} from './replenishment.schemas.js';
import * as suggestions from './suggestions.service.js';

const staff = ['admin', 'staff'] as const;
const tags = ['replenishment'];
const suggestion = { $ref: 'PurchaseSuggestion' } as const;
const purchaseOrder = { $ref: 'PurchaseOrder' } as const;

/** A POST whose body is optional: no body reads as `{}`. */
export const bodyMayBeLeftOut = async (request: FastifyRequest) => {
  request.body ??= {};
};

export const suggestionRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/replenishment/suggestions',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'listPurchaseSuggestions',
          summary: 'List suggested purchase orders',
          querystring: ListSuggestionsQuery,
          response: { 200: SuggestionPage, ...errorResponses },
        },
      },
      async (request) => suggestions.listSuggestions(ctx, request.query),
    );

    app.get(
      '/v1/replenishment/suggestions/:id',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'getPurchaseSuggestion',
          summary: 'Read a suggested purchase order',
          params: SuggestionParams,
          response: { 200: suggestion, ...errorResponses },
        },
      },
      async (request) => suggestions.getSuggestion(ctx, request.params.id),
    );

    app.post(
      '/v1/replenishment/suggestions/:id/purchase-order',
      {
        config: { access: staff },
        preValidation: bodyMayBeLeftOut,
        schema: {
          tags,
          operationId: 'orderPurchaseSuggestion',
          summary: 'Turn a suggestion into a draft purchase order',
          description:
            'Creates the draft purchase order (review and send it as any other) and marks the suggestion ordered. A suggestion no longer open is a 409 whose details name the purchase order it became.',
          params: SuggestionParams,
          body: OrderSuggestionBody,
          response: { 201: purchaseOrder, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await suggestions.orderSuggestion(
              ctx,
              request.params.id,
              request.body,
              request.principal!.actor,
            ),
          ),
    );

    app.post(
      '/v1/replenishment/suggestions/:id/dismiss',
      {
        config: { access: staff },
        preValidation: bodyMayBeLeftOut,
        schema: {
          tags,
          operationId: 'dismissPurchaseSuggestion',
          summary: 'Dismiss a suggestion',
          description: 'It stays as history; the next refresh suggests afresh.',
          params: SuggestionParams,
          body: EmptyBody,
          response: { 200: suggestion, ...errorResponses },
        },
      },
      async (request) => suggestions.dismissSuggestion(ctx, request.params.id),
    );
  };
