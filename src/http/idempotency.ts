import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../kernel/context.js';
import {
  AnswerReplayed,
  hashRequest,
  type IdempotentRequest,
  storedAnswer,
} from '../kernel/idempotency/idempotency.service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route takes an optional Idempotency-Key. Its handler must pass
     * `request.idempotency` to a use case that writes through transactionWithAnswer.
     */
    idempotency?: boolean;
  }
  interface FastifyRequest {
    /** Set when an opted-in route got an Idempotency-Key that has no answer yet. */
    idempotency: IdempotentRequest | undefined;
  }
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';

const idempotencyKeyHeader = Type.String({
  minLength: 1,
  maxLength: 255,
  // Printable ASCII without spaces: what a client can send unchanged in a header.
  pattern: '^[\\x21-\\x7e]+$',
  description:
    'Optional. A retry with the same key and request gets the first answer again (header idempotent-replayed: true); the same key with another request is refused (422 IDEMPOTENCY_KEY_REUSED). Keys are per API key.',
});

/**
 * One mechanism for every write route that opts in with `config: { idempotency: true }`:
 * declares the optional header (so it is validated and documented in OpenAPI), answers a
 * retry with the stored answer before the handler runs, and hands a first use to the
 * handler as `request.idempotency` for the use case to store its answer in its own
 * transaction (src/idempotency/idempotency.service.ts). Must be installed before routes.
 */
export function installIdempotency(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('idempotency', undefined);

  app.addHook('onRoute', (route) => {
    if (!route.config?.idempotency) return;
    route.schema ??= {};
    const schema = route.schema;
    const headers = (schema.headers ?? Type.Object({})) as {
      properties?: Record<string, unknown>;
    };
    schema.headers = {
      ...headers,
      type: 'object',
      properties: { ...headers.properties, [IDEMPOTENCY_HEADER]: idempotencyKeyHeader },
    };
    schema.response = {
      ...(schema.response as object),
      422: { $ref: 'ErrorResponse' },
    };
    route.handler = replayingConcurrentCopies(route.handler);
    // On the opted-in routes only: every other request (look-ups above all) skips them.
    route.preHandler = [replayStoredAnswer(ctx), ...hooksOf(route.preHandler)];
    route.onSend = [...hooksOf(route.onSend), markFirstAnswer];
  });
}

function hooksOf<H>(given: H | H[] | undefined): H[] {
  if (given === undefined) return [];
  return Array.isArray(given) ? given : [given];
}

/** A retry of a key already answered gets that answer before the handler runs. */
function replayStoredAnswer(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers[IDEMPOTENCY_HEADER];
    if (typeof key !== 'string' || !request.principal) return;
    const idempotent: IdempotentRequest = {
      scope: request.principal.scope,
      key,
      requestHash: hashRequest({
        method: request.method,
        route: request.routeOptions.url ?? request.url,
        params: request.params,
        body: request.body,
      }),
    };
    const stored = await storedAnswer(ctx, idempotent);
    if (stored) return replay(reply, stored);
    request.idempotency = idempotent;
  };
}

async function markFirstAnswer(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  if (request.idempotency && reply.statusCode < 300 && !reply.hasHeader('idempotent-replayed')) {
    reply.header('idempotent-replayed', 'false');
  }
  return payload;
}

function replay(reply: FastifyReply, answer: AnswerReplayed['answer']) {
  return reply.status(answer.status).header('idempotent-replayed', 'true').send(answer.body);
}

/** A copy that waited for the key while the first one ran gets the first one's answer. */
function replayingConcurrentCopies(handler: RouteHandlerMethod): RouteHandlerMethod {
  return async function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
    try {
      return await handler.call(this, request, reply);
    } catch (error) {
      if (error instanceof AnswerReplayed) return replay(reply, error.answer);
      throw error;
    }
  } as RouteHandlerMethod;
}
