import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import {
  CreateCustomerBody,
  CustomerPage,
  CustomerParams,
  ListCustomersQuery,
  UpdateCustomerBody,
} from './customers.schemas.js';
import * as customers from './customers.service.js';

const staff = ['admin', 'staff'] as const;
const customer = { $ref: 'Customer' } as const;

export const customerRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/customers',
      {
        config: { access: staff, idempotency: true },
        schema: {
          tags: ['customers'],
          operationId: 'createCustomer',
          summary: 'Create a customer',
          description:
            'Customers are also created with an order (POST /v1/orders `customer`). preferredChannel email needs `email`, sms needs `phone` (400 VALIDATION_FAILED otherwise).',
          body: CreateCustomerBody,
          response: { 201: customer, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await customers.createCustomer(ctx, request.body, request.idempotency)),
    );

    app.get(
      '/v1/customers',
      {
        config: { access: staff },
        schema: {
          tags: ['customers'],
          operationId: 'listCustomers',
          summary: 'List customers',
          description: 'Oldest first; filter by email address (any letter case).',
          querystring: ListCustomersQuery,
          response: { 200: CustomerPage, ...errorResponses },
        },
      },
      async (request) => customers.listCustomers(ctx, request.query),
    );

    app.get(
      '/v1/customers/:id',
      {
        config: { access: staff },
        schema: {
          tags: ['customers'],
          operationId: 'getCustomer',
          summary: 'Read a customer',
          params: CustomerParams,
          response: { 200: customer, ...errorResponses },
        },
      },
      async (request) => customers.getCustomer(ctx, request.params.id),
    );

    app.patch(
      '/v1/customers/:id',
      {
        config: { access: staff },
        schema: {
          tags: ['customers'],
          operationId: 'updateCustomer',
          summary: 'Change a customer’s name or contact details',
          description:
            'Send only the fields to change; null clears an address. The result must still reach the customer by their preferred channel. Messages already in the outbox keep the address they were written with.',
          params: CustomerParams,
          body: UpdateCustomerBody,
          response: { 200: customer, ...errorResponses },
        },
      },
      async (request) => customers.updateCustomer(ctx, request.params.id, request.body),
    );
  };
