import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { createKey } from '../../src/access/keys.service.js';
import { buildApp } from '../../src/app/build-app.js';
import type { Role } from '../../src/db/tables/api-keys.js';
import { DEFAULT_TIMEOUTS, type EdgeOptions } from '../../src/http/edge-options.js';
import type { AppContext } from '../../src/kernel/context.js';
import { fixedClock } from '../../src/shared/clock.js';
import { TEST_NOW } from './app.js';
import type { TestDatabase, TestDatabaseTarget } from './databases.js';

/** Edge settings as `stockroom serve` has them by default, overridable per test. */
export function edgeOptions(overrides: Partial<EdgeOptions> = {}): EdgeOptions {
  return {
    rateLimitPerKey: 6000,
    authFailureLimit: 60,
    corsOrigins: [],
    timeouts: DEFAULT_TIMEOUTS,
    ...overrides,
  };
}

/** The real app with edge options, listening on a free local port for real clients. */
export interface EdgeApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: TestDatabase;
  url: string;
  port: number;
  key(role: Role): Promise<string>;
  close(): Promise<void>;
}

export async function startEdgeApp(
  target: TestDatabaseTarget,
  edge: EdgeOptions | undefined,
  logger?: FastifyServerOptions['logger'],
): Promise<EdgeApp> {
  const database = await target.open();
  const ctx: AppContext = { db: database.db, dbKind: database.kind, clock: fixedClock(TEST_NOW) };
  const app = await buildApp(ctx, { ...(edge && { edge }), ...(logger && { logger }) });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    ctx,
    database,
    url,
    port: new URL(url).port ? Number(new URL(url).port) : 80,
    async key(role) {
      const { key } = await createKey(ctx, {
        name: `edge test ${role}`,
        role,
        ...(role === 'channel' && { channel: 'web' }),
      });
      return key;
    },
    async close() {
      app.server.closeAllConnections();
      await app.close();
      await database.drop();
    },
  };
}
