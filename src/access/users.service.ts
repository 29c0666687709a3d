import { isUniqueViolation } from '../db/errors.js';
import type { AppContext } from '../kernel/context.js';
import { decodeCursor, type Page, toPage } from '../shared/cursor.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
import { deleteUserSessions } from './sessions.repository.js';
import type { StaffUserRow } from './users.repository.js';
import * as repo from './users.repository.js';
import type { CreateUserBody, ListUsersQuery, StaffUser, UpdateUserBody } from './users.schemas.js';

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export function toStaffUser(row: StaffUserRow): StaffUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    lastSignInAt: row.last_sign_in_at,
  };
}

export async function createUser(
  ctx: AppContext,
  input: CreateUserBody,
): Promise<{ user: StaffUser; password?: string }> {
  const email = normaliseEmail(input.email);
  if (await repo.findUserByEmail(ctx.db, email)) {
    throw userExists(email);
  }
  const generated = input.password === undefined ? generatePassword() : undefined;
  const id = await repo
    .insertUser(ctx.db, {
      email,
      name: input.name,
      role: input.role,
      password_hash: await hashPassword(input.password ?? generated!),
      created_at: ctx.clock.now().toISOString(),
      disabled_at: null,
      last_sign_in_at: null,
    })
    .catch((error: unknown) => {
      // Another request (or server process) created the same email since the check.
      if (isUniqueViolation(error)) throw userExists(email);
      throw error;
    });
  const user = toStaffUser((await repo.findUserById(ctx.db, id))!);
  return generated === undefined ? { user } : { user, password: generated };
}

const userExists = (email: string) =>
  new ConflictError('USER_EXISTS', `A user with email ${email} already exists`, { email });

export async function listUsers(ctx: AppContext, query: ListUsersQuery): Promise<Page<StaffUser>> {
  const [afterId = 0] = decodeCursor(query.cursor);
  const rows = await repo.listUsers(ctx.db, { afterId, limit: query.limit + 1 });
  return toPage(rows, query.limit, toStaffUser, (row) => [row.id]);
}

/**
 * Renames, changes role or password, disables or re-enables a user. The last admin who can
 * sign in cannot be demoted or disabled: nobody could manage users after that. A new
 * password or disabling signs the user out of every other session.
 */
export async function updateUser(
  ctx: AppContext,
  id: number,
  patch: UpdateUserBody,
  keepSessionId?: number,
): Promise<StaffUser> {
  const row = await requireUser(ctx, id);
  const losesAdmin =
    row.role === 'admin' && row.disabled_at === null && (patch.disabled || patch.role === 'staff');
  if (losesAdmin && (await repo.countOtherActiveAdmins(ctx.db, id)) === 0) {
    throw new ConflictError('LAST_ADMIN', `${row.email} is the last admin who can sign in`, {
      id,
    });
  }
  await repo.updateUser(ctx.db, id, {
    ...(patch.name !== undefined && { name: patch.name }),
    ...(patch.role !== undefined && { role: patch.role }),
    ...(patch.password !== undefined && { password_hash: await hashPassword(patch.password) }),
    ...(patch.disabled !== undefined && {
      disabled_at: patch.disabled ? (row.disabled_at ?? ctx.clock.now().toISOString()) : null,
    }),
  });
  if (patch.disabled || patch.password !== undefined) {
    await deleteUserSessions(ctx.db, id, patch.disabled ? undefined : keepSessionId);
  }
  return toStaffUser((await repo.findUserById(ctx.db, id))!);
}

async function requireUser(ctx: AppContext, id: number): Promise<StaffUserRow> {
  const row = await repo.findUserById(ctx.db, id);
  if (!row) throw new NotFoundError('USER_NOT_FOUND', `No staff user with id ${id}`, { id });
  return row;
}

export const DEFAULT_BOOTSTRAP_EMAIL = 'admin@stockroom.local';

/**
 * On a database with no staff users, creates the first admin: the given email and password
 * (automated set-ups, the end-to-end tests) or the default email and a generated password
 * to print once. Returns null when users exist.
 */
export async function bootstrapAdminUser(
  ctx: AppContext,
  preset: { email?: string | undefined; password?: string | undefined },
): Promise<{ email: string; password: string; preset: boolean } | null> {
  if (preset.password !== undefined && preset.password.length < MIN_PASSWORD_LENGTH) {
    throw new Error(
      `STOCKROOM_BOOTSTRAP_ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters`,
    );
  }
  if ((await repo.countUsers(ctx.db)) > 0) return null;
  // Several processes starting on one empty PostgreSQL database race here; one creates the
  // admin and the others find the email taken, which is the same outcome.
  const created = await createUser(ctx, {
    email: preset.email ?? DEFAULT_BOOTSTRAP_EMAIL,
    name: 'Administrator',
    role: 'admin',
    ...(preset.password !== undefined && { password: preset.password }),
  }).catch((error: unknown) => {
    if (error instanceof ConflictError && error.code === 'USER_EXISTS') return null;
    throw error;
  });
  if (!created) return null;
  const { user, password } = created;
  return {
    email: user.email,
    password: password ?? preset.password!,
    preset: preset.password !== undefined,
  };
}
