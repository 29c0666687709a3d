import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import {
  CreatedUser,
  CreateUserBody,
  ListUsersQuery,
  UpdateUserBody,
  UserPage,
  UserParams,
} from './users.schemas.js';
import * as users from './users.service.js';

const admin = ['admin'] as const;

export const userRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/users',
      {
        config: { access: admin },
        schema: {
          tags: ['access'],
          operationId: 'createStaffUser',
          summary: 'Create a staff user who signs in to the staff app',
          body: CreateUserBody,
          response: { 201: CreatedUser, ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await users.createUser(ctx, request.body)),
    );

    app.get(
      '/v1/users',
      {
        config: { access: admin },
        schema: {
          tags: ['access'],
          operationId: 'listStaffUsers',
          summary: 'List staff users (never their passwords)',
          querystring: ListUsersQuery,
          response: { 200: UserPage, ...errorResponses },
        },
      },
      async (request) => users.listUsers(ctx, request.query),
    );

    app.patch(
      '/v1/users/:id',
      {
        config: { access: admin },
        schema: {
          tags: ['access'],
          operationId: 'updateStaffUser',
          summary: 'Rename, change the role or password of, disable or re-enable a staff user',
          description:
            'Disabling or setting a password signs the user out of their sessions (an admin changing their own password keeps the session they do it from). The last admin who can sign in cannot be demoted or disabled (409 LAST_ADMIN).',
          params: UserParams,
          body: UpdateUserBody,
          response: { 200: { $ref: 'StaffUser' }, ...errorResponses },
        },
      },
      async (request) =>
        users.updateUser(ctx, request.params.id, request.body, request.principal?.session?.id),
    );
  };
