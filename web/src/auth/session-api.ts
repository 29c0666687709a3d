import { csrfToken } from '../api/csrf';
import { apiErrorFrom } from '../api/errors';

export type Role = 'admin' | 'staff';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
}

/*
 * The session calls go through fetch rather than the typed client: they are the ones that
 * must not send the user to sign in on 401 (a 401 here is the answer "not signed in").
 */

/** The current session, or undefined when nobody is signed in. */
export async function fetchSession(): Promise<Session | undefined> {
  const response = await fetch('/v1/session', {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  if (response.status === 401) return undefined;
  if (!response.ok) throw await apiErrorFrom(response);
  return (await response.json()) as Session;
}

export async function createSession(email: string, password: string): Promise<Session> {
  const response = await fetch('/v1/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw await apiErrorFrom(response);
  return (await response.json()) as Session;
}

export async function deleteSession(): Promise<void> {
  const token = csrfToken();
  const response = await fetch('/v1/session', {
    method: 'DELETE',
    credentials: 'same-origin',
    headers: token === undefined ? {} : { 'X-CSRF-Token': token },
  });
  // Already gone is as good as signed out.
  if (!response.ok && response.status !== 401) throw await apiErrorFrom(response);
}
