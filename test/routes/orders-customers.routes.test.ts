import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { outbox } from '../helpers/messaging.js';
import { assertError, orderKit } from '../helpers/orders.js';

/** Orders for customers created on their own (POST /v1/customers), by customerId. */
for (const target of testDatabases()) {
  describe(`orders for existing customers (${target.kind})`, () => {
    let t: TestApp;
    const kit = orderKit(() => t);
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Copper kettle' });
      await putStock(t.ctx, 'KET', 'W1', 5);
    });
    afterEach(async () => {
      await t.close();
    });

    async function customer() {
      const response = await t.request({
        method: 'POST',
        url: '/v1/customers',
        body: { name: 'Ann', email: 'ann@example.test', preferredChannel: 'email' },
        key: t.staffKey,
      });
      assert.equal(response.statusCode, 201, response.body);
      return json<{ id: number }>(response);
    }

    it('links the order to the customer, whose messages then list it', async () => {
      const ann = await customer();
      await kit.supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-05' }]);
      const order = await kit.placed({
        channel: 'web',
        customerId: ann.id,
        lines: [{ sku: 'KET', quantity: 7, acceptBackorder: true }],
      });
      assert.deepEqual(order.customer, {
        id: ann.id,
        name: 'Ann',
        email: 'ann@example.test',
        phone: null,
        preferredChannel: 'email',
      });
      assert.equal((await kit.getOrder(order.id)).customer?.id, ann.id);
      assert.equal(await kit.count('customers'), 1, 'no second customer');
      const messages = json<{ items: { template: string; orderId: number }[] }>(
        await t.request({
          method: 'GET',
          url: `/v1/customers/${ann.id}/messages`,
          key: t.staffKey,
        }),
      );
      // 5 from stock and 2 waiting for the purchase order: she is told their date.
      assert.deepEqual(
        messages.items.map((m) => [m.template, m.orderId]),
        [['backorder_confirmed', order.id]],
      );
      const [row] = await outbox(t.ctx.db);
      assert.equal(row!.recipient, 'ann@example.test');
    });

    it('refuses an unknown customerId with 404 before touching stock', async () => {
      const before = await kit.snapshot();
      const response = await kit.place({
        channel: 'web',
        customerId: 999,
        lines: [{ sku: 'KET', quantity: 1 }],
      });
      assertError(response, 404, 'CUSTOMER_NOT_FOUND');
      assert.deepEqual(await kit.snapshot(), before);
    });

    it('refuses customer and customerId together with 400 CUSTOMER_TWICE', async () => {
      const ann = await customer();
      const before = await kit.snapshot();
      const response = await kit.place({
        channel: 'web',
        customerId: ann.id,
        customer: { name: 'Bob', email: 'bob@example.test' },
        lines: [{ sku: 'KET', quantity: 1 }],
      });
      assertError(response, 400, 'CUSTOMER_TWICE');
      assert.deepEqual(await kit.snapshot(), before);
    });

    it('refuses a customerId that is not a positive whole number', async () => {
      for (const customerId of [0, -1, 1.5, '1']) {
        const response = await kit.place({
          channel: 'web',
          customerId,
          lines: [{ sku: 'KET', quantity: 1 }],
        });
        assertError(response, 400, 'VALIDATION_FAILED');
      }
      assert.equal(await kit.count('orders'), 0);
    });
  });
}
