import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { pingDatabase } from '../db/ping.js';
import type { AppContext } from '../kernel/context.js';

const Health = Type.Object({ status: Type.Literal('ok') });
const Ready = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  database: Type.String(),
});

export const healthRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/health',
      {
        config: { access: 'public' },
        schema: {
          tags: ['operations'],
          operationId: 'checkLiveness',
          summary: 'Liveness: the process answers',
          security: [],
          response: { 200: Health },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/health/ready',
      {
        config: { access: 'public' },
        schema: {
          tags: ['operations'],
          operationId: 'checkReadiness',
          summary: 'Readiness: the database answers',
          security: [],
          response: { 200: Ready, 503: Ready },
        },
      },
      async (_request, reply) => {
        try {
          await pingDatabase(ctx.db);
          return { status: 'ready' as const, database: ctx.dbKind };
        } catch {
          return reply.status(503).send({ status: 'unavailable' as const, database: ctx.dbKind });
        }
      },
    );
  };
