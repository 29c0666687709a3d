import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createKey } from '../../src/access/keys.service.js';
import { buildApp } from '../../src/app/build-app.js';
import type { Role } from '../../src/db/tables/api-keys.js';
import type { AppContext } from '../../src/kernel/context.js';
import { fixedClock } from '../../src/shared/clock.js';
import type { TestDatabase, TestDatabaseTarget } from './databases.js';

export const TEST_NOW = '2026-11-26T10:00:00.000Z';

/** A freshly migrated database, the real app around it, and keys for each role. */
export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: TestDatabase;
  clock: ReturnType<typeof fixedClock>;
  adminKey: string;
  staffKey: string;
  /** Creates (once per channel) and returns a channel key; the channel must exist. */
  channelKey(channel: string): Promise<string>;
  /** app.inject with JSON bodies and the admin key unless another (or null) is given. */
  request(options: TestRequest): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface TestRequest {
  method: InjectOptions['method'];
  url: string;
  body?: unknown;
  /** Raw payload sent as is (malformed JSON tests). */
  rawBody?: string;
  key?: string | null;
  headers?: Record<string, string>;
}

export interface TestAppOptions {
  /**
   * STOCKROOM_WEBHOOK_ALLOW_PRIVATE for this app: tests that register webhooks pointing at
   * receivers on 127.0.0.1 need it; off by default, as in production.
   */
  allowPrivateWebhookTargets?: boolean;
  /**
   * The built staff app to serve at /. By default none (a directory that does not exist),
   * so tests answer the same whether or not `npm run build` has written dist/web.
   */
  staffAppDir?: string;
}

const NO_STAFF_APP = join(tmpdir(), 'stockroom-tests-no-staff-app');

export async function startTestApp(
  target: TestDatabaseTarget,
  options: TestAppOptions = {},
): Promise<TestApp> {
  const database = await target.open();
  const clock = fixedClock(TEST_NOW);
  const ctx: AppContext = {
    db: database.db,
    dbKind: database.kind,
    clock,
    webhooks: { allowPrivateTargets: options.allowPrivateWebhookTargets ?? false },
  };
  const app = await buildApp(ctx, { staffAppDir: options.staffAppDir ?? NO_STAFF_APP });
  const adminKey = await keyWith(ctx, 'admin');
  const staffKey = await keyWith(ctx, 'staff');
  const channelKeys = new Map<string, string>();
  return {
    app,
    ctx,
    database,
    clock,
    adminKey,
    staffKey,
    async channelKey(channel) {
      let key = channelKeys.get(channel);
      if (!key) {
        key = await keyWith(ctx, 'channel', channel);
        channelKeys.set(channel, key);
      }
      return key;
    },
    request({ method, url, body, rawBody, key = adminKey, headers = {} }) {
      const allHeaders: Record<string, string> = { ...headers };
      if (key !== null) allHeaders.authorization = `Bearer ${key}`;
      if (body !== undefined || rawBody !== undefined)
        allHeaders['content-type'] ??= 'application/json';
      return app.inject({
        method,
        url,
        headers: allHeaders,
        ...(rawBody !== undefined
          ? { payload: rawBody }
          : body !== undefined
            ? { payload: JSON.stringify(body) }
            : {}),
      });
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

async function keyWith(ctx: AppContext, role: Role, channel?: string): Promise<string> {
  const { key } = await createKey(ctx, {
    name: `test ${role}${channel ? ` ${channel}` : ''}`,
    role,
    ...(channel !== undefined && { channel }),
  });
  return key;
}

/** Parses a JSON response, failing with the body in the message if it is not JSON. */
export function json<T = Record<string, unknown>>(response: LightMyRequestResponse): T {
  try {
    return JSON.parse(response.body) as T;
  } catch {
    throw new Error(`Expected JSON, got ${response.statusCode}: ${response.body}`);
  }
}
