import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { assertError, type OrderDoc, orderKit, type Page } from '../helpers/orders.js';
import { insertSupplier } from '../helpers/supply-factories.js';

/**
 * Orders and moving supply, through the API: arrivals on purchase orders and transfers
 * filling the queue, promises following supply (dates, cuts, cancellations) with their
 * history, and the reports (order list, waiting lines, lost demand).
 */

for (const target of testDatabases()) {
  describe(`order routes: supply and reports (${target.kind})`, () => {
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
    const {
      place,
      getOrder,
      fulfil,
      stockOf,
      promisedOn,
      promisedOnTransfer,
      promiseChanges,
      waiting,
      events,
      rejected,
      supplierPo,
      supplies,
    } = kit;
    async function placed(channel: string, lines: unknown[]): Promise<OrderDoc> {
      return kit.placed({ channel, lines });
    }

    const backorder = (sku: string, quantity: number, channel = 'web') =>
      placed(channel, [{ sku, quantity, acceptBackorder: true }]);

    describe('arrivals fill the queue', () => {
      it('a receipt fills pegged lines in queue order, then unpegged ones; the rest is for sale', async () => {
        await insertItem(t.ctx, { sku: 'LTK', backorderPolicy: 'lead_time', handlingDays: 1 });
        await insertSupplier(t.ctx, 'ACME');
        await supplies('ACME', 'LTK', 30);
        const po = await supplierPo('W1', [{ sku: 'LTK', ordered: 5, expectedDate: '2026-12-05' }]);
        const a = await backorder('LTK', 2);
        const b = await backorder('LTK', 3);
        const c = await backorder('LTK', 2);
        assert.deepEqual(
          [a, b, c].map((o) => o.lines[0]!.promise?.restsOn.map((r) => [r.kind, r.quantity])),
          [[['purchase_order', 2]], [['purchase_order', 3]], [['lead_time', 2]]],
        );
        assert.equal(c.lines[0]!.promise?.date, '2026-12-27');

        const receive = (receiptId: string, quantity: number) =>
          t.request({
            method: 'POST',
            url: `/v1/purchase-orders/${po.id}/receipts`,
            body: { receiptId, lines: [{ line: po.lineIds[0], quantity }] },
            key: t.staffKey,
          });
        const r1 = await receive('GRN-1', 3);
        assert.equal(r1.statusCode, 201, r1.body);
        const [a1, b1, c1] = await Promise.all([getOrder(a.id), getOrder(b.id), getOrder(c.id)]);
        assert.deepEqual(
          [a1, b1, c1].map((o) => [
            o.lines[0]!.state,
            o.lines[0]!.allocated,
            o.lines[0]!.backordered,
          ]),
          [
            ['ready', 2, 0],
            ['backordered', 1, 2],
            ['backordered', 0, 2],
          ],
        );
        assert.equal(a1.lines[0]!.promise, null);
        assert.deepEqual(
          b1.lines[0]!.promise?.restsOn.map((r) => [r.kind, r.quantity]),
          [['purchase_order', 2]],
        );
        assert.equal(await promisedOn(po.lineIds[0]!), 2);
        assert.deepEqual(await stockOf('LTK', 'W1'), { onHand: 3, reserved: 3, available: 0 });

        // More than the line still brings: the pegged line first, then the lead-time one.
        const r2 = await receive('GRN-2', 5);
        assert.equal(r2.statusCode, 201, r2.body);
        const [b2, c2] = await Promise.all([getOrder(b.id), getOrder(c.id)]);
        assert.deepEqual(
          [b2, c2].map((o) => [o.lines[0]!.state, o.lines[0]!.allocated, o.lines[0]!.backordered]),
          [
            ['ready', 3, 0],
            ['ready', 2, 0],
          ],
        );
        assert.equal(await promisedOn(po.lineIds[0]!), 0);
        assert.deepEqual(await stockOf('LTK', 'W1'), { onHand: 8, reserved: 7, available: 1 });
        const pegs = await t.ctx.db.selectFrom('backorder_pegs').selectAll().execute();
        assert.deepEqual(pegs, []);
        const availability = await t.request({
          method: 'GET',
          url: '/v1/availability/LTK?channel=web',
        });
        assert.equal(
          json<{ quantities: { available: number } }>(availability).quantities.available,
          1,
          availability.body,
        );
        assert.deepEqual(
          (await events('order_line.ready')).map((e) => e.subject),
          [`order:${a.id}`, `order:${b.id}`, `order:${c.id}`],
        );
        const audit = await t.request({ method: 'GET', url: '/v1/stock/audit' });
        assert.equal(json<{ ok: boolean }>(audit).ok, true, audit.body);
      });

      it('a preorder filled before its release still says when it ships', async () => {
        await insertItem(t.ctx, {
          sku: 'GAME',
          releaseDate: '2026-12-20',
          preordersEnabled: true,
        });
        const po = await supplierPo('W1', [
          { sku: 'GAME', ordered: 2, expectedDate: '2026-12-10' },
        ]);
        const order = await placed('web', [{ sku: 'GAME', quantity: 2 }]);
        assert.equal(order.lines[0]!.promise?.date, '2026-12-20');
        const receipt = await t.request({
          method: 'POST',
          url: `/v1/purchase-orders/${po.id}/receipts`,
          body: { receiptId: 'G-1', lines: [{ line: po.lineIds[0], quantity: 2 }] },
        });
        assert.equal(receipt.statusCode, 201, receipt.body);
        const filled = await getOrder(order.id);
        assert.equal(filled.lines[0]!.allocated, 2);
        await rejected(
          () =>
            fulfil(order.id, {
              fulfilmentId: 'F1',
              kind: 'shipment',
              lines: [{ line: 1, quantity: 2 }],
            }),
          409,
          'NOT_RELEASED',
        );
        // A preorder reserved from stock at placement keeps its release date as its promise
        // (see orders.routes.test.ts); one filled by a receipt should say the same.
        assert.equal(
          filled.lines[0]!.promise?.date,
          '2026-12-20',
          `the filled preorder lost its date: ${JSON.stringify(filled.lines[0])}`,
        );
        // Reserved but not shippable yet: awaiting its release, and the order still waits.
        assert.equal(filled.lines[0]!.state, 'awaiting_release');
        assert.equal(filled.state, 'waiting');
      });

      it('a transfer arrival fills the lines pegged to it', async () => {
        await putStock(t.ctx, 'KET', 'W1', 10);
        const dispatched = await t.request({
          method: 'POST',
          url: '/v1/transfers',
          body: { sku: 'KET', from: 'W1', to: 'S1', quantity: 4, expectedDate: '2026-12-01' },
        });
        assert.equal(dispatched.statusCode, 201, dispatched.body);
        const transfer = json<{ id: number }>(dispatched);
        // pos draws on S1 only, where nothing is on hand: the transfer is its supply.
        const order = await backorder('KET', 3, 'pos');
        assert.deepEqual(order.lines[0]!.promise, {
          date: '2026-12-02',
          confidence: 'confirmed',
          restsOn: [
            {
              kind: 'transfer',
              transferId: transfer.id,
              from: 'W1',
              location: 'S1',
              quantity: 3,
              expectedDate: '2026-12-01',
              confidence: 'confirmed',
            },
          ],
        });
        const promised = () => promisedOnTransfer(transfer.id);
        assert.equal(await promised(), 3);
        const arrived = await t.request({
          method: 'POST',
          url: `/v1/transfers/${transfer.id}/receipts`,
          body: { receiptId: 'T-1', quantity: 4 },
        });
        assert.equal(arrived.statusCode, 201, arrived.body);
        const filled = await getOrder(order.id);
        assert.deepEqual(
          [filled.lines[0]!.state, filled.lines[0]!.allocations, filled.lines[0]!.promise],
          ['ready', [{ location: 'S1', quantity: 3 }], null],
        );
        assert.equal(await promised(), 0);
        assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 4, reserved: 3, available: 1 });
      });

      it('a transfer dispatched later promises a line that had no date', async () => {
        await putStock(t.ctx, 'KET', 'W1', 5);
        const po = await supplierPo('S1', [{ sku: 'KET', ordered: 2, expectedDate: '2026-12-05' }]);
        const order = await backorder('KET', 2, 'pos');
        const dropped = await t.request({
          method: 'POST',
          url: `/v1/purchase-orders/${po.id}/cancel`,
          body: {},
        });
        assert.equal(dropped.statusCode, 200, dropped.body);
        assert.equal((await getOrder(order.id)).lines[0]!.state, 'unpromised');
        const dispatched = await t.request({
          method: 'POST',
          url: '/v1/transfers',
          body: { sku: 'KET', from: 'W1', to: 'S1', quantity: 2, expectedDate: '2026-12-03' },
        });
        assert.equal(dispatched.statusCode, 201, dispatched.body);
        const promised = await getOrder(order.id);
        assert.deepEqual(
          [
            promised.lines[0]!.state,
            promised.lines[0]!.promise?.date,
            promised.lines[0]!.promise?.restsOn[0]?.kind,
          ],
          ['backordered', '2026-12-04', 'transfer'],
        );
      });
    });

    describe('promises move with supply', () => {
      it('a later expected date moves the promise, with history and an event', async () => {
        const po = await supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-05' }]);
        const order = await backorder('KET', 2);
        const other = await backorder('KET', 1);
        assert.equal(order.lines[0]!.promise?.date, '2026-12-06');
        assert.deepEqual(await promiseChanges(order.id), []);
        const patched = await t.request({
          method: 'PATCH',
          url: `/v1/purchase-orders/${po.id}/lines/${po.lineIds[0]}`,
          body: { expectedDate: '2026-12-15', reason: 'supplier delay' },
        });
        assert.equal(patched.statusCode, 200, patched.body);
        const moved = await getOrder(order.id);
        assert.equal(moved.lines[0]!.promise?.date, '2026-12-16');
        assert.equal(moved.lines[0]!.promise?.restsOn[0]?.expectedDate, '2026-12-15');
        const changes = await promiseChanges(order.id);
        assert.deepEqual(
          changes.map((c) => ({ ...c, reason: '' })),
          [
            {
              line: 1,
              sku: 'KET',
              oldDate: '2026-12-06',
              newDate: '2026-12-16',
              oldConfidence: 'confirmed',
              newConfidence: 'confirmed',
              reason: '',
              changedAt: TEST_NOW,
            },
          ],
        );
        assert.match(changes[0]!.reason, /expectedDate 2026-12-05 → 2026-12-15/);
        const repromised = await events('order_line.repromised');
        assert.deepEqual(
          repromised.map((e) => [
            e.subject,
            e.payload.oldDate,
            e.payload.newDate,
            e.payload.direction,
          ]),
          [
            [`order:${order.id}`, '2026-12-06', '2026-12-16', 'later'],
            [`order:${other.id}`, '2026-12-06', '2026-12-16', 'later'],
          ],
        );
        const channelView = await t.request({
          method: 'GET',
          url: `/v1/orders/${order.id}/promise-changes`,
          key: await t.channelKey('web'),
        });
        assert.equal(channelView.statusCode, 200, channelView.body);

        // The same date again changes nothing; a confidence change is a change.
        const same = await t.request({
          method: 'PATCH',
          url: `/v1/purchase-orders/${po.id}/lines/${po.lineIds[0]}`,
          body: { expectedDate: '2026-12-15' },
        });
        assert.equal(same.statusCode, 200, same.body);
        assert.equal((await promiseChanges(order.id)).length, 1);
        await t.request({
          method: 'PATCH',
          url: `/v1/purchase-orders/${po.id}/lines/${po.lineIds[0]}`,
          body: { confidence: 'estimated' },
        });
        const last = (await promiseChanges(order.id)).at(-1)!;
        assert.deepEqual(
          [last.oldDate, last.newDate, last.oldConfidence, last.newConfidence],
          ['2026-12-16', '2026-12-16', 'confirmed', 'estimated'],
        );
      });

      it('a cut purchase-order line re-pegs the queue; a cancelled order leaves lines unpromised', async () => {
        const first = await supplierPo('W1', [
          { sku: 'KET', ordered: 5, expectedDate: '2026-12-05' },
        ]);
        const second = await supplierPo('W1', [
          { sku: 'KET', ordered: 4, expectedDate: '2026-12-15' },
        ]);
        const a = await backorder('KET', 3);
        const b = await backorder('KET', 2);
        assert.equal(b.lines[0]!.promise?.restsOn[0]?.lineId, first.lineIds[0]);
        const cut = await t.request({
          method: 'PATCH',
          url: `/v1/purchase-orders/${first.id}/lines/${first.lineIds[0]}`,
          body: { quantity: 3, reason: 'short shipment' },
        });
        assert.equal(cut.statusCode, 200, cut.body);
        const [a1, b1] = await Promise.all([getOrder(a.id), getOrder(b.id)]);
        assert.deepEqual(
          a1.lines[0]!.promise,
          a.lines[0]!.promise,
          'the first in line keeps its promise',
        );
        assert.deepEqual(
          [b1.lines[0]!.promise?.date, b1.lines[0]!.promise?.restsOn.map((r) => r.lineId)],
          ['2026-12-16', [second.lineIds[0]]],
        );
        assert.equal(await promisedOn(first.lineIds[0]!), 3);
        assert.equal(await promisedOn(second.lineIds[0]!), 2);
        assert.deepEqual(
          (await promiseChanges(b.id)).map((c) => [c.oldDate, c.newDate]),
          [['2026-12-06', '2026-12-16']],
        );
        assert.deepEqual(await promiseChanges(a.id), []);

        const dropped = await t.request({
          method: 'POST',
          url: `/v1/purchase-orders/${second.id}/cancel`,
          body: {},
        });
        assert.equal(dropped.statusCode, 200, dropped.body);
        const b2 = await getOrder(b.id);
        assert.deepEqual(
          [b2.lines[0]!.state, b2.lines[0]!.unpromised, b2.lines[0]!.promise],
          ['unpromised', 2, null],
        );
        assert.equal(await promisedOn(second.lineIds[0]!), 0);
        const unpromised = await waiting();
        assert.deepEqual(unpromised, {
          items: [
            {
              orderId: b.id,
              channel: 'web',
              line: 1,
              sku: 'KET',
              name: 'Kettle',
              reference: null,
              customer: null,
              backordered: 2,
              unpromised: 2,
              promisedDate: null,
              keptWaiting: null,
              locations: ['W1'],
              orderedAt: TEST_NOW,
            },
          ],
          nextCursor: null,
        });
        const backordered = await waiting('?state=backordered');
        assert.deepEqual(
          backordered.items.map((w) => [w.orderId, w.backordered, w.promisedDate]),
          [
            [a.id, 3, '2026-12-06'],
            [b.id, 2, null],
          ],
        );
        const paged = await waiting('?state=backordered&limit=1');
        assert.equal(paged.items[0]?.orderId, a.id);
        assert.ok(paged.nextCursor);
        const next = await waiting(`?state=backordered&limit=1&cursor=${paged.nextCursor}`);
        assert.deepEqual(
          next.items.map((w) => w.orderId),
          [b.id],
        );
        await insertItem(t.ctx, { sku: 'MUG' });
        assert.deepEqual((await waiting('?sku=MUG')).items, []);
        assert.equal((await waiting('?sku=KET')).items.length, 1);
        await rejected(
          () => t.request({ method: 'GET', url: '/v1/order-lines/waiting?sku=NOPE' }),
          404,
          'ITEM_NOT_FOUND',
        );
        await rejected(
          () => t.request({ method: 'GET', url: '/v1/order-lines/waiting?state=ready' }),
          400,
          'VALIDATION_FAILED',
        );
      });
      it('waiting lines name the item, order reference, customer and where they wait; filter by location', async () => {
        await supplierPo('W1', [{ sku: 'KET', ordered: 2, expectedDate: '2026-12-05' }]);
        const atS1 = await supplierPo('S1', [
          { sku: 'KET', ordered: 5, expectedDate: '2026-12-09' },
        ]);
        // 2 from W1's order, then 1 from S1's: one line waiting at two locations.
        const web = await kit.placed({
          channel: 'web',
          reference: 'WEB-77',
          customer: { name: 'Ada Lovelace', email: 'ada@example.test' },
          lines: [{ sku: 'KET', quantity: 3, acceptBackorder: true }],
        });
        const pos = await backorder('KET', 2, 'pos');
        const all = await waiting('?state=backordered');
        assert.deepEqual(
          all.items.map((w) => [w.orderId, w.reference, w.customer?.name, w.name, w.locations]),
          [
            [web.id, 'WEB-77', 'Ada Lovelace', 'Kettle', ['S1', 'W1']],
            [pos.id, null, undefined, 'Kettle', ['S1']],
          ],
        );
        assert.equal(all.items[0]!.customer?.id, web.customer?.id);
        const at = async (location: string) =>
          (await waiting(`?state=backordered&location=${location}`)).items.map((w) => w.orderId);
        assert.deepEqual(await at('W1'), [web.id]);
        assert.deepEqual(await at('S1'), [web.id, pos.id]);

        // Cancelling S1's order leaves the pos line unpromised; pos is filled from S1 first.
        const dropped = await t.request({
          method: 'POST',
          url: `/v1/purchase-orders/${atS1.id}/cancel`,
          body: {},
        });
        assert.equal(dropped.statusCode, 200, dropped.body);
        const unpromised = await waiting('?location=S1');
        assert.deepEqual(
          unpromised.items.map((w) => [w.orderId, w.unpromised, w.locations]),
          [[pos.id, 2, ['S1']]],
        );
        // The web line lost its S1 unit: unpromised, it waits at web's first location, W1.
        assert.deepEqual(
          (await waiting('?location=W1')).items.map((w) => [w.orderId, w.unpromised, w.locations]),
          [[web.id, 1, ['W1']]],
        );
        await rejected(
          () => t.request({ method: 'GET', url: '/v1/order-lines/waiting?location=NOWHERE' }),
          404,
          'LOCATION_NOT_FOUND',
        );
      });
      it('keeping an undated line waiting records the decision until the line loses its date again', async () => {
        const po = await supplierPo('W1', [{ sku: 'KET', ordered: 4, expectedDate: '2026-12-05' }]);
        const order = await backorder('KET', 3);
        const keep = (id: number, line: number, body?: unknown, key = t.staffKey) =>
          t.request({
            method: 'POST',
            url: `/v1/orders/${id}/lines/${line}/keep-waiting`,
            ...(body !== undefined && { body }),
            key,
          });
        // Dated: nothing to decide.
        const early = assertError(await keep(order.id, 1), 409, 'NOT_UNPROMISED');
        assert.deepEqual(early.details, { orderId: order.id, line: 1, state: 'backordered' });

        const cut = await t.request({
          method: 'PATCH',
          url: `/v1/purchase-orders/${po.id}/lines/${po.lineIds[0]}`,
          body: { quantity: 1, reason: 'short' },
        });
        assert.equal(cut.statusCode, 200, cut.body);
        assert.equal((await waiting()).items[0]?.keptWaiting, null);

        t.clock.set('2026-11-26T11:00:00.000Z');
        const kept = await keep(order.id, 1, { note: 'customer will wait' });
        assert.equal(kept.statusCode, 200, kept.body);
        const decision = json<Record<string, unknown>>(kept);
        assert.match(String(decision.actor), /^key:\d+\//);
        assert.deepEqual(
          { ...decision, actor: 'x' },
          {
            orderId: order.id,
            line: 1,
            decision: 'keep_waiting',
            note: 'customer will wait',
            actor: 'x',
            decidedAt: '2026-11-26T11:00:00.000Z',
            unpromised: 2,
          },
        );
        const line = (await waiting()).items[0]!;
        assert.equal(line.unpromised, 2);
        assert.deepEqual(
          { ...line.keptWaiting, actor: 'x' },
          {
            decision: 'keep_waiting',
            note: 'customer will wait',
            actor: 'x',
            decidedAt: '2026-11-26T11:00:00.000Z',
          },
        );
        // Nothing on the order changed.
        const after = await getOrder(order.id);
        assert.deepEqual(
          [after.state, after.lines[0]!.state, after.lines[0]!.cancelled],
          ['waiting', 'unpromised', 0],
        );
        // Without a body, a later decision replaces the first.
        t.clock.set('2026-11-26T12:00:00.000Z');
        const again = await keep(order.id, 1);
        assert.equal(again.statusCode, 200, again.body);
        assert.equal((await waiting()).items[0]!.keptWaiting?.note, null);

        // Dated again, then undated again later: the old decision no longer stands.
        t.clock.set('2026-11-27T09:00:00.000Z');
        // Through the API, so that sending it re-promises the queue.
        const supplier = await t.request({
          method: 'POST',
          url: '/v1/suppliers',
          body: { code: 'MORE', name: 'More Kettles', email: 'po@more.test', leadTimeDays: 5 },
        });
        assert.equal(supplier.statusCode, 201, supplier.body);
        const created = await t.request({
          method: 'POST',
          url: '/v1/purchase-orders',
          body: {
            supplier: 'MORE',
            location: 'W1',
            lines: [{ sku: 'KET', quantity: 2, unitCost: 5, expectedDate: '2026-12-09' }],
          },
        });
        assert.equal(created.statusCode, 201, created.body);
        const more = json<{ id: number }>(created);
        const sent = await t.request({
          method: 'POST',
          url: `/v1/purchase-orders/${more.id}/send`,
        });
        assert.equal(sent.statusCode, 200, sent.body);
        assert.equal((await waiting()).items.length, 0);
        const dropped = await t.request({
          method: 'POST',
          url: `/v1/purchase-orders/${more.id}/cancel`,
          body: {},
        });
        assert.equal(dropped.statusCode, 200, dropped.body);
        assert.equal((await waiting()).items[0]?.keptWaiting, null);

        await rejected(() => keep(order.id, 2), 404, 'ORDER_LINE_NOT_FOUND');
        await rejected(() => keep(999999, 1), 404, 'ORDER_NOT_FOUND');
        await rejected(() => keep(order.id, 1, { reason: 'x' }), 400, 'VALIDATION_FAILED');
        await rejected(() => keep(order.id, 1, { note: '' }), 400, 'VALIDATION_FAILED');
        await rejected(
          async () => keep(order.id, 1, {}, await t.channelKey('web')),
          403,
          'FORBIDDEN',
        );
      });
    });

    describe('reports', () => {
      it('lists orders oldest first, by page, scoped to a channel key', async () => {
        await putStock(t.ctx, 'KET', 'W1', 10);
        await putStock(t.ctx, 'KET', 'S1', 10);
        const ids = [];
        for (const channel of ['web', 'pos', 'web', 'web']) {
          ids.push((await placed(channel, [{ sku: 'KET', quantity: 1 }])).id);
        }
        const list = async (query: string, key?: string) => {
          const response = await t.request({
            method: 'GET',
            url: `/v1/orders${query}`,
            ...(key !== undefined && { key }),
          });
          assert.equal(response.statusCode, 200, response.body);
          return json<Page<OrderDoc>>(response);
        };
        const all = await list('');
        assert.deepEqual(
          all.items.map((o) => o.id),
          ids,
        );
        assert.equal(all.nextCursor, null);
        assert.deepEqual(all.items[1], await getOrder(ids[1]!));
        const page1 = await list('?limit=3');
        assert.deepEqual(
          page1.items.map((o) => o.id),
          ids.slice(0, 3),
        );
        const page2 = await list(`?limit=3&cursor=${page1.nextCursor}`);
        assert.deepEqual(
          page2.items.map((o) => o.id),
          ids.slice(3),
        );
        assert.equal(page2.nextCursor, null);
        assert.deepEqual(
          (await list('?channel=pos', t.staffKey)).items.map((o) => o.id),
          [ids[1]],
        );
        const webKey = await t.channelKey('web');
        assert.deepEqual(
          (await list('', webKey)).items.map((o) => o.channel),
          ['web', 'web', 'web'],
        );
        assert.deepEqual(
          (await list('?channel=web&limit=2', webKey)).items.map((o) => o.id),
          [ids[0], ids[2]],
        );
        await rejected(
          () => t.request({ method: 'GET', url: '/v1/orders?channel=nowhere' }),
          404,
          'CHANNEL_NOT_FOUND',
        );
        await rejected(
          () => t.request({ method: 'GET', url: '/v1/orders?cursor=%%%' }),
          400,
          'INVALID_CURSOR',
        );
      });

      it('lists lost demand newest first, filtered by SKU and channel, by page', async () => {
        await insertItem(t.ctx, { sku: 'MUG' });
        for (const [channel, sku, quantity] of [
          ['web', 'KET', 2],
          ['web', 'MUG', 1],
          ['pos', 'KET', 3],
        ] as const) {
          const response = await place({ channel, lines: [{ sku, quantity }] });
          assertError(response, 409, 'ORDER_REFUSED');
        }
        const lost = async (query: string) => {
          const response = await t.request({
            method: 'GET',
            url: `/v1/lost-demand${query}`,
            key: t.staffKey,
          });
          assert.equal(response.statusCode, 200, response.body);
          return json<
            Page<{
              sku: string;
              channel: string;
              quantity: number;
              state: string;
              available: number;
              at: string;
            }>
          >(response);
        };
        const all = await lost('');
        assert.deepEqual(all.items, [
          {
            sku: 'KET',
            channel: 'pos',
            quantity: 3,
            state: 'out_of_stock',
            available: 0,
            at: TEST_NOW,
          },
          {
            sku: 'MUG',
            channel: 'web',
            quantity: 1,
            state: 'out_of_stock',
            available: 0,
            at: TEST_NOW,
          },
          {
            sku: 'KET',
            channel: 'web',
            quantity: 2,
            state: 'out_of_stock',
            available: 0,
            at: TEST_NOW,
          },
        ]);
        assert.deepEqual(
          (await lost('?sku=KET')).items.map((r) => [r.channel, r.quantity]),
          [
            ['pos', 3],
            ['web', 2],
          ],
        );
        assert.deepEqual(
          (await lost('?channel=web')).items.map((r) => r.sku),
          ['MUG', 'KET'],
        );
        assert.deepEqual(
          (await lost('?channel=web&sku=KET')).items.map((r) => r.quantity),
          [2],
        );
        const first = await lost('?limit=2');
        assert.deepEqual(
          first.items.map((r) => r.quantity),
          [3, 1],
        );
        const second = await lost(`?limit=2&cursor=${first.nextCursor}`);
        assert.deepEqual(second, { items: [all.items[2]], nextCursor: null });
        await rejected(
          () => t.request({ method: 'GET', url: '/v1/lost-demand?sku=NOPE' }),
          404,
          'ITEM_NOT_FOUND',
        );
        await rejected(
          () => t.request({ method: 'GET', url: '/v1/lost-demand?channel=nowhere' }),
          404,
          'CHANNEL_NOT_FOUND',
        );
      });
    });
  });
}
