import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

interface OrderDoc {
  id: number;
  state: string;
  lines: {
    line: number;
    state: string;
    allocated: number;
    backordered: number;
    fulfilled: number;
    cancelled: number;
    unpromised: number;
    allocations: { location: string; quantity: number }[];
    promise: {
      date: string;
      confidence: string;
      restsOn: { kind: string; quantity: number }[];
    } | null;
  }[];
}

for (const target of testDatabases()) {
  describe(`order flow on ${target.kind}`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
    });
    afterEach(() => t.close());

    const place = (body: unknown, key = `k-${Math.random()}`) =>
      t.request({ method: 'POST', url: '/v1/orders', body, headers: { 'idempotency-key': key } });

    it('sells from stock, backorders against a PO, fills the queue on receipt', async () => {
      await insertItem(t.ctx, { sku: 'KET', handlingDays: 1 });
      await putStock(t.ctx, 'KET', 'W1', 2);
      await putStock(t.ctx, 'KET', 'S1', 1);
      const supplier = await insertSupplier(t.ctx);
      const po = await insertPurchaseOrder(t.ctx, {
        supplier,
        location: 'W1',
        state: 'sent',
        lines: [{ sku: 'KET', ordered: 4, expectedDate: '2026-12-05' }],
      });
      const first = await place({
        channel: 'web',
        lines: [{ sku: 'KET', quantity: 5, acceptBackorder: true }],
      });
      assert.equal(first.statusCode, 201, first.body);
      const order = json<OrderDoc>(first);
      assert.equal(order.lines[0]!.allocated, 3);
      assert.equal(order.lines[0]!.backordered, 2);
      assert.equal(order.lines[0]!.promise!.date, '2026-12-06');
      assert.equal(order.state, 'waiting');

      const second = await place({
        channel: 'web',
        lines: [{ sku: 'KET', quantity: 3, acceptBackorder: true }],
      });
      assert.equal(second.statusCode, 409, second.body);
      const refused = json<{ error: { code: string; details: { lines: unknown[] } } }>(second);
      assert.equal(refused.error.code, 'ORDER_REFUSED');

      const third = await place({
        channel: 'web',
        lines: [{ sku: 'KET', quantity: 2, acceptBackorder: true }],
      });
      assert.equal(third.statusCode, 201, third.body);

      const receipt = await t.request({
        method: 'POST',
        url: `/v1/purchase-orders/${po.id}/receipts`,
        body: { receiptId: 'r1', lines: [{ line: po.lineIds[0], quantity: 3 }] },
        key: t.staffKey,
      });
      assert.equal(receipt.statusCode, 201, receipt.body);
      const after1 = json<OrderDoc>(
        await t.request({ method: 'GET', url: `/v1/orders/${order.id}` }),
      );
      assert.equal(after1.lines[0]!.allocated, 5);
      assert.equal(after1.lines[0]!.state, 'ready');
      const after3 = json<OrderDoc>(
        await t.request({ method: 'GET', url: `/v1/orders/${json<OrderDoc>(third).id}` }),
      );
      assert.equal(after3.lines[0]!.allocated, 1);
      assert.equal(after3.lines[0]!.backordered, 1);

      const cancel = await t.request({
        method: 'POST',
        url: `/v1/orders/${order.id}/cancel`,
        body: {},
      });
      assert.equal(cancel.statusCode, 200, cancel.body);
      assert.equal(json<OrderDoc>(cancel).state, 'cancelled');

      const fulfil = await t.request({
        method: 'POST',
        url: `/v1/orders/${after3.id}/fulfilments`,
        body: { fulfilmentId: 'f1', kind: 'shipment', lines: [{ line: 1, quantity: 1 }] },
        key: t.staffKey,
      });
      assert.equal(fulfil.statusCode, 201, fulfil.body);
      const audit = await t.ctx.db
        .selectFrom('stock')
        .select(['location_id', 'on_hand', 'reserved'])
        .orderBy('location_id')
        .execute();
      assert.deepEqual(
        audit.map((r) => [r.on_hand, r.reserved]),
        [
          [4, 1],
          [1, 0],
        ],
      );
    });
  });
}
