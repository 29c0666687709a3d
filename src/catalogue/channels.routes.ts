import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import {
  ChannelPage,
  ChannelParams,
  CreateChannelBody,
  ListChannelsQuery,
  UpdateChannelBody,
} from './channels.schemas.js';
import * as channels from './channels.service.js';

const channel = { $ref: 'Channel' } as const;
const staff = ['admin', 'staff'] as const;

export const channelRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/channels',
      {
        config: { access: staff },
        schema: {
          tags: ['catalogue'],
          operationId: 'createChannel',
          summary: 'Create a sales channel and the locations that fulfil it',
          body: CreateChannelBody,
          response: { 201: channel, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await channels.createChannel(ctx, request.body)),
    );

    app.get(
      '/v1/channels',
      {
        config: { access: staff },
        schema: {
          tags: ['catalogue'],
          operationId: 'listChannels',
          summary: 'List channels',
          querystring: ListChannelsQuery,
          response: { 200: ChannelPage, ...errorResponses },
        },
      },
      async (request) => channels.listChannels(ctx, request.query),
    );

    app.get(
      '/v1/channels/:code',
      {
        config: { access: staff },
        schema: {
          tags: ['catalogue'],
          operationId: 'getChannel',
          summary: 'Read a channel',
          params: ChannelParams,
          response: { 200: channel, ...errorResponses },
        },
      },
      async (request) => channels.getChannel(ctx, request.params.code),
    );

    app.patch(
      '/v1/channels/:code',
      {
        config: { access: staff },
        schema: {
          tags: ['catalogue'],
          operationId: 'updateChannel',
          summary: 'Change a channel (a new locations list replaces the old one)',
          params: ChannelParams,
          body: UpdateChannelBody,
          response: { 200: channel, ...errorResponses },
        },
      },
      async (request) => channels.updateChannel(ctx, request.params.code, request.body),
    );
  };
