import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { adjustStock } from '../../src/inventory/stock.service.js';
import type { AppContext } from '../../src/kernel/context.js';
import { systemClock } from '../../src/shared/clock.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';
import { openEventStream } from '../helpers/event-stream.js';
import { insertItem, insertWorld } from '../helpers/factories.js';
import { orderBody, placeOrder, startLoad } from './load.js';
import { assertAcknowledgedOrdersKept } from './outage-checks.js';
import { type ServerProcess, startServer } from './servers.js';

/**
 * Issue 10, defect 1: PostgreSQL drops every connection of a running `stockroom serve`
 * (pg_terminate_backend, as an administrator, a failover or a restart would) five times
 * while 16 clients place orders and read availability. The process must live through it,
 * answer each request with what the API promises or a 503 DATABASE_UNAVAILABLE (never
 * another 5xx, never a reset socket), serve normally afterwards, and lose nothing it
 * acknowledged. A live-event stream open through it all must receive every acknowledged
 * order's `order.placed` once: its LISTEN connection is terminated too, reconnects, and the
 * hub catches up from the last event id it sent.
 *
 * Only the server's own connections are terminated (picked by application_name), not
 * every backend of the database: other test files share the run database.
 */
const ADMIN_KEY = 'sk_test_connection_loss_admin_key_0123456789';
const CLIENTS = 16;
const TERMINATIONS = 5;
const SKUS = ['KET', 'POT', 'PAN', 'MUG'];
const APP_NAME = 'stockroom-connection-loss';

for (const target of testDatabases()) {
  describe(`connection loss under load (${target.kind})`, {
    skip:
      target.kind === 'sqlite'
        ? 'SQLite is a file in the process: there is no connection to lose'
        : false,
  }, () => {
    let database: TestDatabase;
    let server: ServerProcess;
    let ctx: AppContext;

    before(async () => {
      database = await target.open();
      ctx = { db: database.db, dbKind: database.kind, clock: systemClock };
      await insertWorld(ctx);
      for (const sku of SKUS) {
        await insertItem(ctx, { sku, name: `Item ${sku}` });
        await adjustStock(
          ctx,
          { sku, location: 'W1', delta: 100_000, reason: 'opening stock' },
          'test',
        );
      }
      const url = new URL(database.url);
      url.searchParams.set('application_name', APP_NAME);
      server = await startServer(url.toString(), ADMIN_KEY, {
        STOCKROOM_WATCH_INTERVAL_MS: '200',
        STOCKROOM_DISPATCH_INTERVAL_MS: '200',
        STOCKROOM_PG_CONNECT_TIMEOUT_MS: '2000',
      });
    });
    after(async () => {
      await server?.stop();
      await database?.drop();
    });

    it('lives through five terminations of all its connections and loses nothing', async () => {
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      const listenerName = `stockroom-events ${server.child.pid}`;
      // The LISTEN connection: its last statement was the LISTEN. (The application_name in
      // the URL wins over the one the listener sets, so it may carry either.)
      const listening = async () =>
        ((
          await admin.query(
            `select 1 from pg_stat_activity
              where datname = current_database() and application_name in ($1, $2)
                and query ilike 'listen %'`,
            [APP_NAME, listenerName],
          )
        ).rowCount ?? 0) >= 1;
      const stream = await openEventStream(server.url, '/v1/events?types=order.placed', {
        key: ADMIN_KEY,
      });
      assert.equal(stream.status, 200, stream.body);
      for (let waited = 0; !(await listening()); waited += 100) {
        assert.ok(waited < 20_000, 'the stream never opened its LISTEN connection');
        await sleep(100);
      }
      const load = startLoad({
        server: () => server,
        adminKey: ADMIN_KEY,
        clients: CLIENTS,
        skus: SKUS,
        prefix: 'loss',
      });
      let terminated = 0;
      try {
        for (let round = 0; round < TERMINATIONS; round++) {
          await sleep(1_000);
          const result = await admin.query<{ n: number }>(
            `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
                where datname = current_database() and pid <> pg_backend_pid()
                  and (application_name = $1 or application_name = $2)`,
            [APP_NAME, listenerName],
          );
          terminated += result.rows[0]!.n;
        }
        await sleep(1_000);
      } finally {
        await load.stop();
      }

      assert.equal(server.child.exitCode, null, `the server exited:\n${server.stderr()}`);
      assert.equal(server.child.signalCode, null, `the server died:\n${server.stderr()}`);
      assert.ok(terminated > 0, 'the terminations found the server’s connections');

      const all = [...load.orders, ...load.reads];
      const unavailable = all.filter((r) => r.status === 503);
      const unexpected = all.filter(
        (r) =>
          r.status === 0 ||
          (r.status >= 500 && !(r.status === 503 && r.code === 'DATABASE_UNAVAILABLE')) ||
          (r.status >= 400 && r.shapeOk !== true),
      );
      process.stdout.write(
        `connection loss: ${load.orders.length} orders and ${load.reads.length} reads sent, ` +
          `${terminated} backends terminated, ${unavailable.length} answered 503, ` +
          `${load.orders.filter((o) => o.status === 201).length} orders acknowledged\n`,
      );
      assert.deepEqual(
        unexpected.slice(0, 5),
        [],
        `${unexpected.length} answers were neither promised nor 503 DATABASE_UNAVAILABLE`,
      );
      for (const sent of load.orders.filter((o) => o.status === 503)) {
        assert.match(String(sent.retryAfter), /^[1-9][0-9]*$/, 'a 503 says when to retry');
      }

      // It serves normally again.
      const ready = await fetch(`${server.url}/health/ready`);
      assert.equal(ready.status, 200);
      const fresh = await placeOrder(server.url, ADMIN_KEY, 'loss-after', orderBody('KET', -1));
      assert.equal(fresh.status, 201, await fresh.text());

      await assertAcknowledgedOrdersKept(ctx, server.url, ADMIN_KEY, load.orders);

      // The live stream lost nothing and repeated nothing, and LISTEN is back.
      const subjects = load.orders.filter((o) => o.status === 201).map((o) => `order:${o.orderId}`);
      try {
        await stream.waitFor(
          () => {
            const seen = new Set(stream.events.map((e) => e.data.subject));
            return subjects.every((s) => seen.has(s));
          },
          'every acknowledged order on the stream',
          20_000,
        );
        const streamed = stream.events.map((e) => e.data.subject);
        assert.equal(new Set(streamed).size, streamed.length, 'no event came twice');
        for (let waited = 0; !(await listening()); waited += 100) {
          assert.ok(waited < 40_000, 'the LISTEN connection did not come back');
          await sleep(100);
        }
      } finally {
        stream.close();
        await admin.end();
      }
    });
  });
}
