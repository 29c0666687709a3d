import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { AlertCounts, AlertPage, AlertParams, ListAlertsQuery } from './alerts.schemas.js';
import * as alerts from './alerts.service.js';

const staff = ['admin', 'staff'] as const;

export const alertRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/alerts',
      {
        config: { access: staff },
        schema: {
          tags: ['alerts'],
          operationId: 'listAlerts',
          summary: 'List staff alerts, newest first',
          description:
            'Open alerts unless `state` says otherwise. Low stock is raised as availability changes; shortage ahead and overdue purchase orders by a periodic sweep. An alert resolves by itself when its cause goes away, and the same cause raises a new one if it returns.',
          querystring: ListAlertsQuery,
          response: { 200: AlertPage, ...errorResponses },
        },
      },
      async (request) => alerts.listAlerts(ctx, request.query),
    );

    app.get(
      '/v1/alerts/counts',
      {
        config: { access: staff },
        schema: {
          tags: ['alerts'],
          operationId: 'countAlerts',
          summary: 'Count the open staff alerts, in all and by kind',
          description:
            'One small answer for a dashboard, however many alerts are open (listing them pages by 1000 at most).',
          response: { 200: AlertCounts, ...errorResponses },
        },
      },
      async () => alerts.countOpenAlerts(ctx),
    );

    app.get(
      '/v1/alerts/:id',
      {
        config: { access: staff },
        schema: {
          tags: ['alerts'],
          operationId: 'getAlert',
          summary: 'Read a staff alert',
          params: AlertParams,
          response: { 200: { $ref: 'Alert' }, ...errorResponses },
        },
      },
      async (request) => alerts.getAlert(ctx, request.params.id),
    );
  };
