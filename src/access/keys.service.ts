import { createHash, randomBytes } from 'node:crypto';
import { requireChannel } from '../catalogue/channels.service.js';
import type { AppContext } from '../kernel/context.js';
import { decodeCursor, type Page, toPage } from '../shared/cursor.js';
import { BadRequestError, NotFoundError } from '../shared/errors.js';
import type { ApiKeyRow } from './keys.repository.js';
import * as repo from './keys.repository.js';
import type { ApiKey, CreateKeyBody, ListKeysQuery } from './keys.schemas.js';
import type { Principal } from './principal.js';

const KEY_PREFIX = 'sr_';
export const MIN_BOOTSTRAP_KEY_LENGTH = 20;

/**
 * Keys carry 256 random bits, so a plain SHA-256 is enough to store them: there is no
 * dictionary to attack, and a slow hash would cost every request.
 */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function newKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    channel: row.channel_code,
    prefix: row.key_prefix,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

export function authenticate(ctx: AppContext, key: string): Promise<Principal | null> {
  return authenticateHash(ctx, hashKey(key));
}

/** The principal of a key by its hash (src/access/key-cache.ts keeps these): frozen, as shared. */
export async function authenticateHash(
  ctx: AppContext,
  keyHash: string,
): Promise<Principal | null> {
  const row = await repo.findActiveKeyByHash(ctx.db, keyHash);
  if (!row) return null;
  return Object.freeze({
    scope: `key:${row.id}`,
    name: row.name,
    role: row.role,
    channel:
      row.channel_id !== null && row.channel_code !== null
        ? { id: row.channel_id, code: row.channel_code }
        : null,
    actor: `key:${row.id}/${row.name}`,
  });
}

export async function createKey(
  ctx: AppContext,
  input: CreateKeyBody,
  secret: string = newKey(),
): Promise<{ key: string; apiKey: ApiKey }> {
  if ((input.role === 'channel') !== (input.channel !== undefined)) {
    throw new BadRequestError(
      'CHANNEL_SCOPE_MISMATCH',
      input.role === 'channel'
        ? 'A channel key needs the channel it belongs to'
        : `Only channel keys are bound to a channel, not ${input.role} keys`,
      { role: input.role, channel: input.channel ?? null },
    );
  }
  const channel = input.channel === undefined ? null : await requireChannel(ctx.db, input.channel);
  const id = await repo.insertKey(ctx.db, {
    name: input.name,
    role: input.role,
    channel_id: channel?.id ?? null,
    key_hash: hashKey(secret),
    key_prefix: secret.slice(0, KEY_PREFIX.length + 6),
    created_at: ctx.clock.now().toISOString(),
    revoked_at: null,
  });
  const row = await repo.findKeyById(ctx.db, id);
  return { key: secret, apiKey: toApiKey(row!) };
}

export async function listKeys(ctx: AppContext, query: ListKeysQuery): Promise<Page<ApiKey>> {
  const [afterId = 0] = decodeCursor(query.cursor);
  const rows = await repo.listKeys(ctx.db, {
    afterId,
    limit: query.limit + 1,
    includeRevoked: query.includeRevoked,
  });
  return toPage(rows, query.limit, toApiKey, (row) => [row.id]);
}

export async function revokeKey(ctx: AppContext, id: number): Promise<ApiKey> {
  const row = await repo.findKeyById(ctx.db, id);
  if (!row) throw new NotFoundError('KEY_NOT_FOUND', `No API key with id ${id}`, { id });
  const mark = ctx.accessChanges?.mark('keys');
  await repo.revokeKey(ctx.db, id, ctx.clock.now().toISOString());
  if (mark !== undefined) await ctx.accessChanges!.settle('keys', mark);
  return toApiKey((await repo.findKeyById(ctx.db, id))!);
}

/**
 * On a database with no keys at all, creates the first admin key: the given one (for
 * automated set-ups) or a random one. Returns the secret to print, or null if keys exist.
 */
export async function bootstrapAdminKey(
  ctx: AppContext,
  presetKey: string | undefined,
): Promise<{ key: string; preset: boolean } | null> {
  if (presetKey !== undefined && presetKey.length < MIN_BOOTSTRAP_KEY_LENGTH) {
    throw new Error(
      `STOCKROOM_BOOTSTRAP_ADMIN_KEY must be at least ${MIN_BOOTSTRAP_KEY_LENGTH} characters`,
    );
  }
  if ((await repo.countKeys(ctx.db)) > 0) return null;
  const { key } = await createKey(ctx, { name: 'bootstrap admin', role: 'admin' }, presetKey);
  return { key, preset: presetKey !== undefined };
}
