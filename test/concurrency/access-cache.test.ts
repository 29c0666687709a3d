import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { revokeKey as revokeKeyRow } from '../../src/access/keys.repository.js';
import type { AppContext } from '../../src/kernel/context.js';
import { systemClock } from '../../src/shared/clock.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';
import { insertItem, insertLocation, insertWorld, putStock } from '../helpers/factories.js';
import { refusedWithin } from '../helpers/refused-within.js';
import { type ServerProcess, startServer } from './servers.js';

/**
 * The key and channel caches across real server processes on one database: whatever one
 * process (or anything else writing the database) changes, the other applies at its very
 * next request. PostgreSQL learns it by LISTEN/NOTIFY, SQLite from the generation counter
 * (src/db/change-watch.ts). Every check comes right after the change, with no waiting.
 */
const ADMIN_KEY = 'sr_test_access_cache_admin_key_0123456789abcdef';

const env = {
  STOCKROOM_WATCH_INTERVAL_MS: '0',
  STOCKROOM_ALERT_INTERVAL_MINUTES: '0',
  STOCKROOM_DISPATCH_INTERVAL_MS: '0',
  STOCKROOM_REPROMISE_INTERVAL_MINUTES: '0',
};

/** Waits until `count` processes hold their key-cache LISTEN connection (a hang guard only). */
async function listenersUp(url: string, count: number): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    for (let waited = 0; waited < 20_000; waited += 50) {
      const { rows } = await admin.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
         where datname = current_database() and application_name like 'stockroom-access %'`,
      );
      if (rows[0]!.n >= count) return;
      await sleep(50);
    }
    throw new Error('the servers never opened their LISTEN connections');
  } finally {
    await admin.end();
  }
}

for (const target of testDatabases()) {
  describe(`key and channel caches across server processes (${target.kind})`, () => {
    let database: TestDatabase;
    let ctx: AppContext;
    let a: ServerProcess;
    let b: ServerProcess;

    before(async () => {
      database = await target.open();
      ctx = { db: database.db, dbKind: database.kind, clock: systemClock };
      await insertWorld(ctx);
      await insertLocation(ctx, { code: 'S2', name: 'Station', kind: 'store' });
      await insertItem(ctx, { sku: 'KET', name: 'Copper kettle' });
      await putStock(ctx, 'KET', 'W1', 50);
      await putStock(ctx, 'KET', 'S2', 7);
      a = await startServer(database.url, ADMIN_KEY, env);
      b = await startServer(database.url, ADMIN_KEY, env);
      // Until its LISTEN connection is up a process reads every key; wait, or the
      // PostgreSQL half would prove nothing about the cache.
      if (target.kind === 'postgres') await listenersUp(database.url, 2);
    });
    after(async () => {
      await a?.stop();
      await b?.stop();
      await database?.drop();
    });

    async function call(
      server: ServerProcess,
      method: string,
      path: string,
      key: string,
      body?: unknown,
    ): Promise<{ status: number; body: Record<string, unknown> }> {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    }

    async function channelKey(name: string): Promise<{ id: number; key: string }> {
      const created = await call(a, 'POST', '/v1/keys', ADMIN_KEY, {
        name,
        role: 'channel',
        channel: 'web',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return { id: (created.body.apiKey as { id: number }).id, key: created.body.key as string };
    }

    const lookup = (server: ServerProcess, key: string) =>
      call(server, 'GET', '/v1/availability/KET', key);

    it('a key created in one process works in the other at once', async () => {
      const { key } = await channelKey('created in A');
      const answer = await lookup(b, key);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.channel, 'web');
    });

    it('a key revoked through one process is refused by the other on its next request', async () => {
      const { id, key } = await channelKey('revoked through A');
      // Both processes have it cached now.
      for (const server of [a, b, b]) assert.equal((await lookup(server, key)).status, 200);
      const revoked = await call(a, 'POST', `/v1/keys/${id}/revoke`, ADMIN_KEY);
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      const refused = await lookup(b, key);
      assert.equal(refused.status, 401, JSON.stringify(refused.body));
      assert.equal((await lookup(a, key)).status, 401);
    });

    it('a key revoked in the database directly (a script) is refused by both', async () => {
      const { id, key } = await channelKey('revoked outside the servers');
      for (const server of [a, b]) assert.equal((await lookup(server, key)).status, 200);
      assert.equal(await revokeKeyRow(ctx.db, id, new Date().toISOString()), true);
      // No process made this write, so none waited for its NOTIFY: on PostgreSQL it is
      // refused once the notification is delivered; SQLite reads the counter at once.
      const limitMs = target.kind === 'sqlite' ? 0 : 5_000;
      for (const server of [b, a]) {
        const status = await refusedWithin(limitMs, async () => (await lookup(server, key)).status);
        assert.equal(status, 401);
      }
    });

    it("a channel's locations changed through one process show in the other's next look-up", async () => {
      const path = '/v1/availability/KET?channel=web';
      const locationsOf = async (server: ServerProcess) => {
        const answer = await call(server, 'GET', path, ADMIN_KEY);
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        return (answer.body.locations as { location: string }[]).map((l) => l.location);
      };
      assert.deepEqual(await locationsOf(b), ['W1', 'S1']);
      const added = await call(a, 'PATCH', '/v1/channels/web', ADMIN_KEY, {
        locations: ['W1', 'S1', 'S2'],
      });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      assert.deepEqual(await locationsOf(b), ['W1', 'S1', 'S2']);
      const removed = await call(a, 'PATCH', '/v1/channels/web', ADMIN_KEY, {
        locations: ['S2'],
      });
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.deepEqual(await locationsOf(b), ['S2']);
      assert.deepEqual(await locationsOf(a), ['S2']);
    });
  });
}
