import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';

/**
 * One Idempotency-Key, one answer: a client whose connection drops sends the same order
 * again at once, and both copies are in flight together. Whichever commits first places
 * the order; the other must answer with that order (a replay), not refuse it because the
 * first copy took the last units. Found by test/concurrency/orders-concurrency.test.ts.
 */
for (const target of testDatabases()) {
  describe(`the same Idempotency-Key sent twice at once on ${target.kind}`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
    });
    afterEach(() => t.close());

    it('places one order and answers both copies with it', async () => {
      await insertItem(t.ctx, { sku: 'LAST' });
      await putStock(t.ctx, 'LAST', 'W1', 1);
      const body = { channel: 'web', lines: [{ sku: 'LAST', quantity: 1 }] };
      const send = () =>
        t.request({
          method: 'POST',
          url: '/v1/orders',
          body,
          headers: { 'idempotency-key': 'twice-at-once' },
        });
      const [a, b] = await Promise.all([send(), send()]);
      assert.equal(a.statusCode, 201, a.body);
      assert.equal(b.statusCode, 201, b.body);
      assert.equal(json<{ id: number }>(a).id, json<{ id: number }>(b).id);
      const lost = await t.ctx.db.selectFrom('lost_demand').selectAll().execute();
      assert.deepEqual(lost, [], 'an order that was placed is no lost demand');
    });

    it('refuses both copies and records the lost demand once', async () => {
      await insertItem(t.ctx, { sku: 'NONE' });
      const body = { channel: 'web', lines: [{ sku: 'NONE', quantity: 2 }] };
      const send = () =>
        t.request({
          method: 'POST',
          url: '/v1/orders',
          body,
          headers: { 'idempotency-key': 'refused-twice' },
        });
      const [a, b] = await Promise.all([send(), send()]);
      assert.equal(a.statusCode, 409, a.body);
      assert.equal(b.statusCode, 409, b.body);
      const lost = await t.ctx.db.selectFrom('lost_demand').select('quantity').execute();
      assert.deepEqual(lost, [{ quantity: 2 }], 'one attempt, one lost-demand row');
    });
  });
}
