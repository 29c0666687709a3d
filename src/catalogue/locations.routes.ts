import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import {
  CreateLocationBody,
  ListLocationsQuery,
  LocationPage,
  LocationParams,
  UpdateLocationBody,
} from './locations.schemas.js';
import * as locations from './locations.service.js';

const location = { $ref: 'Location' } as const;
const staff = ['admin', 'staff'] as const;

export const locationRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/locations',
      {
        config: { access: staff },
        schema: {
          tags: ['catalogue'],
          operationId: 'createLocation',
          summary: 'Create a location (store or warehouse)',
          body: CreateLocationBody,
          response: { 201: location, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await locations.createLocation(ctx, request.body)),
    );

    app.get(
      '/v1/locations',
      {
        config: { access: staff },
        schema: {
          tags: ['catalogue'],
          operationId: 'listLocations',
          summary: 'List locations',
          querystring: ListLocationsQuery,
          response: { 200: LocationPage, ...errorResponses },
        },
      },
      async (request) => locations.listLocations(ctx, request.query),
    );

    app.get(
      '/v1/locations/:code',
      {
        config: { access: staff },
        schema: {
          tags: ['catalogue'],
          operationId: 'getLocation',
          summary: 'Read a location',
          params: LocationParams,
          response: { 200: location, ...errorResponses },
        },
      },
      async (request) => locations.getLocation(ctx, request.params.code),
    );

    app.patch(
      '/v1/locations/:code',
      {
        config: { access: staff },
        schema: {
          tags: ['catalogue'],
          operationId: 'updateLocation',
          summary: 'Change a location',
          params: LocationParams,
          body: UpdateLocationBody,
          response: { 200: location, ...errorResponses },
        },
      },
      async (request) => locations.updateLocation(ctx, request.params.code, request.body),
    );
  };
