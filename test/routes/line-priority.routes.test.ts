import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import type * as stock from '../../src/inventory/stock.schemas.js';
import type { LinePriority } from '../../src/orders/line-priority.schemas.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { databaseFingerprint } from '../helpers/db-fingerprint.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { plainJsonValue } from '../helpers/json-values.js';
import { assertError, type OrderDoc, orderKit } from '../helpers/orders.js';
import type { Body } from '../helpers/responses.js';

/**
 * POST /v1/orders/{id}/lines/{line}/priority: the fair queue's one exception (issue 15,
 * item 3, "unless staff set a priority"). A high line goes ahead of the normal ones for
 * promises and arrivals; the lines it passes are re-promised and told.
 */

type Audit = Body<typeof stock.AuditReport>;

for (const target of testDatabases()) {
  describe(`order line priority (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      // W1 (warehouse) and S1 (store); web is filled from W1 then S1.
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Kettle', handlingDays: 1 });
    });
    afterEach(async () => {
      await t.close();
    });

    const kit = orderKit(() => t);
    const { getOrder, promiseChanges, events, supplierPo, promisedOn } = kit;

    const setPriority = (id: number, line: number, body: unknown, key?: string) =>
      t.request({
        method: 'POST',
        url: `/v1/orders/${id}/lines/${line}/priority`,
        body,
        key: key ?? t.staffKey,
      });

    async function prioritised(id: number, priority: 'high' | 'normal'): Promise<LinePriority> {
      const response = await setPriority(id, 1, { priority });
      assert.equal(response.statusCode, 200, response.body);
      return json<LinePriority>(response);
    }

    async function refused(
      request: () => ReturnType<typeof setPriority>,
      status: number,
      code: string,
    ) {
      const before = await databaseFingerprint(t.ctx);
      const response = await request();
      assertError(response, status, code);
      assert.equal(await databaseFingerprint(t.ctx), before, `changed something: ${response.body}`);
    }

    async function customerOrder(name: string, quantity: number) {
      return kit.placed({
        channel: 'web',
        customer: { name, email: `${name.toLowerCase()}@example.test` },
        lines: [{ sku: 'KET', quantity, acceptBackorder: true }],
      });
    }

    async function dateOf(order: OrderDoc) {
      const line = (await getOrder(order.id)).lines[0]!;
      return [line.state, line.promise?.date ?? null];
    }

    async function assertAuditClean() {
      const response = await t.request({ method: 'GET', url: '/v1/stock/audit' });
      const audit = json<Audit>(response);
      assert.deepEqual(audit.promiseDrift, [], response.body);
      assert.equal(audit.ok, true, response.body);
    }

    /** PO-A due sooner, PO-B later; Ann (first) rests on A, Bob on B. */
    async function twoWaiting() {
      const a = await supplierPo('W1', [{ sku: 'KET', ordered: 3, expectedDate: '2026-12-05' }]);
      const b = await supplierPo('W1', [{ sku: 'KET', ordered: 3, expectedDate: '2026-12-20' }]);
      const ann = await customerOrder('Ann', 3);
      const bob = await customerOrder('Bob', 3);
      assert.deepEqual(await dateOf(ann), ['backordered', '2026-12-06']);
      assert.deepEqual(await dateOf(bob), ['backordered', '2026-12-21']);
      return { a, b, ann, bob };
    }

    it('a high line takes the earlier supply, and the line it passes is re-promised and told', async () => {
      const { a, b, ann, bob } = await twoWaiting();

      const result = await prioritised(bob.id, 'high');
      assert.deepEqual(result, {
        orderId: bob.id,
        line: 1,
        sku: 'KET',
        priority: 'high',
        changed: true,
        backordered: 3,
        promisedDate: '2026-12-06',
      });
      assert.deepEqual(await dateOf(ann), ['backordered', '2026-12-21']);
      assert.deepEqual(
        (await promiseChanges(ann.id)).map((c) => [c.oldDate, c.newDate, c.reason]),
        [['2026-12-06', '2026-12-21', `order ${bob.id} line 1 priority set to high`]],
      );
      assert.deepEqual(
        (await events('order_line.priority_changed')).map((e) => [e.subject, e.payload.to]),
        [[`order:${bob.id}`, 'high']],
      );
      const messages = await t.request({
        method: 'GET',
        url: `/v1/customers/${ann.customer!.id}/messages`,
        key: t.staffKey,
      });
      assert.deepEqual(
        json<{ items: { template: string }[] }>(messages).items.map((m) => m.template),
        ['delay', 'backorder_confirmed'],
      );
      assert.equal(await promisedOn(a.lineIds[0]!), 3);
      await assertAuditClean();

      // The same priority again changes nothing at all.
      const before = await databaseFingerprint(t.ctx);
      assert.equal((await prioritised(bob.id, 'high')).changed, false);
      assert.equal(await databaseFingerprint(t.ctx), before);

      // PO-B lands first: Bob, ahead in the queue, is served; Ann moves back onto A.
      const receipt = await t.request({
        method: 'POST',
        url: `/v1/purchase-orders/${b.id}/receipts`,
        body: { receiptId: 'GRN-B', lines: [{ line: b.lineIds[0], quantity: 3 }] },
        key: t.staffKey,
      });
      assert.equal(receipt.statusCode, 201, receipt.body);
      assert.deepEqual(await dateOf(bob), ['ready', null]);
      assert.deepEqual(await dateOf(ann), ['backordered', '2026-12-06']);
      await assertAuditClean();
    });

    it('back to normal puts the line in placement order again', async () => {
      const { ann, bob } = await twoWaiting();
      await prioritised(bob.id, 'high');
      const result = await prioritised(bob.id, 'normal');
      assert.deepEqual(
        [result.priority, result.changed, result.promisedDate],
        ['normal', true, '2026-12-21'],
      );
      assert.deepEqual(await dateOf(ann), ['backordered', '2026-12-06']);
      assert.deepEqual(
        (await events('order_line.priority_changed')).map((e) => e.payload.to),
        ['high', 'normal'],
      );
      await assertAuditClean();
    });

    it('refuses what is not a waiting line of an order, changing nothing', async () => {
      // Served from stock before anyone waits: a line with no place in the queue.
      await putStock(t.ctx, 'KET', 'S1', 1);
      const fromStock = await kit.placed({
        channel: 'web',
        lines: [{ sku: 'KET', quantity: 1 }],
      });
      assert.equal(fromStock.lines[0]!.state, 'ready');
      const { bob } = await twoWaiting();
      await refused(
        () => setPriority(fromStock.id, 1, { priority: 'high' }),
        409,
        'LINE_NOT_WAITING',
      );
      await refused(() => setPriority(9999, 1, { priority: 'high' }), 404, 'ORDER_NOT_FOUND');
      await refused(
        () => setPriority(bob.id, 2, { priority: 'high' }),
        404,
        'ORDER_LINE_NOT_FOUND',
      );
      await refused(() => setPriority(bob.id, 0, { priority: 'high' }), 400, 'VALIDATION_FAILED');
    });

    it('is for staff: a channel key may not reorder the queue', async () => {
      const { bob } = await twoWaiting();
      const web = await t.channelKey('web');
      await refused(() => setPriority(bob.id, 1, { priority: 'high' }, web), 403, 'FORBIDDEN');
    });

    it('refuses bad bodies with 400 VALIDATION_FAILED, changing nothing', async () => {
      const { bob } = await twoWaiting();
      const bad = fc.oneof(
        fc.record({
          priority: fc.oneof(
            fc.string().filter((p) => p !== 'high' && p !== 'normal'),
            fc.integer(),
            fc.constant(null),
            fc.boolean(),
          ),
        }),
        fc.record(
          { priority: fc.constantFrom('high', 'normal'), extra: plainJsonValue },
          { requiredKeys: ['extra'] },
        ),
        fc.constant({}),
        fc.constant([]),
        fc.constant('high'),
      );
      const before = await databaseFingerprint(t.ctx);
      await fc.assert(
        fc.asyncProperty(bad, async (body) => {
          const response = await setPriority(bob.id, 1, body);
          assert.equal(response.statusCode, 400, `${JSON.stringify(body)}: ${response.body}`);
          assert.equal(
            json<{ error: { code: string } }>(response).error.code,
            'VALIDATION_FAILED',
            response.body,
          );
        }),
        { numRuns: 40 },
      );
      assert.equal(await databaseFingerprint(t.ctx), before);
    });
  });
}
