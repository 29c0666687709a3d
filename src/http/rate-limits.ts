import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.js';
import type { EdgeOptions } from './edge-options.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Counts a failed authentication against the client's address; throws RateLimitedError
     * once the address is over its limit. Only decorated when the limit is on.
     */
    noteAuthFailure?: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

const MINUTE = 60_000;

export class RateLimitedError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super('rate_limited', 'RATE_LIMITED', message, { retryAfterSeconds });
  }
}

/**
 * Two limits, both in this process's memory (each process counts on its own):
 * - per API key, over every authenticated request: `rateLimitPerKey` a minute;
 * - per client address, over failed authentications only: after `authFailureLimit` 401s a
 *   minute further wrong keys get 429. Only failures count, so a correct key keeps working
 *   from an address shared with someone who mistyped (an office behind one NAT).
 * Both answer with Retry-After and the x-ratelimit-limit/-remaining/-reset headers.
 */
export async function installRateLimits(
  app: FastifyInstance,
  options: Pick<EdgeOptions, 'rateLimitPerKey' | 'authFailureLimit'>,
): Promise<void> {
  if (options.rateLimitPerKey <= 0 && options.authFailureLimit <= 0) return;
  await app.register(rateLimit, {
    global: options.rateLimitPerKey > 0,
    max: options.rateLimitPerKey,
    timeWindow: MINUTE,
    // After authentication (an onRequest hook), before the body is read.
    hook: 'preParsing',
    keyGenerator: (request) => request.principal?.scope ?? 'anonymous',
    // Public routes (health, docs) have no key to count against.
    allowList: (request) => request.principal === null,
    errorResponseBuilder: (_request, context) =>
      new RateLimitedError(
        `Too many requests for this API key: at most ${context.max} a minute; retry after ${context.after}`,
        Math.ceil(context.ttl / 1000),
      ),
  });
  if (options.authFailureLimit <= 0) return;
  const countFailure = app.createRateLimit({
    max: options.authFailureLimit,
    timeWindow: MINUTE,
    keyGenerator: (request) => `auth-failure:${request.ip}`,
    allowList: () => false,
  });
  app.decorate('noteAuthFailure', async (request: FastifyRequest, reply: FastifyReply) => {
    const limit = await countFailure(request);
    if (limit.isAllowed || !limit.isExceeded) return;
    reply.header('retry-after', limit.ttlInSeconds);
    reply.header('x-ratelimit-limit', limit.max);
    reply.header('x-ratelimit-remaining', 0);
    reply.header('x-ratelimit-reset', limit.ttlInSeconds);
    throw new RateLimitedError(
      `Too many failed authentications from this address: at most ${limit.max} a minute; retry after ${limit.ttlInSeconds} s`,
      limit.ttlInSeconds,
    );
  });
}
