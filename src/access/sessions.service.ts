import { createHash, randomBytes } from 'node:crypto';
import type { AppContext } from '../kernel/context.js';
import { AppError } from '../shared/errors.js';
import { decoyHash, verifyPassword } from './passwords.js';
import type { Principal } from './principal.js';
import * as repo from './sessions.repository.js';
import { findUserByEmail, findUserById, updateUser } from './users.repository.js';
import type { SignInBody, StaffSession } from './users.schemas.js';
import { normaliseEmail, toStaffUser } from './users.service.js';

/** A working day and then some: a clerk signs in once per shift. */
export const SESSION_HOURS = 12;
/** Failed sign-ins counted over this window, per email and per client address. */
const FAILURE_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_EMAIL = 5;
const MAX_FAILURES_PER_ADDRESS = 20;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class SignInRateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(
      'rate_limited',
      'SIGN_IN_RATE_LIMITED',
      `Too many failed sign-ins; try again in ${Math.ceil(retryAfterSeconds / 60)} minutes`,
      { retryAfterSeconds },
    );
  }
}

/**
 * Checks the password and opens a session. Failures are counted in the database, so the
 * limit holds across server processes; a wrong email costs as much time as a wrong password.
 */
export async function signIn(
  ctx: AppContext,
  input: SignInBody,
  address: string,
): Promise<{ token: string; session: StaffSession }> {
  const email = normaliseEmail(input.email);
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString();
  const failures = await repo.countSignInFailures(ctx.db, { email, address }, since);
  if (failures.email >= MAX_FAILURES_PER_EMAIL || failures.address >= MAX_FAILURES_PER_ADDRESS) {
    const freesAt = Date.parse(failures.oldest!) + FAILURE_WINDOW_MS;
    throw new SignInRateLimitedError(Math.max(1, Math.ceil((freesAt - now.getTime()) / 1000)));
  }
  const user = await findUserByEmail(ctx.db, email);
  const matches = await verifyPassword(input.password, user?.password_hash ?? (await decoyHash()));
  if (!user || !matches || user.disabled_at !== null) {
    await repo.recordSignInFailure(ctx.db, { email, address, failedAt: now.toISOString() });
    throw new AppError('unauthenticated', 'INVALID_CREDENTIALS', 'Wrong email or password');
  }
  await repo.clearSignInFailures(ctx.db, email);
  await repo.deleteExpiredSessions(ctx.db, now.toISOString());
  await repo.deleteOldSignInFailures(ctx.db, since);
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString();
  await repo.insertSession(ctx.db, {
    user_id: user.id,
    token_hash: hashToken(token),
    csrf_token: csrfToken,
    created_at: now.toISOString(),
    expires_at: expiresAt,
  });
  await updateUser(ctx.db, user.id, { last_sign_in_at: now.toISOString() });
  const signedIn = toStaffUser((await findUserById(ctx.db, user.id))!);
  return { token, session: { user: signedIn, csrfToken, expiresAt } };
}

/** The caller behind a session cookie, or null when the session is unknown or over. */
export async function authenticateSession(
  ctx: AppContext,
  token: string,
): Promise<Principal | null> {
  const row = await repo.findLiveSession(ctx.db, hashToken(token), ctx.clock.now().toISOString());
  if (!row) return null;
  return {
    scope: `user:${row.user_id}`,
    name: row.name,
    role: row.role,
    channel: null,
    session: {
      id: row.id,
      userId: row.user_id,
      csrfToken: row.csrf_token,
      expiresAt: row.expires_at,
    },
    actor: `user:${row.user_id}/${row.email}`,
  };
}

export async function currentSession(
  ctx: AppContext,
  principal: Principal,
): Promise<StaffSession | null> {
  if (!principal.session) return null;
  const user = await findUserById(ctx.db, principal.session.userId);
  if (!user) return null;
  return {
    user: toStaffUser(user),
    csrfToken: principal.session.csrfToken,
    expiresAt: principal.session.expiresAt,
  };
}

export async function signOut(ctx: AppContext, sessionId: number): Promise<void> {
  await repo.deleteSession(ctx.db, sessionId);
}
