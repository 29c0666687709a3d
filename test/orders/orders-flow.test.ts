import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { repromiseOverdue } from '../../src/orders/overdue.service.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import type { OrderDoc } from '../helpers/orders.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

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

    it('stock lost from reserved units re-promises the latest orders; stock found fills them', async () => {
      await insertItem(t.ctx, { sku: 'MUG' });
      await putStock(t.ctx, 'MUG', 'W1', 3);
      const supplier = await insertSupplier(t.ctx);
      await insertPurchaseOrder(t.ctx, {
        supplier,
        location: 'W1',
        state: 'sent',
        lines: [{ sku: 'MUG', ordered: 1, expectedDate: '2026-12-10' }],
      });
      const a = json<OrderDoc>(
        await place({ channel: 'pos', lines: [{ sku: 'MUG', quantity: 1 }] }),
      );
      assert.equal(a.id, undefined, 'pos draws on S1 only: refused');
      const first = json<OrderDoc>(
        await place({ channel: 'web', lines: [{ sku: 'MUG', quantity: 2 }] }),
      );
      const second = json<OrderDoc>(
        await place({ channel: 'web', lines: [{ sku: 'MUG', quantity: 1 }] }),
      );
      assert.equal(first.lines[0]!.state, 'ready');
      assert.equal(second.lines[0]!.state, 'ready');

      const refused = await t.request({
        method: 'POST',
        url: '/v1/stock/adjustments',
        body: { sku: 'MUG', location: 'W1', delta: -2, type: 'damage', reason: 'dropped' },
      });
      assert.equal(refused.statusCode, 409, refused.body);

      const damage = await t.request({
        method: 'POST',
        url: '/v1/stock/adjustments',
        body: {
          sku: 'MUG',
          location: 'W1',
          delta: -2,
          type: 'damage',
          reason: 'dropped',
          releaseReservations: true,
        },
      });
      assert.equal(damage.statusCode, 201, damage.body);
      const get = async (id: number) =>
        json<OrderDoc>(await t.request({ method: 'GET', url: `/v1/orders/${id}` }));
      const secondAfter = await get(second.id);
      const firstAfter = await get(first.id);
      // The most recent reservations go first (second's unit, then one of first's); the
      // queue then promises in order of placement: first takes the PO, second waits.
      assert.equal(firstAfter.lines[0]!.allocated, 1);
      assert.equal(firstAfter.lines[0]!.state, 'backordered');
      assert.equal(firstAfter.lines[0]!.promise!.date, '2026-12-10');
      assert.equal(secondAfter.lines[0]!.state, 'unpromised');
      const waiting = json<{ items: { orderId: number }[] }>(
        await t.request({ method: 'GET', url: '/v1/order-lines/waiting' }),
      );
      assert.deepEqual(
        waiting.items.map((w) => w.orderId),
        [second.id],
      );

      const found = await t.request({
        method: 'POST',
        url: '/v1/stock/adjustments',
        body: { sku: 'MUG', location: 'W1', delta: 1, type: 'return', reason: 'returned' },
      });
      assert.equal(found.statusCode, 201, found.body);
      assert.equal((await get(first.id)).lines[0]!.state, 'ready');
      const secondLast = await get(second.id);
      assert.equal(secondLast.lines[0]!.state, 'backordered');
      assert.equal(secondLast.lines[0]!.promise!.date, '2026-12-10');
      const changes = json<{ items: { oldDate: string | null; newDate: string | null }[] }>(
        await t.request({ method: 'GET', url: `/v1/orders/${second.id}/promise-changes` }),
      );
      assert.deepEqual(
        changes.items.map((c) => [c.oldDate, c.newDate]),
        [[null, '2026-12-10']],
      );
      const stock = json<{ onHand: number; reserved: number }>(found).valueOf() as unknown as {
        stock: { onHand: number; reserved: number };
      };
      assert.deepEqual([stock.stock.onHand, stock.stock.reserved], [2, 2]);
    });

    it('the overdue sweep re-promises lines resting on supply that did not come', async () => {
      await insertItem(t.ctx, { sku: 'LATE', handlingDays: 2 });
      const supplier = await insertSupplier(t.ctx);
      await insertPurchaseOrder(t.ctx, {
        supplier,
        location: 'W1',
        state: 'sent',
        lines: [{ sku: 'LATE', ordered: 5, expectedDate: '2026-12-01' }],
      });
      const order = json<OrderDoc>(
        await place({
          channel: 'web',
          lines: [{ sku: 'LATE', quantity: 2, acceptBackorder: true }],
        }),
      );
      assert.equal(order.lines[0]!.promise!.date, '2026-12-03');
      assert.equal(order.lines[0]!.promise!.confidence, 'confirmed');

      t.clock.set('2026-12-01T12:00:00Z');
      assert.deepEqual(await repromiseOverdue(t.ctx), { items: 0 }, 'due today is not overdue');
      t.clock.set('2026-12-04T08:00:00Z');
      assert.deepEqual(await repromiseOverdue(t.ctx), { items: 1 });
      const after = json<OrderDoc>(
        await t.request({ method: 'GET', url: `/v1/orders/${order.id}` }),
      );
      assert.equal(after.lines[0]!.promise!.date, '2026-12-06');
      assert.equal(after.lines[0]!.promise!.confidence, 'estimated');
      const changes = json<{ items: { oldDate: string; newDate: string; reason: string }[] }>(
        await t.request({ method: 'GET', url: `/v1/orders/${order.id}/promise-changes` }),
      );
      assert.deepEqual(
        changes.items.map((c) => [c.oldDate, c.newDate, c.reason]),
        [['2026-12-03', '2026-12-06', 'supply overdue']],
      );
      // Run again the same day: nothing moves, nothing is recorded twice.
      await repromiseOverdue(t.ctx);
      const again = json<{ items: unknown[] }>(
        await t.request({ method: 'GET', url: `/v1/orders/${order.id}/promise-changes` }),
      );
      assert.equal(again.items.length, 1);
    });

    it('answers a placed order exactly as reading it back does', async () => {
      await insertItem(t.ctx, { sku: 'SPLIT', handlingDays: 1 });
      await insertItem(t.ctx, { sku: 'EST', backorderPolicy: 'lead_time' });
      await insertItem(t.ctx, {
        sku: 'SOON',
        releaseDate: '2026-12-24',
        preordersEnabled: true,
      });
      await putStock(t.ctx, 'SPLIT', 'W1', 1);
      await putStock(t.ctx, 'SPLIT', 'S1', 1);
      await putStock(t.ctx, 'SOON', 'W1', 1);
      const supplier = await insertSupplier(t.ctx);
      await t.ctx.db
        .insertInto('supplier_items')
        .values({
          supplier_id: supplier.id,
          item_id: (
            await t.ctx.db
              .selectFrom('items')
              .select('id')
              .where('sku', '=', 'EST')
              .executeTakeFirstOrThrow()
          ).id,
          supplier_sku: null,
          unit_cost_cents: 100,
          lead_time_days: null,
          preferred: 1,
          created_at: '2026-11-26T10:00:00Z',
          updated_at: '2026-11-26T10:00:00Z',
        })
        .execute();
      await insertPurchaseOrder(t.ctx, {
        supplier,
        location: 'W1',
        state: 'sent',
        lines: [
          { sku: 'SPLIT', ordered: 2, expectedDate: '2026-12-02' },
          { sku: 'SPLIT', ordered: 2, expectedDate: '2026-12-04', confidence: 'estimated' },
          { sku: 'SOON', ordered: 3, expectedDate: '2026-12-20' },
        ],
      });
      const placed = await place({
        channel: 'web',
        reference: 'R-1',
        customer: { name: 'Ann', email: 'ann@example.com', phone: '+44 1234 567890' },
        lines: [
          { sku: 'SPLIT', quantity: 5, acceptBackorder: true },
          { sku: 'EST', quantity: 2, acceptBackorder: true },
          { sku: 'SOON', quantity: 3 },
        ],
      });
      assert.equal(placed.statusCode, 201, placed.body);
      const order = json<OrderDoc>(placed);
      const read = await t.request({ method: 'GET', url: `/v1/orders/${order.id}` });
      assert.deepEqual(json(read), order);
      assert.deepEqual(
        order.lines.map((l) => [l.state, l.allocated, l.backordered, l.promise?.date]),
        [
          ['backordered', 2, 3, '2026-12-05'],
          ['backordered', 0, 2, '2026-12-06'],
          ['backordered', 1, 2, '2026-12-24'],
        ],
      );
    });
  });
}
