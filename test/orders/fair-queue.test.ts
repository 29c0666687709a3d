import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type * as stock from '../../src/inventory/stock.schemas.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { type OrderDoc, orderKit } from '../helpers/orders.js';
import type { Body } from '../helpers/responses.js';

/**
 * Issue 15, item 3: the fair queue. Units arriving early — a later purchase order landing
 * before the one an earlier customer is pegged to — go to the waiting lines in the order
 * the customers placed them; whoever is still waiting is re-pegged to what supply is left,
 * with a new date, a promise-change row, an event and a message when the date moves.
 */

type Audit = Body<typeof stock.AuditReport>;
type Messages = { items: { template: string; orderId: number }[] };

for (const target of testDatabases()) {
  describe(`the fair backorder queue (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      // W1 (warehouse) and S1 (store); web is filled from W1 then S1, pos from S1.
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Kettle', handlingDays: 1 });
    });
    afterEach(async () => {
      await t.close();
    });

    const kit = orderKit(() => t);
    const { getOrder, promisedOn, promiseChanges, events, supplierPo, stockOf } = kit;

    /** A customer's order of `quantity` kettles, waiting for supply. */
    async function customerOrder(name: string, quantity: number, channel = 'web') {
      const order = await kit.placed({
        channel,
        customer: { name, email: `${name.toLowerCase()}@example.test` },
        lines: [{ sku: 'KET', quantity, acceptBackorder: true }],
      });
      assert.equal(order.lines[0]!.backordered, quantity);
      return order;
    }

    async function receive(po: { id: number; lineIds: number[] }, receiptId: string, n: number) {
      const response = await t.request({
        method: 'POST',
        url: `/v1/purchase-orders/${po.id}/receipts`,
        body: { receiptId, lines: [{ line: po.lineIds[0], quantity: n }] },
        key: t.staffKey,
      });
      assert.equal(response.statusCode, 201, response.body);
    }

    /** State, allocated, backordered, promised date and the PO lines the promise rests on. */
    async function lineOf(order: OrderDoc) {
      const line = (await getOrder(order.id)).lines[0]!;
      return [
        line.state,
        line.allocated,
        line.backordered,
        line.promise?.date ?? null,
        line.promise?.restsOn.map((r) => [r.kind, r.lineId ?? null, r.quantity]) ?? [],
      ];
    }

    async function messagesOf(order: OrderDoc) {
      const response = await t.request({
        method: 'GET',
        url: `/v1/customers/${order.customer!.id}/messages`,
        key: t.staffKey,
      });
      assert.equal(response.statusCode, 200, response.body);
      return json<Messages>(response).items.map((m) => m.template);
    }

    async function assertAuditClean() {
      const response = await t.request({ method: 'GET', url: '/v1/stock/audit' });
      assert.equal(response.statusCode, 200, response.body);
      const audit = json<Audit>(response);
      assert.deepEqual(audit.promiseDrift, [], response.body);
      assert.equal(audit.ok, true, response.body);
    }

    /** PO-A due sooner, PO-B later; customer 1 pegged to A, customer 2 to B. */
    async function twoCustomersTwoOrders() {
      const a = await supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-05' }]);
      const b = await supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-20' }]);
      const first = await customerOrder('Ann', 5);
      const second = await customerOrder('Bob', 5);
      assert.deepEqual(await lineOf(first), [
        'backordered',
        0,
        5,
        '2026-12-06',
        [['purchase_order', a.lineIds[0], 5]],
      ]);
      assert.deepEqual(await lineOf(second), [
        'backordered',
        0,
        5,
        '2026-12-21',
        [['purchase_order', b.lineIds[0], 5]],
      ]);
      return { a, b, first, second };
    }

    it('the later purchase order received first serves the customer who ordered first', async () => {
      const { a, b, first, second } = await twoCustomersTwoOrders();
      const repromisedBefore = (await events('order_line.repromised')).length;

      await receive(b, 'GRN-B', 5);

      assert.deepEqual(await lineOf(first), ['ready', 5, 0, null, []]);
      // Bob now rests on PO-A, which comes sooner: his date moves earlier, and he is told.
      assert.deepEqual(await lineOf(second), [
        'backordered',
        0,
        5,
        '2026-12-06',
        [['purchase_order', a.lineIds[0], 5]],
      ]);
      assert.equal(await promisedOn(a.lineIds[0]!), 5);
      assert.equal(await promisedOn(b.lineIds[0]!), 0);
      assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 5, reserved: 5, available: 0 });
      assert.deepEqual(
        (await promiseChanges(second.id)).map((c) => [c.oldDate, c.newDate]),
        [['2026-12-21', '2026-12-06']],
      );
      assert.deepEqual(await promiseChanges(first.id), []);
      const repromised = (await events('order_line.repromised')).slice(repromisedBefore);
      assert.deepEqual(
        repromised.map((e) => [e.subject, e.payload.direction, e.payload.reason]),
        [[`order:${second.id}`, 'earlier', `purchase order ${b.id} received`]],
      );
      assert.deepEqual(
        (await events('order_line.ready')).map((e) => e.subject),
        [`order:${first.id}`],
      );
      assert.deepEqual(await messagesOf(first), ['ready', 'backorder_confirmed']);
      assert.deepEqual(await messagesOf(second), ['earlier_date', 'backorder_confirmed']);
      await assertAuditClean();

      // PO-A arrives as planned and serves Bob; nothing is left promised anywhere.
      await receive(a, 'GRN-A', 5);
      assert.deepEqual(await lineOf(second), ['ready', 5, 0, null, []]);
      assert.equal(await promisedOn(a.lineIds[0]!), 0);
      assert.deepEqual(await t.ctx.db.selectFrom('backorder_pegs').selectAll().execute(), []);
      await assertAuditClean();
    });

    it('partial arrivals of the later order go to the first customer until she is served', async () => {
      const { a, b, first, second } = await twoCustomersTwoOrders();

      await receive(b, 'GRN-B1', 3);
      // Ann takes all 3; her 2 still waiting rest on PO-A, and Bob's 5 on what is left of
      // A and the 2 B still brings: his last unit comes with B, so his date stays.
      assert.deepEqual(await lineOf(first), [
        'backordered',
        3,
        2,
        '2026-12-06',
        [['purchase_order', a.lineIds[0], 2]],
      ]);
      assert.deepEqual(await lineOf(second), [
        'backordered',
        0,
        5,
        '2026-12-21',
        [
          ['purchase_order', a.lineIds[0], 3],
          ['purchase_order', b.lineIds[0], 2],
        ],
      ]);
      assert.equal(await promisedOn(a.lineIds[0]!), 5);
      assert.equal(await promisedOn(b.lineIds[0]!), 2);
      assert.deepEqual(await promiseChanges(first.id), []);
      assert.deepEqual(await promiseChanges(second.id), []);
      await assertAuditClean();

      await receive(b, 'GRN-B2', 2);
      assert.deepEqual(await lineOf(first), ['ready', 5, 0, null, []]);
      assert.deepEqual(await lineOf(second), [
        'backordered',
        0,
        5,
        '2026-12-06',
        [['purchase_order', a.lineIds[0], 5]],
      ]);
      assert.deepEqual(
        (await promiseChanges(second.id)).map((c) => [c.oldDate, c.newDate]),
        [['2026-12-21', '2026-12-06']],
      );
      assert.equal(await promisedOn(a.lineIds[0]!), 5);
      assert.equal(await promisedOn(b.lineIds[0]!), 0);
      await assertAuditClean();
    });

    it('a line waiting without a date keeps its place in the queue', async () => {
      const a = await supplierPo('W1', [{ sku: 'KET', ordered: 4, expectedDate: '2026-12-05' }]);
      const first = await customerOrder('Ann', 4);
      // PO-A is cancelled: Ann waits with no date.
      const cancelled = await t.request({
        method: 'POST',
        url: `/v1/purchase-orders/${a.id}/cancel`,
        body: {},
      });
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      assert.deepEqual(await lineOf(first), ['unpromised', 0, 4, null, []]);
      const b = await supplierPo('W1', [{ sku: 'KET', ordered: 7, expectedDate: '2026-12-20' }]);
      const second = await customerOrder('Bob', 3);
      assert.deepEqual(await lineOf(second), [
        'backordered',
        0,
        3,
        '2026-12-21',
        [['purchase_order', b.lineIds[0], 3]],
      ]);

      await receive(b, 'GRN-B1', 5);
      // Ann, first in the queue, is served in full although nothing was promised her; Bob
      // gets the unit left and waits for the last two B still brings.
      assert.deepEqual(await lineOf(first), ['ready', 4, 0, null, []]);
      assert.deepEqual(await lineOf(second), [
        'backordered',
        1,
        2,
        '2026-12-21',
        [['purchase_order', b.lineIds[0], 2]],
      ]);
      assert.equal(await promisedOn(b.lineIds[0]!), 2);
      assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 5, reserved: 5, available: 0 });
      await assertAuditClean();
    });

    it('a line placed earlier whose channel does not draw on the location keeps waiting', async () => {
      const store = await supplierPo('S1', [
        { sku: 'KET', ordered: 2, expectedDate: '2026-12-10' },
      ]);
      const warehouse = await supplierPo('W1', [
        { sku: 'KET', ordered: 3, expectedDate: '2026-12-20' },
      ]);
      // pos is filled from S1 only: the W1 arrival is not for this line.
      const counter = await customerOrder('Cy', 2, 'pos');
      const web = await customerOrder('Di', 3);
      assert.deepEqual((await lineOf(web))[4], [['purchase_order', warehouse.lineIds[0], 3]]);

      await receive(warehouse, 'GRN-W', 3);
      assert.deepEqual(await lineOf(counter), [
        'backordered',
        0,
        2,
        '2026-12-11',
        [['purchase_order', store.lineIds[0], 2]],
      ]);
      assert.deepEqual(await lineOf(web), ['ready', 3, 0, null, []]);
      await assertAuditClean();
    });

    it('a transfer landing first serves the earlier customer too', async () => {
      const a = await supplierPo('W1', [{ sku: 'KET', ordered: 2, expectedDate: '2026-12-05' }]);
      // Stock at S1 sent to W1, due after PO-A: Ann is pegged to A, Bob to the transfer.
      await putStock(t.ctx, 'KET', 'S1', 2);
      const sent = await t.request({
        method: 'POST',
        url: '/v1/transfers',
        body: { sku: 'KET', from: 'S1', to: 'W1', quantity: 2, expectedDate: '2026-12-15' },
        headers: { 'idempotency-key': 'fair-transfer-1' },
        key: t.staffKey,
      });
      assert.equal(sent.statusCode, 201, sent.body);
      const transfer = json<{ id: number }>(sent);
      const first = await customerOrder('Ann', 2);
      assert.deepEqual((await lineOf(first))[4], [['purchase_order', a.lineIds[0], 2]]);
      const second = await customerOrder('Bob', 2);
      assert.deepEqual((await lineOf(second))[4], [['transfer', null, 2]]);

      const received = await t.request({
        method: 'POST',
        url: `/v1/transfers/${transfer.id}/receipts`,
        body: { receiptId: 'TR-1', quantity: 2 },
        key: t.staffKey,
      });
      assert.equal(received.statusCode, 201, received.body);
      assert.deepEqual(await lineOf(first), ['ready', 2, 0, null, []]);
      assert.deepEqual(await lineOf(second), [
        'backordered',
        0,
        2,
        '2026-12-06',
        [['purchase_order', a.lineIds[0], 2]],
      ]);
      await assertAuditClean();
    });
  });
}
