import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as purchasing from '../../src/purchasing/purchase-orders.schemas.js';
import type * as replenishment from '../../src/replenishment/replenishment.schemas.js';
import { addDays } from '../../src/shared/dates.js';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import type { Body } from '../helpers/responses.js';
import { insertReplenishmentWorld } from './world.js';

type ReorderPoint = Body<typeof replenishment.ReorderPointList>['items'][number];
type PurchaseOrder = Body<typeof purchasing.PurchaseOrder>;

for (const target of testDatabases()) {
  describe(`reorder points on measured lead times (${target.kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(target);
      await insertReplenishmentWorld(t.ctx, '2026-11-26');
    });
    after(async () => {
      t.clock.set(TEST_NOW);
      await t.close();
    });

    const ok = async <T>(method: 'GET' | 'POST', url: string, body?: unknown, status = 200) => {
      const response = await t.request({ method, url, body });
      assert.equal(response.statusCode, status, response.body);
      return json<T>(response);
    };

    /** One TEA-01 unit from OTHER to S1, sent on `sent` and arriving `days` later. */
    const delivery = async (n: number, sent: string, days: number) => {
      t.clock.set(`${sent}T10:00:00.000Z`);
      const order = await ok<PurchaseOrder>(
        'POST',
        '/v1/purchase-orders',
        { supplier: 'OTHER', location: 'S1', lines: [{ sku: 'TEA-01', quantity: 1 }] },
        201,
      );
      await ok('POST', `/v1/purchase-orders/${order.id}/send`, {});
      t.clock.set(`${addDays(sent, days)}T10:00:00.000Z`);
      await ok(
        'POST',
        `/v1/purchase-orders/${order.id}/receipts`,
        { receiptId: `tea-${n}`, lines: [{ line: order.lines[0]!.id, quantity: 1 }] },
        201,
      );
    };

    it('plans with the item’s measured lead time and its spread once it arrived three times', async () => {
      await delivery(1, '2026-09-01', 2);
      await delivery(2, '2026-10-01', 4);
      t.clock.set(TEST_NOW);
      const before = await ok<{ items: ReorderPoint[] }>(
        'GET',
        '/v1/replenishment/reorder-points?sku=TEA-01',
      );
      // Two deliveries say too little: still the configured 3 days.
      assert.deepEqual(before.items[0]!.leadTime, { meanDays: 3, sdDays: 0, source: 'configured' });

      await delivery(3, '2026-11-01', 6);
      t.clock.set(TEST_NOW);
      const { items } = await ok<{ items: ReorderPoint[] }>(
        'GET',
        '/v1/replenishment/reorder-points?sku=TEA-01',
      );
      const [tea] = items;
      // 2, 4 and 6 days: mean 4, sample sd 2.
      assert.deepEqual(tea!.leadTime, { meanDays: 4, sdDays: 2, source: 'item_history' });
      // Protection 4 + 7 = 11 days × 2 a day = 22; the forecast is exact, so the spread is
      // the lead time's alone: z(0.90) × √(2² × 2²) = 1.2815516 × 4 = 5.126.
      assert.ok(Math.abs(tea!.safetyStock - 1.2815516 * 4) < 1e-5, String(tea!.safetyStock));
      assert.equal(tea!.reorderPoint, 28);
      assert.equal(tea!.onHand, 103);
    });
  });
}
