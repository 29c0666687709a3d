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

    describe('a new customer given with the order', () => {
      it('takes the preferred channel from the address given when it is left out', async () => {
        const cases = [
          [{ name: 'Ann', email: 'ann@example.test' }, 'email'],
          [{ name: 'Bob', phone: '+447700900123' }, 'sms'],
          [{ name: 'Cy', email: 'cy@example.test', phone: '+447700900124' }, 'email'],
          [{ name: 'Di' }, 'none'],
        ] as const;
        for (const [customer, preferred] of cases) {
          const order = await kit.placed({
            channel: 'web',
            customer,
            lines: [{ sku: 'KET', quantity: 1 }],
          });
          assert.equal(order.customer?.preferredChannel, preferred, customer.name);
          const row = await t.ctx.db
            .selectFrom('customers')
            .select('preferred_channel')
            .where('id', '=', order.customer!.id)
            .executeTakeFirstOrThrow();
          assert.equal(row.preferred_channel, preferred);
        }
      });

      it('refuses a preferred channel without its address, as POST /v1/customers does, touching nothing', async () => {
        const cases = [
          [{ name: 'Ann', email: 'ann@example.test', preferredChannel: 'sms' }, '/phone'],
          [{ name: 'Bob', phone: '+447700900123', preferredChannel: 'email' }, '/email'],
        ] as const;
        for (const [customer, path] of cases) {
          const before = await kit.snapshot();
          const response = await kit.place({
            channel: 'web',
            customer,
            lines: [{ sku: 'KET', quantity: 1 }],
          });
          const error = assertError(response, 400, 'VALIDATION_FAILED');
          assert.deepEqual(
            (error.details as { issues: { path: string }[] }).issues.map((i) => i.path),
            [path],
          );
          assert.deepEqual(await kit.snapshot(), before);
          assert.equal(await kit.count('customers'), 0);
        }
      });

      it('checks the phone number as POST /v1/customers does', async () => {
        for (const phone of ['call me', '555', '+44 7700 900123 456 789 0123']) {
          const response = await kit.place({
            channel: 'web',
            customer: { name: 'Ann', phone, preferredChannel: 'sms' },
            lines: [{ sku: 'KET', quantity: 1 }],
          });
          assertError(response, 400, 'VALIDATION_FAILED');
        }
        assert.equal(await kit.count('orders'), 0);
        assert.equal(await kit.count('customers'), 0);
      });
    });
  });
}
