import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { AppContext } from '../../src/kernel/context.js';
import { systemClock } from '../../src/shared/clock.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { type HttpReceiver, startHttpReceiver } from '../helpers/receivers.js';
import { type ServerProcess, startServer } from './servers.js';

/**
 * STOCKROOM_WEBHOOK_ALLOW_PRIVATE as an operator sets it, on a real `stockroom serve`:
 * unset, a webhook on 127.0.0.1 is refused; set, the server's own dispatcher delivers to
 * it and the delivery verifies with the standardwebhooks library.
 */
const ADMIN_KEY = 'sk_test_webhook_serve_admin_key_0123456789';

for (const target of testDatabases()) {
  describe(`webhooks from a running server (${target.kind})`, () => {
    let database: TestDatabase;
    let receiver: HttpReceiver;
    const servers: ServerProcess[] = [];

    before(async () => {
      database = await target.open();
      receiver = await startHttpReceiver();
      const ctx: AppContext = { db: database.db, dbKind: database.kind, clock: systemClock };
      await insertWorld(ctx);
      await insertItem(ctx, { sku: 'KET', name: 'Copper kettle' });
      await putStock(ctx, 'KET', 'W1', 10);
    });
    after(async () => {
      for (const server of servers) await server.stop();
      await receiver.close();
      await database.drop();
    });

    const env = (extra: Record<string, string> = {}) => ({
      STOCKROOM_DISPATCH_INTERVAL_MS: '50',
      STOCKROOM_WATCH_INTERVAL_MS: '0',
      STOCKROOM_ALERT_INTERVAL_MINUTES: '0',
      STOCKROOM_REPROMISE_INTERVAL_MINUTES: '0',
      ...extra,
    });

    const call = (server: ServerProcess, path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ADMIN_KEY}`,
          'content-type': 'application/json',
          'idempotency-key': `webhook-serve-${path}-${Date.now()}`,
        },
        body: JSON.stringify(body),
      });

    it('refuses a 127.0.0.1 webhook by default, and delivers to it when the operator allows', async () => {
      const strict = await startServer(database.url, ADMIN_KEY, env());
      servers.push(strict);
      const refused = await call(strict, '/v1/webhooks', {
        url: `${receiver.url}/hooks`,
        events: ['order.placed'],
      });
      const refusal = (await refused.json()) as { error: { code: string } };
      assert.equal(refused.status, 400, JSON.stringify(refusal));
      assert.equal(refusal.error.code, 'WEBHOOK_TARGET_FORBIDDEN');
      await strict.stop();

      const allowing = await startServer(
        database.url,
        ADMIN_KEY,
        env({ STOCKROOM_WEBHOOK_ALLOW_PRIVATE: 'true' }),
      );
      servers.push(allowing);
      const registered = await call(allowing, '/v1/webhooks', {
        url: `${receiver.url}/hooks`,
        events: ['order.placed'],
      });
      const hook = (await registered.json()) as { secret: string };
      assert.equal(registered.status, 201, JSON.stringify(hook));
      const order = await call(allowing, '/v1/orders', {
        channel: 'web',
        customer: { name: 'Ann', email: 'ann@example.test' },
        lines: [{ sku: 'KET', quantity: 1 }],
      });
      assert.equal(order.status, 201, await order.text());

      const [delivery] = await receiver.waitFor(1);
      const event = new Webhook(hook.secret).verify(
        delivery!.body,
        delivery!.headers as Record<string, string>,
      ) as { type: string };
      assert.equal(event.type, 'order.placed');
    });
  });
}
