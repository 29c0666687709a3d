import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { type OrderDoc, orderKit } from '../helpers/orders.js';

/**
 * Which reservation a partial cancel releases (issue 15, item 4; the rule is in
 * docs/guides/orders-and-promising.md): the one that keeps the shipment in the fewest
 * places. Until this rule the last location (highest id) always gave its units back
 * first, so the first case below left the order split over W1 and S1.
 */
for (const target of testDatabases()) {
  describe(`partial cancel: which allocation shrinks (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      // W1 then S1 for web; W1 was created first (lower id).
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Kettle' });
      await insertItem(t.ctx, { sku: 'MUG', name: 'Mug' });
    });
    afterEach(async () => {
      await t.close();
    });

    const kit = orderKit(() => t);
    const allocations = (order: OrderDoc, line = 1) =>
      order.lines[line - 1]!.allocations.map((a) => [a.location, a.quantity]).sort((a, b) =>
        String(a[0]).localeCompare(String(b[0])),
      );

    async function cancelled(id: number, body: unknown): Promise<OrderDoc> {
      const response = await kit.cancel(id, body);
      assert.equal(response.statusCode, 200, response.body);
      return json<OrderDoc>(response);
    }

    it('empties the smaller allocation, so the order ships from one place', async () => {
      await putStock(t.ctx, 'KET', 'W1', 1);
      await putStock(t.ctx, 'KET', 'S1', 3);
      const order = await kit.placed({ channel: 'web', lines: [{ sku: 'KET', quantity: 4 }] });
      assert.deepEqual(allocations(order), [
        ['S1', 3],
        ['W1', 1],
      ]);
      const after = await cancelled(order.id, { lines: [{ line: 1, quantity: 1 }] });
      assert.deepEqual(allocations(after), [['S1', 3]]);
      assert.deepEqual(await kit.stockOf('KET', 'W1'), { onHand: 1, reserved: 0, available: 1 });
      assert.deepEqual(await kit.stockOf('KET', 'S1'), { onHand: 3, reserved: 3, available: 0 });
    });

    it('keeps the units at a location another line ships from anyway', async () => {
      // KET: 2 at W1, 2 at S1; MUG: 1 at S1. Cancelling 2 KET empties W1, not S1.
      await putStock(t.ctx, 'KET', 'W1', 2);
      await putStock(t.ctx, 'KET', 'S1', 2);
      await putStock(t.ctx, 'MUG', 'S1', 1);
      const order = await kit.placed({
        channel: 'web',
        lines: [
          { sku: 'KET', quantity: 4 },
          { sku: 'MUG', quantity: 1 },
        ],
      });
      const after = await cancelled(order.id, { lines: [{ line: 1, quantity: 2 }] });
      assert.deepEqual(allocations(after, 1), [['S1', 2]]);
      assert.deepEqual(allocations(after, 2), [['S1', 1]]);
      assert.deepEqual(await kit.stockOf('KET', 'W1'), { onHand: 2, reserved: 0, available: 2 });
    });

    it('with equal allocations and no other line, releases the later-created location', async () => {
      await putStock(t.ctx, 'KET', 'W1', 2);
      await putStock(t.ctx, 'KET', 'S1', 2);
      const order = await kit.placed({ channel: 'web', lines: [{ sku: 'KET', quantity: 4 }] });
      const after = await cancelled(order.id, { lines: [{ line: 1, quantity: 1 }] });
      assert.deepEqual(allocations(after), [
        ['S1', 1],
        ['W1', 2],
      ]);
    });

    it('cancels waiting units before any reservation', async () => {
      await putStock(t.ctx, 'KET', 'W1', 1);
      await putStock(t.ctx, 'KET', 'S1', 1);
      await kit.supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-10' }]);
      const order = await kit.placed({
        channel: 'web',
        lines: [{ sku: 'KET', quantity: 3, acceptBackorder: true }],
      });
      assert.equal(order.lines[0]!.backordered, 1);
      const after = await cancelled(order.id, { lines: [{ line: 1, quantity: 2 }] });
      assert.equal(after.lines[0]!.backordered, 0);
      // One reserved unit went: W1 and S1 held one each, so the tie goes to S1.
      assert.deepEqual(allocations(after), [['W1', 1]]);
    });
  });
}
