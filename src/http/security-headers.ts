import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * The API answers JSON, never pages, so its content security policy forbids everything: a
 * response rendered by mistake (or framed) can run nothing. Only /docs serves a page, and
 * swagger-ui sets its own policy there (see docsCsp).
 */
const API_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
  },
};

/**
 * Options for @fastify/swagger-ui: `staticCSP` allows exactly the inline script and style
 * of its page by hash. Its `upgrade-insecure-requests` is dropped: on a plain-HTTP address
 * other than localhost it would make the browser fetch the page's scripts over HTTPS and
 * leave /docs blank.
 */
export const docsCsp = {
  staticCSP: true,
  transformStaticCSP: (header: string) =>
    header.replace(/\s*upgrade-insecure-requests;?/, '').trim(),
};

/**
 * Headers on every response: helmet's set (nosniff, frame denial, HSTS, referrer policy…)
 * with the policy above, from one helmet middleware built at start-up (@fastify/helmet
 * built a new one, parsing the policy again, on every request: 3% of a look-up's CPU);
 * `Cache-Control: no-store` on answers to a request that carried a key, so no shared
 * cache or browser keeps stock, customers or keys; and the
 * `WWW-Authenticate: Bearer` challenge every 401 owes the client (RFC 9110, RFC 6750).
 * CORS stays off unless origins are listed: browsers then may call the API from those.
 */
export async function installSecurityHeaders(
  app: FastifyInstance,
  corsOrigins: readonly string[] = [],
): Promise<void> {
  const headers = helmet({ contentSecurityPolicy: API_CSP });
  app.addHook('onRequest', (request, reply, done) =>
    headers(request.raw, reply.raw, (error) => done(error as Error | undefined)),
  );
  if (corsOrigins.length > 0) {
    await app.register(cors, {
      origin: [...corsOrigins],
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id'],
      exposedHeaders: [
        'x-request-id',
        'idempotent-replayed',
        'retry-after',
        'x-ratelimit-limit',
        'x-ratelimit-remaining',
        'x-ratelimit-reset',
      ],
      maxAge: 600,
    });
  }
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.headers.authorization !== undefined || request.principal) {
      reply.header('cache-control', 'no-store');
    }
    if (reply.statusCode === 401) reply.header('www-authenticate', 'Bearer realm="stockroom"');
    done(null, payload);
  });
}
