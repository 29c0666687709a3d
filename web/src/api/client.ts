import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '../../../clients/stockroom-api';
import { csrfToken, isUnsafeMethod } from './csrf';
import { apiErrorFrom } from './errors';

let onUnauthorized: () => void = () => {};

/** The auth provider registers how to send the user back to sign in when a call answers 401. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

const sessionAndErrors: Middleware = {
  onRequest({ request }) {
    const token = csrfToken();
    if (token !== undefined && isUnsafeMethod(request.method)) {
      request.headers.set('X-CSRF-Token', token);
    }
    return request;
  },
  async onResponse({ request, response }) {
    if (response.ok) return response;
    // The session is gone (expired, signed out elsewhere): every screen needs it. A 401 from
    // /v1/session itself is the answer "not signed in" or "wrong password", handled there.
    const sessionCall = new URL(request.url).pathname === '/v1/session';
    if (response.status === 401 && !sessionCall) onUnauthorized();
    throw await apiErrorFrom(response);
  },
};

/**
 * The typed API client. Non-2xx answers throw ApiError, so `data` is set whenever a call
 * returns; `unwrap` hands it over typed.
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(sessionAndErrors);

/** The body of a call that succeeded (the middleware threw otherwise). */
export async function unwrap<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data } = await call;
  return data as T;
}
