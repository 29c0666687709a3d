import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as replenishment from '../../src/replenishment/replenishment.schemas.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { orderKit } from '../helpers/orders.js';
import type { Body, Page } from '../helpers/responses.js';
import { insertReplenishmentWorld } from './world.js';

type ReorderPoint = Body<typeof replenishment.ReorderPointList>['items'][number];
type Suggestion = Body<typeof replenishment.Suggestion>;

/** The stock picture of reorder points, without the forecast figures. */
const picture = (p: ReorderPoint) => ({
  reserved: p.reserved,
  incoming: p.incoming,
  backordered: p.backordered,
  inventoryPosition: p.inventoryPosition,
  projectedStockoutDate: p.projectedStockoutDate,
  nextReceiptDate: p.nextReceiptDate,
});

for (const target of testDatabases()) {
  describe(`backorders and incoming supply in reorder points (${target.kind})`, () => {
    let t: TestApp;
    const kit = orderKit(() => t);
    before(async () => {
      t = await startTestApp(target);
      await insertReplenishmentWorld(t.ctx, '2026-11-26');
    });
    after(async () => {
      await t.close();
    });

    const point = async (sku: string) => {
      const response = await t.request({
        method: 'GET',
        url: `/v1/replenishment/reorder-points?sku=${sku}&location=W1`,
      });
      assert.equal(response.statusCode, 200, response.body);
      const [only] = json<{ items: ReorderPoint[] }>(response).items;
      return only!;
    };

    it('counts backorders pegged to the lead time, to a purchase order, and unpromised', async () => {
      // KET-01: 10 on hand; 12 ordered → 10 reserved, 2 promised on the lead time at W1.
      const patched = await t.request({
        method: 'PATCH',
        url: '/v1/items/KET-01',
        body: { backorderPolicy: 'lead_time', backorderCap: 2 },
      });
      assert.equal(patched.statusCode, 200, patched.body);
      await kit.placed({
        channel: 'web',
        lines: [{ sku: 'KET-01', quantity: 12, acceptBackorder: true }],
      });
      // Already short today: 10 − 10 reserved − 2 owed < 0.
      assert.deepEqual(picture(await point('KET-01')), {
        reserved: 10,
        incoming: 0,
        backordered: 2,
        inventoryPosition: -2,
        projectedStockoutDate: '2026-11-26',
        nextReceiptDate: null,
      });

      // MUG-01: 30 on hand, 5 coming on 12-03; 35 ordered → 30 reserved, 5 pegged to the PO.
      const po = await kit.supplierPo('W1', [
        { sku: 'MUG-01', ordered: 5, expectedDate: '2026-12-03', confidence: 'confirmed' },
      ]);
      await kit.placed({
        channel: 'web',
        lines: [{ sku: 'MUG-01', quantity: 35, acceptBackorder: true }],
      });
      assert.deepEqual(picture(await point('MUG-01')), {
        reserved: 30,
        incoming: 5,
        backordered: 5,
        inventoryPosition: 0,
        projectedStockoutDate: '2026-11-26',
        nextReceiptDate: '2026-12-03',
      });

      // The PO cancelled, the 5 units have nothing behind them: they wait at web's first
      // location, W1.
      const cancelled = await t.request({
        method: 'POST',
        url: `/v1/purchase-orders/${po.id}/cancel`,
      });
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      assert.deepEqual(picture(await point('MUG-01')), {
        reserved: 30,
        incoming: 0,
        backordered: 5,
        inventoryPosition: -5,
        projectedStockoutDate: '2026-11-26',
        nextReceiptDate: null,
      });
    });

    it('suggests enough to serve the backorders and reach the order-up-to level, and says why', async () => {
      const refreshed = await t.request({
        method: 'POST',
        url: '/v1/replenishment/suggestions/refresh',
      });
      assert.equal(refreshed.statusCode, 200, refreshed.body);
      const list = await t.request({
        method: 'GET',
        url: '/v1/replenishment/suggestions?state=open&supplier=ACME',
      });
      const [suggestion] = json<Page<Suggestion>>(list).items;
      assert.deepEqual(
        suggestion!.lines.map((l) => [l.sku, l.quantity, l.backordersWaiting, l.reason]),
        [
          // 48 − (−2) = 50 → 60 in cases of 12.
          ['KET-01', 60, 2, 'projected to run out on 2026-11-26; 2 units backordered waiting'],
          // 36 − (−5) = 41 → 48 in cases of 12.
          ['MUG-01', 48, 5, 'projected to run out on 2026-11-26; 5 units backordered waiting'],
        ],
      );
    });
  });
}
