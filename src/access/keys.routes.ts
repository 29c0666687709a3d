import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { CreatedKey, CreateKeyBody, KeyPage, KeyParams, ListKeysQuery } from './keys.schemas.js';
import * as keys from './keys.service.js';

const admin = ['admin'] as const;

export const keyRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/keys',
      {
        config: { access: admin },
        schema: {
          tags: ['access'],
          operationId: 'createApiKey',
          summary: 'Create an API key',
          description: 'The secret is in this response only; Stockroom stores a hash.',
          body: CreateKeyBody,
          response: { 201: CreatedKey, ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await keys.createKey(ctx, request.body)),
    );

    app.get(
      '/v1/keys',
      {
        config: { access: admin },
        schema: {
          tags: ['access'],
          operationId: 'listApiKeys',
          summary: 'List API keys (never their secrets)',
          querystring: ListKeysQuery,
          response: { 200: KeyPage, ...errorResponses },
        },
      },
      async (request) => keys.listKeys(ctx, request.query),
    );

    app.post(
      '/v1/keys/:id/revoke',
      {
        config: { access: admin },
        schema: {
          tags: ['access'],
          operationId: 'revokeApiKey',
          summary: 'Revoke an API key at once',
          params: KeyParams,
          response: { 200: { $ref: 'ApiKey' }, ...errorResponses },
        },
      },
      async (request) => keys.revokeKey(ctx, request.params.id),
    );
  };
