import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../db/tables/api-keys.js';
import type { AppContext } from '../kernel/context.js';
import { AppError, ForbiddenError, UnauthorizedError } from '../shared/errors.js';
import type { KeyCache } from './key-cache.js';
import { authenticate } from './keys.service.js';
import type { Principal } from './principal.js';
import { authenticateSession } from './sessions.service.js';

/** Who may call a route: 'public', or the roles allowed. Every route declares it. */
export type Access = 'public' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/**
 * Checks the API key or staff session before anything else runs. Routes that do not declare their access
 * (plugin-provided ones) are public only under /docs; anything else is admin-only, so a
 * forgotten declaration fails closed.
 */
export function installAuth(app: FastifyInstance, ctx: AppContext, keys?: KeyCache): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    const access = accessOf(request);
    if (access === 'public') return;
    const principal = await principalOf(request, ctx, keys).catch(async (error: unknown) => {
      // Past the per-address limit on failures (src/http/rate-limits.ts) this becomes a 429.
      if (error instanceof UnauthorizedError) await app.noteAuthFailure?.(request, reply);
      throw error;
    });
    if (!access.includes(principal.role)) {
      throw new ForbiddenError(
        `A ${principal.role} key may not call ${request.method} ${request.routeOptions.url}`,
        {
          role: principal.role,
          allowed: access,
        },
      );
    }
    request.principal = principal;
  });
}

function accessOf(request: FastifyRequest): Access {
  const declared = request.routeOptions.config?.access;
  if (declared) return declared;
  const url = request.routeOptions.url;
  // Unmatched routes fall through to the 404 handler without revealing anything.
  if (url === undefined || url === '/docs' || url.startsWith('/docs/')) return 'public';
  return ['admin'];
}

/** The cookie that carries a staff session (src/access/sessions.routes.ts sets it). */
export const SESSION_COOKIE = 'stockroom_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * An API key in the Authorization header, else a staff session cookie. A cookie is sent by
 * the browser on its own, so a request that changes something must also carry the
 * session's CSRF token, which only the app's own pages can read.
 */
async function principalOf(
  request: FastifyRequest,
  ctx: AppContext,
  keys: KeyCache | undefined,
): Promise<Principal> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw new UnauthorizedError();
    const principal = await (keys ? keys.principal(match[1]) : authenticate(ctx, match[1]));
    if (!principal) throw new UnauthorizedError('The API key is unknown or has been revoked');
    return principal;
  }
  const token = request.cookies?.[SESSION_COOKIE];
  if (!token) throw new UnauthorizedError();
  const principal = await authenticateSession(ctx, token);
  if (!principal) {
    throw new UnauthorizedError('The session has ended; sign in again');
  }
  if (!SAFE_METHODS.has(request.method) && !csrfMatches(request, principal)) {
    throw new AppError(
      'forbidden',
      'CSRF_TOKEN_INVALID',
      `A signed-in request that changes something needs the session's ${CSRF_HEADER} header`,
    );
  }
  return principal;
}

function csrfMatches(request: FastifyRequest, principal: Principal): boolean {
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string') return false;
  const expected = Buffer.from(principal.session!.csrfToken);
  const actual = Buffer.from(sent);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Channel keys see only their own channel. Returns the channel code a request is allowed
 * to use (the key's own when none was given) and refuses anything else with 403.
 */
export function scopeToChannel(
  principal: Principal,
  requested: { channel?: string | undefined; location?: string | undefined },
): { channel?: string; location?: string } {
  if (principal.role !== 'channel') {
    return {
      ...(requested.channel !== undefined && { channel: requested.channel }),
      ...(requested.location !== undefined && { location: requested.location }),
    };
  }
  const own = principal.channel!.code;
  if (requested.location !== undefined) {
    throw new ForbiddenError(
      'A channel key reads availability for its channel, not for a location',
      {
        channel: own,
        location: requested.location,
      },
    );
  }
  if (requested.channel !== undefined && requested.channel !== own) {
    throw new ForbiddenError(`This key belongs to channel ${own}, not ${requested.channel}`, {
      channel: own,
      requested: requested.channel,
    });
  }
  return { channel: own };
}
