import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { assertError, orderKit } from '../helpers/orders.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

/**
 * A sale at a store's counter (`location` on quote and order): stock is taken from that
 * location alone, a shortfall is promised from the channel's supply, and a location the
 * channel does not sell from is refused before anything is read or reserved.
 */

interface QuoteDoc {
  purchasable: boolean;
  lines: {
    outcome: string;
    available: number;
    fromStock: { location: string; quantity: number }[];
    backorder: { quantity: number; date: string } | null;
    reason: string;
  }[];
}

for (const target of testDatabases()) {
  describe(`order routes: a sale at one location's counter (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      // web sells from W1 then S1.
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Kettle' });
    });
    afterEach(async () => {
      await t.close();
    });

    const { placed, place, stockOf } = orderKit(() => t);
    const quote = async (body: unknown) => {
      const response = await t.request({ method: 'POST', url: '/v1/orders/quote', body });
      assert.equal(response.statusCode, 200, response.body);
      return json<QuoteDoc>(response);
    };

    it('quotes and reserves from the named location only, not the channel first one', async () => {
      await putStock(t.ctx, 'KET', 'W1', 10);
      await putStock(t.ctx, 'KET', 'S1', 3);
      const body = { channel: 'web', location: 'S1', lines: [{ sku: 'KET', quantity: 2 }] };
      const q = await quote(body);
      assert.equal(q.lines[0]!.outcome, 'in_stock');
      assert.equal(q.lines[0]!.available, 3);
      assert.deepEqual(q.lines[0]!.fromStock, [{ location: 'S1', quantity: 2 }]);
      const order = await placed(body);
      assert.deepEqual(order.lines[0]!.allocations, [{ location: 'S1', quantity: 2 }]);
      assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 3, reserved: 2, available: 1 });
      assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 10, reserved: 0, available: 10 });
    });

    it("other locations' stock does not count: short here is refused without a backorder", async () => {
      await putStock(t.ctx, 'KET', 'W1', 10);
      await putStock(t.ctx, 'KET', 'S1', 1);
      const body = { channel: 'web', location: 'S1', lines: [{ sku: 'KET', quantity: 2 }] };
      const q = await quote(body);
      assert.equal(q.purchasable, false);
      assert.equal(q.lines[0]!.available, 1);
      assert.match(q.lines[0]!.reason, /^Only 1 available for 2 requested/);
      const refused = await place(body);
      assertError(refused, 409, 'ORDER_REFUSED');
      assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 1, reserved: 0, available: 1 });
      assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 10, reserved: 0, available: 10 });
    });

    it("a shortfall at the counter is backordered from the channel's supply", async () => {
      await putStock(t.ctx, 'KET', 'S1', 1);
      const supplier = await insertSupplier(t.ctx);
      await insertPurchaseOrder(t.ctx, {
        supplier,
        location: 'W1',
        state: 'confirmed',
        lines: [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-05' }],
      });
      const lines = [{ sku: 'KET', quantity: 3, acceptBackorder: true }];
      const q = await quote({ channel: 'web', location: 'S1', lines });
      assert.equal(q.lines[0]!.outcome, 'backorder');
      assert.deepEqual(q.lines[0]!.fromStock, [{ location: 'S1', quantity: 1 }]);
      assert.equal(q.lines[0]!.backorder?.quantity, 2);
      const order = await placed({ channel: 'web', location: 'S1', lines });
      assert.equal(order.lines[0]!.allocated, 1);
      assert.equal(order.lines[0]!.backordered, 2);
      assert.equal(order.lines[0]!.promise?.date, q.lines[0]!.backorder?.date);
    });

    it('a location the channel does not sell from is a 400 naming the ones it does', async () => {
      await putStock(t.ctx, 'KET', 'W1', 10);
      for (const url of ['/v1/orders/quote', '/v1/orders']) {
        const response = await t.request({
          method: 'POST',
          url,
          body: { channel: 'pos', location: 'W1', lines: [{ sku: 'KET', quantity: 1 }] },
          headers: { 'idempotency-key': `counter-${url}` },
        });
        const error = assertError(response, 400, 'LOCATION_NOT_ON_CHANNEL');
        assert.equal(error.message, 'Channel pos does not sell from location W1; it sells from S1');
        assert.deepEqual(error.details, { channel: 'pos', location: 'W1', locations: ['S1'] });
      }
      assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 10, reserved: 0, available: 10 });
    });
  });
}
