import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../../src/kernel/context.js';
import { systemClock } from '../../src/shared/clock.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld } from '../helpers/factories.js';
import { outbox } from '../helpers/messaging.js';
import { type SmtpSink, startSmtpSink } from '../helpers/receivers.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';
import { type ServerProcess, startServer } from './servers.js';

/**
 * Exactly once across a crash: a real server process commits orders whose confirmations
 * sit in the outbox, is killed with SIGKILL while the mail server holds its deliveries
 * unanswered, and a second process started on the same database delivers every message
 * once. The dedupe keys the mails carry (X-Stockroom-Dedupe-Key) prove it.
 */
const ADMIN_KEY = 'sk_test_crash_admin_key_0123456789abcdef';
const ORDERS = 12;

for (const target of testDatabases()) {
  describe(`outbox across a crash (${target.kind})`, () => {
    let database: TestDatabase;
    let smtp: SmtpSink;
    const servers: ServerProcess[] = [];

    before(async () => {
      database = await target.open();
      smtp = await startSmtpSink();
      const ctx: AppContext = { db: database.db, dbKind: database.kind, clock: systemClock };
      await insertWorld(ctx);
      await insertItem(ctx, { sku: 'KET', name: 'Copper kettle', handlingDays: 1 });
      const supplier = await insertSupplier(ctx, 'ACME');
      await insertPurchaseOrder(ctx, {
        supplier,
        location: 'W1',
        state: 'sent',
        lines: [{ sku: 'KET', ordered: 100, expectedDate: '2099-12-05' }],
      });
    });
    after(async () => {
      for (const server of servers) await server.stop();
      await smtp.close();
      await database.drop();
    });

    const env = () => ({
      STOCKROOM_SMTP_URL: smtp.url,
      STOCKROOM_DISPATCH_INTERVAL_MS: '50',
      STOCKROOM_DISPATCH_BATCH: '4',
      STOCKROOM_DISPATCH_CONCURRENCY: '2',
      // A claimed message comes back to the pool this soon after its dispatcher died.
      STOCKROOM_DISPATCH_LEASE_SECONDS: '2',
      STOCKROOM_WATCH_INTERVAL_MS: '0',
      STOCKROOM_ALERT_INTERVAL_MINUTES: '0',
    });

    it('every message committed before the kill is delivered once after the restart', async () => {
      smtp.mode = 'hold';
      const first = await startServer(database.url, ADMIN_KEY, env());
      servers.push(first);
      for (let i = 1; i <= ORDERS; i++) {
        const response = await fetch(`${first.url}/v1/orders`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${ADMIN_KEY}`,
            'content-type': 'application/json',
            'idempotency-key': `crash-${i}`,
          },
          body: JSON.stringify({
            channel: 'web',
            customer: { name: `Customer ${i}`, email: `c${i}@example.test` },
            lines: [{ sku: 'KET', quantity: 1, acceptBackorder: true }],
          }),
        });
        assert.equal(response.status, 201, await response.text());
      }
      // The first process is mid-send: the mail server has its DATA and has not answered.
      for (let waited = 0; smtp.held() === 0; waited += 50) {
        assert.ok(waited < 20_000, 'the dispatcher never reached the mail server');
        await sleep(50);
      }
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));

      const beforeRestart = await outbox(database.db);
      assert.equal(beforeRestart.length, ORDERS, 'one confirmation per order, committed with it');
      assert.ok(beforeRestart.every((m) => m.state === 'pending'));
      assert.ok(
        beforeRestart.some((m) => m.locked_by !== null),
        'some were claimed by the killed process',
      );
      assert.equal(smtp.received.length, 0, 'nothing was accepted before the kill');

      smtp.mode = 'accept';
      const second = await startServer(database.url, ADMIN_KEY, env());
      servers.push(second);
      await smtp.waitFor(ORDERS, 30_000);
      // Give a duplicate every chance to show up before counting.
      await sleep(3_000);

      const keys = smtp.received.map((m) => m.dedupeKey);
      assert.equal(smtp.received.length, ORDERS);
      assert.equal(new Set(keys).size, ORDERS, 'no dedupe key arrived twice');
      const rows = await outbox(database.db);
      assert.deepEqual(new Set(keys), new Set(rows.map((r) => r.dedupe_key)));
      assert.ok(rows.every((r) => r.state === 'sent'));
      assert.deepEqual(
        smtp.received.map((m) => m.to[0]).sort(),
        Array.from({ length: ORDERS }, (_, i) => `c${i + 1}@example.test`).sort(),
      );
      const attempts = await database.db
        .selectFrom('message_attempts')
        .selectAll()
        .where('outcome', '=', 'delivered')
        .execute();
      assert.equal(attempts.length, ORDERS, 'one delivered attempt per message');
    });
  });
}
