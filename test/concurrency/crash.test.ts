import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { adjustStock } from '../../src/inventory/stock.service.js';
import type { AppContext } from '../../src/kernel/context.js';
import { systemClock } from '../../src/shared/clock.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld } from '../helpers/factories.js';
import { type Sent, startLoad } from './load.js';
import { assertAcknowledgedOrdersKept } from './outage-checks.js';
import { type ServerProcess, startServer } from './servers.js';

/**
 * Issue 10's crash test: a real `stockroom serve` placing orders for 8 clients (each with
 * an Idempotency-Key) is killed with SIGKILL mid-load, three times, and restarted on the
 * same database each time. Every order it acknowledged (201) must be there, the same
 * request with the same key must replay that order, and the ledger must audit clean.
 */
const ADMIN_KEY = 'sk_test_crash_load_admin_key_0123456789abc';
const CLIENTS = 8;
const KILLS = 3;
const SKUS = ['KET', 'POT', 'PAN'];

for (const target of testDatabases()) {
  describe(`kill -9 under order load (${target.kind})`, () => {
    let database: TestDatabase;
    let ctx: AppContext;
    const servers: ServerProcess[] = [];
    const env = {
      STOCKROOM_WATCH_INTERVAL_MS: '0',
      STOCKROOM_ALERT_INTERVAL_MINUTES: '0',
      STOCKROOM_DISPATCH_INTERVAL_MS: '0',
    };

    before(async () => {
      database = await target.open();
      ctx = { db: database.db, dbKind: database.kind, clock: systemClock };
      await insertWorld(ctx);
      for (const sku of SKUS) {
        await insertItem(ctx, { sku, name: `Item ${sku}` });
        await adjustStock(ctx, { sku, location: 'W1', delta: 100_000, reason: 'opening' }, 'test');
      }
    });
    after(async () => {
      for (const server of servers) await server.stop();
      await database?.drop();
    });

    it('keeps every acknowledged order across three kills, and retries replay them', async () => {
      const sent: Sent[] = [];
      for (let kill = 1; kill <= KILLS; kill++) {
        const server = await startServer(database.url, ADMIN_KEY, env);
        servers.push(server);
        const load = startLoad({
          server: () => server,
          adminKey: ADMIN_KEY,
          clients: CLIENTS,
          skus: SKUS,
          prefix: `crash${kill}`,
        });
        // Wait for orders to flow, then kill the process in the middle of them.
        for (let waited = 0; load.orders.filter((o) => o.status === 201).length < 20; ) {
          assert.ok(waited < 30_000, 'no orders were acknowledged');
          await sleep(50);
          waited += 50;
        }
        await sleep(300);
        const exited = new Promise((resolve) => server.child.once('exit', resolve));
        server.child.kill('SIGKILL');
        await exited;
        await load.stop();
        sent.push(...load.orders);
      }
      const acknowledged = sent.filter((s) => s.status === 201).length;
      const cut = sent.filter((s) => s.status === 0).length;
      process.stdout.write(
        `crash (${target.kind}): ${KILLS} kills, ${sent.length} orders sent, ` +
          `${acknowledged} acknowledged, ${cut} cut off by the kill\n`,
      );
      const unexpected = sent.filter((s) => s.status !== 0 && s.status !== 201);
      assert.deepEqual(unexpected.slice(0, 5), [], 'only 201s before the kill');

      const restarted = await startServer(database.url, ADMIN_KEY, env);
      servers.push(restarted);
      await assertAcknowledgedOrdersKept(ctx, restarted.url, ADMIN_KEY, sent);
    });
  });
}
