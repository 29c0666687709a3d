import type { components } from '../../../clients/stockroom-api';
import { api, unwrap } from '../api/client';
import { ApiError } from '../api/errors';

export type SessionUser = components['schemas']['StaffUser'];
export type Role = SessionUser['role'];

export interface Session {
  user: SessionUser;
  csrfToken: string;
  expiresAt: string;
}

/** The current session, or undefined when nobody is signed in (401). */
export async function fetchSession(): Promise<Session | undefined> {
  try {
    return await unwrap(api.GET('/v1/session'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return undefined;
    throw error;
  }
}

/** Throws ApiError: 401 INVALID_CREDENTIALS, 429 SIGN_IN_RATE_LIMITED (docs/api.md). */
export function createSession(email: string, password: string): Promise<Session> {
  return unwrap(api.POST('/v1/session', { body: { email, password } }));
}

export async function deleteSession(): Promise<void> {
  try {
    await api.DELETE('/v1/session');
  } catch (error) {
    // Already gone is as good as signed out.
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
}
