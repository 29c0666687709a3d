import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { bootstrapAdminKey } from '../../src/access/keys.service.js';
import { buildApp } from '../../src/app/build-app.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import type { AppContext } from '../../src/kernel/context.js';
import { systemClock } from '../../src/shared/clock.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { freePort } from '../helpers/ports.js';

/**
 * A database that cannot be reached (PostgreSQL: nobody listens on the port) or a SQLite
 * write lock that outlasts busy_timeout is an outage, not a bug: the answer is a 503 in
 * the error shape with a code saying which, and a Retry-After, never a 500.
 */
const ADMIN_KEY = 'sk_test_unreachable_admin_key_0123456789';

function assertOutage(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  code: string,
) {
  assert.equal(response.statusCode, 503, response.body);
  const body = JSON.parse(response.body) as {
    error: { code: string; message: string; details: object; requestId: string };
  };
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.deepEqual(body.error.details, {});
  assert.equal(typeof body.error.requestId, 'string');
  assert.match(String(response.headers['retry-after']), /^[1-9][0-9]*$/);
}

for (const target of testDatabases()) {
  if (target.kind === 'postgres') {
    describe('PostgreSQL that cannot be reached', () => {
      let database: Database;
      let app: FastifyInstance;
      before(async () => {
        const port = await freePort();
        database = openDatabase(`postgres://stockroom@127.0.0.1:${port}/stockroom`, {
          pgConnectTimeoutMs: 1_000,
        });
        const ctx: AppContext = { db: database.db, dbKind: database.kind, clock: systemClock };
        app = await buildApp(ctx);
      });
      after(async () => {
        await app.close();
        await database.close();
      });

      it('answers a route 503 DATABASE_UNAVAILABLE with Retry-After, not 500', async () => {
        const response = await app.inject({
          method: 'GET',
          url: '/v1/availability/KET',
          headers: { authorization: `Bearer ${ADMIN_KEY}` },
        });
        assertOutage(response, 'DATABASE_UNAVAILABLE');
      });

      it('reports not ready while liveness still answers', async () => {
        const ready = await app.inject({ method: 'GET', url: '/health/ready' });
        assert.equal(ready.statusCode, 503);
        assert.equal(JSON.parse(ready.body).status, 'unavailable');
        const live = await app.inject({ method: 'GET', url: '/health' });
        assert.equal(live.statusCode, 200);
      });
    });
  } else {
    describe('SQLite write lock held past busy_timeout', () => {
      let seeded: TestDatabase;
      let database: Database;
      let app: FastifyInstance;
      let holder: SqliteDatabase.Database;
      before(async () => {
        seeded = await target.open();
        const seedCtx: AppContext = { db: seeded.db, dbKind: seeded.kind, clock: systemClock };
        await insertWorld(seedCtx);
        await insertItem(seedCtx, { sku: 'KET', name: 'Copper kettle' });
        await putStock(seedCtx, 'KET', 'W1', 10);
        await bootstrapAdminKey(seedCtx, ADMIN_KEY);
        database = openDatabase(seeded.url, { sqliteBusyTimeoutMs: 100 });
        const ctx: AppContext = { db: database.db, dbKind: database.kind, clock: systemClock };
        app = await buildApp(ctx);
        // Another process (here: another connection) holds the write lock.
        holder = new SqliteDatabase(seeded.url.slice('file:'.length));
        holder.exec('begin immediate');
      });
      after(async () => {
        if (holder.inTransaction) holder.exec('rollback');
        holder.close();
        await app.close();
        await database.close();
        await seeded.drop();
      });

      it('answers a write 503 DATABASE_BUSY with Retry-After and changes nothing', async () => {
        const before = await seeded.db.selectFrom('stock').selectAll().execute();
        const response = await app.inject({
          method: 'POST',
          url: '/v1/stock/adjustments',
          headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
          payload: { sku: 'KET', location: 'W1', delta: -1, reason: 'damaged in the test' },
        });
        assertOutage(response, 'DATABASE_BUSY');
        holder.exec('rollback');
        assert.deepEqual(await seeded.db.selectFrom('stock').selectAll().execute(), before);
        // The lock is gone: the same request now goes through.
        const retried = await app.inject({
          method: 'POST',
          url: '/v1/stock/adjustments',
          headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
          payload: { sku: 'KET', location: 'W1', delta: -1, reason: 'damaged in the test' },
        });
        assert.ok(retried.statusCode < 300, retried.body);
      });
    });
  }
}
