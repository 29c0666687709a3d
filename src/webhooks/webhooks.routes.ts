import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import {
  CreateWebhookBody,
  DeliveryPage,
  ListDeliveriesQuery,
  ListWebhooksQuery,
  RotateSecretBody,
  UpdateWebhookBody,
  WebhookPage,
  WebhookParams,
  WebhookWithSecret,
} from './webhooks.schemas.js';
import * as webhooks from './webhooks.service.js';

const admin = ['admin'] as const;
const webhook = { $ref: 'Webhook' } as const;

const SIGNING =
  'Each delivery is a POST of the JSON envelope {id, type, createdAt, channel, subject, data}, signed per the Standard Webhooks specification: `webhook-id` (the same on retries), `webhook-timestamp` (unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{raw body}" keyed with the secret’s decoded bytes>`; any Standard Webhooks library verifies it. The URL must reach a public address (400 WEBHOOK_TARGET_FORBIDDEN otherwise, unless the operator set STOCKROOM_WEBHOOK_ALLOW_PRIVATE=true); it is checked again at every delivery. A delivery not answered with 2xx is retried with exponential backoff, then given up (state dead).';

export const webhookRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    registrationRoutes(app, ctx);
    changeRoutes(app, ctx);
    deliveryRoutes(app, ctx);
  };

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/** Registering webhooks and reading them back. */
function registrationRoutes(app: App, ctx: AppContext): void {
  app.post(
    '/v1/webhooks',
    {
      config: { access: admin },
      schema: {
        tags: ['webhooks'],
        operationId: 'createWebhook',
        summary: 'Register a URL for event types',
        description: `The signing secret is in this response only. ${SIGNING}`,
        body: CreateWebhookBody,
        response: { 201: WebhookWithSecret, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await webhooks.createWebhook(ctx, request.body, request.principal!.actor)),
  );

  app.get(
    '/v1/webhooks',
    {
      config: { access: admin },
      schema: {
        tags: ['webhooks'],
        operationId: 'listWebhooks',
        summary: 'List webhooks (never their secrets)',
        querystring: ListWebhooksQuery,
        response: { 200: WebhookPage, ...errorResponses },
      },
    },
    async (request) => webhooks.listWebhooks(ctx, request.query),
  );

  app.get(
    '/v1/webhooks/:id',
    {
      config: { access: admin },
      schema: {
        tags: ['webhooks'],
        operationId: 'getWebhook',
        summary: 'Read a webhook (not its secret)',
        params: WebhookParams,
        response: { 200: webhook, ...errorResponses },
      },
    },
    async (request) => webhooks.getWebhook(ctx, request.params.id),
  );
}

/** Changing, deleting and re-keying a webhook. */
function changeRoutes(app: App, ctx: AppContext): void {
  app.patch(
    '/v1/webhooks/:id',
    {
      config: { access: admin },
      schema: {
        tags: ['webhooks'],
        operationId: 'updateWebhook',
        summary: 'Change a webhook’s URL, event types, description or whether it is active',
        description:
          'Send only the fields to change; `events` replaces the whole set. Events recorded from now on follow the change; deliveries already made keep their URL.',
        params: WebhookParams,
        body: UpdateWebhookBody,
        response: { 200: webhook, ...errorResponses },
      },
    },
    async (request) => webhooks.updateWebhook(ctx, request.params.id, request.body),
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      config: { access: admin },
      schema: {
        tags: ['webhooks'],
        operationId: 'deleteWebhook',
        summary: 'Delete a webhook',
        description:
          'Its deliveries stay in the log; those not yet delivered are given up (state dead).',
        params: WebhookParams,
        response: { 204: Type.Null({ description: 'The webhook is gone' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      await webhooks.deleteWebhook(ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/webhooks/:id/rotate-secret',
    {
      config: { access: admin },
      // The body (empty) may be left out entirely.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ['webhooks'],
        operationId: 'rotateWebhookSecret',
        summary: 'Replace a webhook’s signing secret',
        description: 'The new secret is in this response only; the old one stops signing at once.',
        params: WebhookParams,
        body: RotateSecretBody,
        response: { 200: WebhookWithSecret, ...errorResponses },
      },
    },
    async (request) => webhooks.rotateSecret(ctx, request.params.id),
  );
}

/** What was sent to a webhook. */
function deliveryRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      config: { access: admin },
      schema: {
        tags: ['webhooks'],
        operationId: 'listWebhookDeliveries',
        summary: 'A webhook’s deliveries, newest first',
        params: WebhookParams,
        querystring: ListDeliveriesQuery,
        response: { 200: DeliveryPage, ...errorResponses },
      },
    },
    async (request) => webhooks.listDeliveries(ctx, request.params.id, request.query),
  );
}
