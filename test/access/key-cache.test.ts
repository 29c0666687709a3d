import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { revokeKey } from '../../src/access/keys.repository.js';
import { createKey } from '../../src/access/keys.service.js';
import { buildApp } from '../../src/app/build-app.js';
import type { AppContext } from '../../src/kernel/context.js';
import { systemClock } from '../../src/shared/clock.js';
import { VersionedCache } from '../../src/shared/versioned-cache.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';
import { refusedWithin } from '../helpers/refused-within.js';

describe('VersionedCache', () => {
  const found = (value: string) => async () => value;
  const missing = async () => null;

  it('keeps found values while the generation holds, and empties on a new one', async () => {
    const cache = new VersionedCache<string, string>(10);
    let loads = 0;
    const load = async () => {
      loads++;
      return `v${loads}`;
    };
    assert.equal(await cache.get('k', async () => 1, load), 'v1');
    assert.equal(await cache.get('k', async () => 1, load), 'v1');
    assert.equal(await cache.get('k', async () => 2, load), 'v2');
    assert.equal(loads, 2);
  });

  it('bypasses itself while the generation is unknown (null)', async () => {
    const cache = new VersionedCache<string, string>(10);
    await cache.get('k', async () => 1, found('old'));
    assert.equal(await cache.get('k', async () => null, found('fresh')), 'fresh');
    assert.equal(cache.size, 1);
  });

  it('never keeps a miss, and stays within its capacity (least recently used out)', async () => {
    const cache = new VersionedCache<string, string>(3);
    for (let i = 0; i < 100; i++) await cache.get(`unknown ${i}`, async () => 1, missing);
    assert.equal(cache.size, 0);
    for (const k of ['a', 'b', 'c']) await cache.get(k, async () => 1, found(k));
    await cache.get('a', async () => 1, found('reloaded a')); // a is now most recent
    await cache.get('d', async () => 1, found('d'));
    assert.equal(cache.size, 3);
    assert.equal(await cache.get('a', async () => 1, found('again')), 'a');
    assert.equal(await cache.get('b', async () => 1, found('b reloaded')), 'b reloaded');
  });

  it('does not keep a value loaded under a generation that moved on during the load', async () => {
    const cache = new VersionedCache<string, string>(10);
    let release!: () => void;
    const slow = cache.get(
      'k',
      async () => 1,
      async () => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return 'stale';
      },
    );
    await sleep(0);
    assert.equal(await cache.get('other', async () => 2, found('x')), 'x');
    release();
    assert.equal(await slow, 'stale');
    assert.equal(await cache.get('k', async () => 2, found('fresh')), 'fresh');
  });
});

for (const target of testDatabases()) {
  describe(`key cache in an app (${target.kind})`, () => {
    let database: TestDatabase;
    let ctx: AppContext;
    let app: FastifyInstance;

    before(async () => {
      database = await target.open();
      ctx = { db: database.db, dbKind: database.kind, clock: systemClock };
      // As `stockroom serve` builds it: PostgreSQL changes arrive on a LISTEN connection.
      app = await buildApp(ctx, { events: { databaseUrl: database.url } });
      if (target.kind === 'postgres') await listenerPid(database.url);
    });
    after(async () => {
      await app?.close();
      await database?.drop();
    });

    const status = async (key: string) =>
      (await app.inject({ url: '/v1/keys', headers: { authorization: `Bearer ${key}` } }))
        .statusCode;

    it('does not remember an unknown key: created afterwards, it works at once', async () => {
      const secret = 'sr_test_key_cache_not_yet_created_0123456789';
      assert.equal(await status(secret), 401);
      await createKey(ctx, { name: 'late', role: 'admin' }, secret);
      assert.equal(await status(secret), 200);
    });

    it('refuses a cached key revoked through the API on the next request', async () => {
      const { key, apiKey } = await createKey(ctx, { name: 'cached', role: 'admin' });
      assert.equal(await status(key), 200);
      assert.equal(await status(key), 200);
      const admin = await createKey(ctx, { name: 'revoker', role: 'admin' });
      const revoked = await app.inject({
        method: 'POST',
        url: `/v1/keys/${apiKey.id}/revoke`,
        headers: { authorization: `Bearer ${admin.key}` },
      });
      assert.equal(revoked.statusCode, 200, revoked.body);
      assert.equal(await status(key), 401);
    });

    it('refuses a cached key revoked in the database directly: on SQLite at once, on PostgreSQL once the NOTIFY arrives', async () => {
      const { key, apiKey } = await createKey(ctx, { name: 'cached', role: 'admin' });
      assert.equal(await status(key), 200);
      await revokeKey(ctx.db, apiKey.id, new Date().toISOString());
      assert.equal(
        await refusedWithin(target.kind === 'sqlite' ? 0 : 5_000, () => status(key)),
        401,
      );
    });

    it('reads the database while its LISTEN connection is down (postgres)', {
      skip: target.kind !== 'postgres',
    }, async () => {
      const { key, apiKey } = await createKey(ctx, { name: 'while down', role: 'admin' });
      assert.equal(await status(key), 200);
      const pid = await listenerPid(database.url);
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      try {
        await admin.query('select pg_terminate_backend($1)', [pid]);
      } finally {
        await admin.end();
      }
      // Wait until the process has noticed, so the revocation's NOTIFY reaches no one.
      for (let i = 0; i < 200 && (await listenerPids(database.url)).includes(pid); i++) {
        await sleep(10);
      }
      await sleep(50);
      await revokeKey(ctx.db, apiKey.id, new Date().toISOString());
      assert.equal(await status(key), 401);
      // Back on LISTEN, the cache is used, and emptied, again.
      const newPid = await listenerPid(database.url);
      assert.notEqual(newPid, pid);
      const second = await createKey(ctx, { name: 'after reconnect', role: 'admin' });
      assert.equal(await status(second.key), 200);
      await revokeKey(ctx.db, second.apiKey.id, new Date().toISOString());
      // Revoked behind the app's back, as in the test above: refused once the NOTIFY arrives.
      assert.equal(await refusedWithin(5_000, () => status(second.key)), 401);
    });
  });
}

async function listenerPids(url: string): Promise<number[]> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ pid: number }>(
      // Listening, not merely connected: its last statement was the LISTEN and it is idle,
      // so a NOTIFY committed from now on reaches it.
      `select pid from pg_stat_activity
       where datname = current_database() and application_name = $1
         and state = 'idle' and query ilike 'listen%'`,
      [`stockroom-access ${process.pid}`],
    );
    return rows.map((r) => r.pid);
  } finally {
    await admin.end();
  }
}

/** The backend of this process's key-cache LISTEN connection, once it listens (hang guard). */
async function listenerPid(url: string): Promise<number> {
  for (let waited = 0; waited < 20_000; waited += 50) {
    const [pid] = await listenerPids(url);
    if (pid !== undefined) return pid;
    await sleep(50);
  }
  throw new Error('no LISTEN connection');
}
