import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CustomerParams } from '../customers/customers.schemas.js';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import {
  CustomerMessagesQuery,
  ListMessagesQuery,
  MessageDetail,
  MessagePage,
  MessageParams,
  RetryBody,
} from './messages.schemas.js';
import * as messages from './messages.service.js';

const staff = ['admin', 'staff'] as const;
const tags = ['messages'];

export const messageRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    // First, where the customers' routes ended: the OpenAPI document keeps its path order.
    app.get(
      '/v1/customers/:id/messages',
      {
        config: { access: staff },
        schema: {
          tags: ['customers', 'messages'],
          operationId: 'listCustomerMessages',
          summary: 'List the messages sent (or to be sent) to a customer',
          description: 'As GET /v1/messages?customer={id}: newest first, with the same filters.',
          params: CustomerParams,
          querystring: CustomerMessagesQuery,
          response: { 200: MessagePage, ...errorResponses },
        },
      },
      async (request) => messages.listCustomerMessages(ctx, request.params.id, request.query),
    );

    app.get(
      '/v1/messages',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'listMessages',
          summary: 'List messages and webhook deliveries in the outbox',
          description:
            'Newest first (by id); `nextCursor` leads to older messages. Filters combine. Messages sent by the log transport (the default when no SMTP or SMS provider is set) are read here: `subject`, `text` and `html` hold what went out.',
          querystring: ListMessagesQuery,
          response: { 200: MessagePage, ...errorResponses },
        },
      },
      async (request) => messages.listMessages(ctx, request.query),
    );

    app.get(
      '/v1/messages/:id',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'getMessage',
          summary: 'Read a message with its attempt log',
          params: MessageParams,
          response: { 200: MessageDetail, ...errorResponses },
        },
      },
      async (request) => messages.getMessage(ctx, request.params.id),
    );

    app.post(
      '/v1/messages/:id/retry',
      {
        config: { access: staff },
        // The body (empty) may be left out entirely.
        preValidation: async (request) => {
          request.body ??= {};
        },
        schema: {
          tags,
          operationId: 'retryMessage',
          summary: 'Send a dead letter again',
          description:
            'Only a `dead` message: it becomes pending, due now, and the dispatcher tries it again with the words it rendered before. Its attempts are kept, so the log continues. Any other state is 409 NOT_DEAD with the state in details.',
          params: MessageParams,
          body: RetryBody,
          response: { 200: MessageDetail, ...errorResponses },
        },
      },
      async (request) => messages.retryMessage(ctx, request.params.id),
    );
  };
