/**
 * The session's CSRF token, from POST/GET /v1/session. Kept in memory only: a reload asks
 * GET /v1/session again, which answers it.
 */
let token: string | undefined;

export function setCsrfToken(value: string | undefined): void {
  token = value;
}

export function csrfToken(): string | undefined {
  return token;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isUnsafeMethod(method: string): boolean {
  return !SAFE.has(method.toUpperCase());
}
