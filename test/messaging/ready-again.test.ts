import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld } from '../helpers/factories.js';
import { outbox } from '../helpers/messaging.js';
import { orderKit } from '../helpers/orders.js';

/**
 * "Ready" is said once per time a line becomes ready: a line filled, then found short
 * (its units counted missing, the reservation released) and filled again is told twice,
 * and replaying any of those causes adds nothing.
 */
for (const target of testDatabases()) {
  describe(`a line ready twice (${target.kind})`, () => {
    let t: TestApp;
    const kit = orderKit(() => t);
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Copper kettle' });
    });
    afterEach(async () => {
      await t.close();
    });

    const readyMessages = async () =>
      (await outbox(t.ctx.db))
        .filter((r) => r.template === 'ready')
        .map((r) => ({ recipient: r.recipient, key: r.dedupe_key }));

    async function adjust(body: object) {
      const response = await t.request({ method: 'POST', url: '/v1/stock/adjustments', body });
      assert.equal(response.statusCode, 201, response.body);
    }

    it('tells the customer each time the line becomes ready, once each', async () => {
      const po = await kit.supplierPo('W1', [
        { sku: 'KET', ordered: 1, expectedDate: '2026-12-05' },
      ]);
      const order = await kit.placed({
        channel: 'web',
        customer: { name: 'Ann', email: 'ann@example.test' },
        lines: [{ sku: 'KET', quantity: 1, acceptBackorder: true }],
      });
      const receipt = await t.request({
        method: 'POST',
        url: `/v1/purchase-orders/${po.id}/receipts`,
        body: { receiptId: 'GRN-1', lines: [{ line: po.lineIds[0], quantity: 1 }] },
      });
      assert.equal(receipt.statusCode, 201, receipt.body);
      assert.equal((await kit.getOrder(order.id)).lines[0]!.state, 'ready');
      assert.equal((await readyMessages()).length, 1);

      // Dropped in the warehouse: the reservation goes, the line waits again.
      await adjust({
        sku: 'KET',
        location: 'W1',
        delta: -1,
        type: 'damage',
        reason: 'dropped',
        releaseReservations: true,
      });
      assert.notEqual((await kit.getOrder(order.id)).lines[0]!.state, 'ready');
      assert.equal((await readyMessages()).length, 1, 'losing units sends no second "ready"');

      // A return fills it again: a second, distinct "ready".
      await adjust({ sku: 'KET', location: 'W1', delta: 1, type: 'return', reason: 'returned' });
      assert.equal((await kit.getOrder(order.id)).lines[0]!.state, 'ready');
      const ready = await readyMessages();
      assert.deepEqual(
        ready.map((m) => m.recipient),
        ['ann@example.test', 'ann@example.test'],
      );
      assert.equal(new Set(ready.map((m) => m.key)).size, 2);
      const { id: lineId } = await t.ctx.db
        .selectFrom('order_lines')
        .select('id')
        .where('order_id', '=', order.id)
        .executeTakeFirstOrThrow();
      for (const m of ready) {
        assert.match(m.key, new RegExp(`^order_line:${lineId}:ready:\\d+:email$`));
      }

      // Replaying the receipt is not a new cause.
      const replay = await t.request({
        method: 'POST',
        url: `/v1/purchase-orders/${po.id}/receipts`,
        body: { receiptId: 'GRN-1', lines: [{ line: po.lineIds[0], quantity: 1 }] },
      });
      assert.ok([200, 201].includes(replay.statusCode), replay.body);
      assert.equal((await readyMessages()).length, 2);
    });
  });
}
