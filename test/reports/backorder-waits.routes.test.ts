import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld } from '../helpers/factories.js';
import { orderKit } from '../helpers/orders.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

/**
 * Backorder waits and promise accuracy through the real order flow: three backorders
 * promised for 2026-11-06 (a purchase order due on the 5th plus a handling day), two
 * filled by a receipt and shipped on different days, one still waiting today (the 26th).
 */

for (const target of testDatabases()) {
  describe(`backorder waits report (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Kettle', category: 'kitchen', handlingDays: 1 });
      await insertItem(t.ctx, { sku: 'MUG', name: 'Mug', category: 'kitchen' });
    });
    afterEach(async () => {
      await t.close();
    });

    const { placed, fulfil } = orderKit(() => t);
    const at = (when: string) => t.clock.set(when);
    const order = (quantity: number) =>
      placed({ channel: 'web', lines: [{ sku: 'KET', quantity, acceptBackorder: true }] });

    it('waits to shipment or to now; on time against the first promised date', async () => {
      const supplier = await insertSupplier(t.ctx);
      const po = await insertPurchaseOrder(t.ctx, {
        supplier,
        location: 'W1',
        state: 'confirmed',
        lines: [{ sku: 'KET', ordered: 10, expectedDate: '2026-11-05' }],
      });
      at('2026-11-02T10:00:00.000Z');
      const first = await order(2);
      at('2026-11-03T10:00:00.000Z');
      const second = await order(3);
      at('2026-11-04T10:00:00.000Z');
      const third = await order(1);
      assert.deepEqual(
        [first, second, third].map((o) => [o.lines[0]!.backordered, o.lines[0]!.promise?.date]),
        [
          [2, '2026-11-06'],
          [3, '2026-11-06'],
          [1, '2026-11-06'],
        ],
      );
      at('2026-11-05T10:00:00.000Z');
      const receipt = await t.request({
        method: 'POST',
        url: `/v1/purchase-orders/${po.id}/receipts`,
        body: { receiptId: 'GRN-1', lines: [{ line: po.lineIds[0], quantity: 5 }] },
      });
      assert.equal(receipt.statusCode, 201, receipt.body);
      at('2026-11-06T10:00:00.000Z');
      const ship = (id: number, quantity: number, fulfilmentId: string) =>
        fulfil(id, { fulfilmentId, kind: 'shipment', lines: [{ line: 1, quantity }] });
      assert.equal((await ship(first.id, 2, 'SHIP-1')).statusCode, 201);
      at('2026-11-09T22:00:00.000Z');
      assert.equal((await ship(second.id, 3, 'SHIP-2')).statusCode, 201);
      // An order served from stock is no backorder.
      await t.request({
        method: 'POST',
        url: '/v1/stock/adjustments',
        body: { sku: 'MUG', location: 'W1', delta: 5, reason: 'found' },
      });
      await placed({ channel: 'web', lines: [{ sku: 'MUG', quantity: 1 }] });
      at('2026-11-26T10:00:00.000Z');

      const response = await t.request({
        method: 'GET',
        url: '/v1/reports/backorder-waits?from=2026-11-01',
        key: t.staffKey,
      });
      assert.equal(response.statusCode, 200, response.body);
      const body = json<{ rows: Record<string, unknown>[]; totals: Record<string, unknown> }>(
        response,
      );
      // Waits: 4 days (shipped on its promise), 6.5 days (shipped 3 days late), 22 days and
      // counting (20 days past its promise). Mean 32.5 / 3 = 10.8; median 6.5; p90 at rank
      // 1.8: 6.5 + 0.8 × 15.5 = 18.9. One of three on time; late by 3 and 20: 11.5 days.
      const figures = {
        lines: 3,
        waiting: 1,
        waitDaysMean: 10.8,
        waitDaysMedian: 6.5,
        waitDaysP90: 18.9,
        promisesMeasured: 3,
        onTimeRate: 0.3333,
        meanDaysLate: 11.5,
      };
      assert.deepEqual(body.rows, [
        { sku: 'KET', name: 'Kettle', category: 'kitchen', ...figures },
      ]);
      assert.deepEqual(body.totals, figures);

      // Only orders placed on the 3rd: the second one, 6.5 days, 3 days late.
      const later = await t.request({
        method: 'GET',
        url: '/v1/reports/backorder-waits?from=2026-11-03&to=2026-11-03&format=csv',
        key: t.staffKey,
      });
      assert.equal(
        later.body,
        'sku,name,category,lines,waiting,waitDaysMean,waitDaysMedian,waitDaysP90,promisesMeasured,onTimeRate,meanDaysLate\n' +
          'KET,Kettle,kitchen,1,0,6.5,6.5,6.5,1,0,3\n',
      );
    });
  });
}
