import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { NotFoundError } from '../shared/errors.js';
import { SESSION_COOKIE } from './auth.js';
import * as sessions from './sessions.service.js';
import { SignInBody, StaffSession } from './users.schemas.js';

const signedIn = ['admin', 'staff'] as const;

/**
 * Staff sign-in for the staff app. The session token lives only in an httpOnly,
 * SameSite=Strict cookie: page scripts cannot read it and other sites cannot send it.
 */
export const sessionRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/session',
      {
        config: { access: 'public' },
        schema: {
          tags: ['access'],
          operationId: 'signIn',
          security: [],
          summary: 'Sign in as a staff user',
          description: `Sets the session cookie and returns the CSRF token the app sends back on every change. After ${sessions.MAX_FAILURES_PER_EMAIL} failed attempts for one email within 15 minutes, further attempts get 429 SIGN_IN_RATE_LIMITED until the window passes.`,
          body: SignInBody,
          response: { 200: StaffSession, ...errorResponses },
        },
      },
      async (request, reply) => {
        try {
          const { token, session } = await sessions.signIn(ctx, request.body, request.ip);
          setSessionCookie(request, reply, token, session.expiresAt);
          return session;
        } catch (error) {
          if (error instanceof sessions.SignInRateLimitedError) {
            reply.header('retry-after', error.details.retryAfterSeconds);
          }
          throw error;
        }
      },
    );

    app.get(
      '/v1/session',
      {
        config: { access: signedIn },
        schema: {
          tags: ['access'],
          operationId: 'getSession',
          summary: 'The signed-in staff user and the session’s CSRF token',
          response: { 200: StaffSession, ...errorResponses },
        },
      },
      async (request) => {
        const session = await sessions.currentSession(ctx, request.principal!);
        if (!session) throw notASession();
        return session;
      },
    );

    app.delete(
      '/v1/session',
      {
        config: { access: signedIn },
        schema: {
          tags: ['access'],
          operationId: 'signOut',
          summary: 'Sign out: end this session and clear its cookie',
          response: { 204: Type.Null({ description: 'Signed out' }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const session = request.principal!.session;
        if (!session) throw notASession();
        await sessions.signOut(ctx, session.id);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );
  };

const notASession = () =>
  new NotFoundError(
    'SESSION_NOT_FOUND',
    'This request is authenticated by an API key, not a staff session',
  );

function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  expiresAt: string,
): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    // Behind TLS (directly or via a proxy that says so) the cookie never travels in clear.
    secure: request.protocol === 'https',
    expires: new Date(expiresAt),
  });
}
