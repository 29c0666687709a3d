import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { assertError, counts, type OrderDoc, orderKit, type Page } from '../helpers/orders.js';

/**
 * What happens to orders after they are placed, through the API: cancelling (waiting
 * units first, freed stock and supply passed to the queue) and fulfilling (ledger rows,
 * replays, conflicts, locations, preorders).
 */

for (const target of testDatabases()) {
  describe(`order routes: cancel and fulfil (${target.kind})`, () => {
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
      cancel,
      fulfil,
      stockOf,
      promisedOn,
      promiseChanges,
      waiting,
      events,
      count,
      rejected,
      unchanged,
      supplierPo,
    } = kit;
    async function placed(channel: string, lines: unknown[]): Promise<OrderDoc> {
      return kit.placed({ channel, lines });
    }

    const backorder = (sku: string, quantity: number, channel = 'web') =>
      placed(channel, [{ sku, quantity, acceptBackorder: true }]);

    async function cancelled(id: number, body: unknown = {}): Promise<OrderDoc> {
      const response = await cancel(id, body);
      assert.equal(response.statusCode, 200, response.body);
      return json<OrderDoc>(response);
    }

    describe('cancel', () => {
      it('cancels part of a line, waiting units first, then reserved ones', async () => {
        await putStock(t.ctx, 'KET', 'W1', 2);
        const po = await supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-05' }]);
        const order = await backorder('KET', 4);
        assert.deepEqual(counts(order.lines[0]!), {
          state: 'backordered',
          allocated: 2,
          backordered: 2,
          fulfilled: 0,
          cancelled: 0,
          unpromised: 0,
        });
        assert.equal(await promisedOn(po.lineIds[0]!), 2);

        const one = await cancelled(order.id, { lines: [{ line: 1, quantity: 1 }] });
        assert.deepEqual(counts(one.lines[0]!), {
          state: 'backordered',
          allocated: 2,
          backordered: 1,
          fulfilled: 0,
          cancelled: 1,
          unpromised: 0,
        });
        assert.equal(one.lines[0]!.promise?.restsOn[0]?.quantity, 1);
        assert.equal(await promisedOn(po.lineIds[0]!), 1);
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 2, reserved: 2, available: 0 });

        const two = await cancelled(order.id, { lines: [{ line: 1, quantity: 2 }], reason: 'x' });
        assert.deepEqual(counts(two.lines[0]!), {
          state: 'ready',
          allocated: 1,
          backordered: 0,
          fulfilled: 0,
          cancelled: 3,
          unpromised: 0,
        });
        assert.equal(two.lines[0]!.promise, null);
        assert.equal(two.state, 'ready');
        assert.equal(await promisedOn(po.lineIds[0]!), 0);
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 2, reserved: 1, available: 1 });

        const error = await rejected(
          () => cancel(order.id, { lines: [{ line: 1, quantity: 2 }] }),
          409,
          'CANCEL_EXCEEDS_OPEN',
        );
        assert.deepEqual(error.details, { id: order.id, line: 1, open: 1, quantity: 2 });

        const all = await cancelled(order.id);
        assert.equal(all.state, 'cancelled');
        assert.deepEqual(counts(all.lines[0]!), {
          state: 'cancelled',
          allocated: 0,
          backordered: 0,
          fulfilled: 0,
          cancelled: 4,
          unpromised: 0,
        });
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 2, reserved: 0, available: 2 });
        await rejected(() => cancel(order.id), 409, 'NOTHING_TO_CANCEL');
        await rejected(
          () => cancel(order.id, { lines: [{ line: 1, quantity: 1 }] }),
          409,
          'CANCEL_EXCEEDS_OPEN',
        );
        const payloads = (await events('order.cancelled')).map((e) => e.payload);
        assert.deepEqual(
          payloads.map((p) => [p.lines, p.reason]),
          [
            [[{ line: 1, sku: 'KET', quantity: 1 }], null],
            [[{ line: 1, sku: 'KET', quantity: 2 }], 'x'],
            [[{ line: 1, sku: 'KET', quantity: 1 }], null],
          ],
        );
      });

      it('cancels one line of an order and leaves the others', async () => {
        await insertItem(t.ctx, { sku: 'MUG' });
        await putStock(t.ctx, 'KET', 'W1', 2);
        await putStock(t.ctx, 'MUG', 'S1', 3);
        const order = await placed('web', [
          { sku: 'KET', quantity: 2 },
          { sku: 'MUG', quantity: 3 },
        ]);
        const after = await cancelled(order.id, { lines: [{ line: 2 }] });
        assert.deepEqual(
          after.lines.map((l) => [l.state, l.allocated, l.cancelled]),
          [
            ['ready', 2, 0],
            ['cancelled', 0, 3],
          ],
        );
        assert.equal(after.state, 'ready');
        assert.deepEqual(await stockOf('MUG', 'S1'), { onHand: 3, reserved: 0, available: 3 });
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 2, reserved: 2, available: 0 });
      });

      it('a channel key cancels its own orders', async () => {
        await putStock(t.ctx, 'KET', 'S1', 2);
        const pos = await t.channelKey('pos');
        const response = await place(
          { channel: 'pos', lines: [{ sku: 'KET', quantity: 2 }] },
          { key: pos },
        );
        assert.equal(response.statusCode, 201, response.body);
        const { id } = json<OrderDoc>(response);
        const done = await t.request({
          method: 'POST',
          url: `/v1/orders/${id}/cancel`,
          key: pos,
        });
        assert.equal(done.statusCode, 200, done.body);
        assert.equal(json<OrderDoc>(done).state, 'cancelled');
      });

      it('freed supply goes to the next order in the queue', async () => {
        const po = await supplierPo('W1', [{ sku: 'KET', ordered: 4, expectedDate: '2026-12-05' }]);
        const first = await backorder('KET', 4);
        const refused = await place({
          channel: 'web',
          lines: [{ sku: 'KET', quantity: 3, acceptBackorder: true }],
        });
        assertError(refused, 409, 'ORDER_REFUSED');
        await cancelled(first.id);
        assert.equal(await promisedOn(po.lineIds[0]!), 0);
        const second = await backorder('KET', 3);
        assert.equal(second.lines[0]!.promise?.restsOn[0]?.lineId, po.lineIds[0]);
        assert.equal(await promisedOn(po.lineIds[0]!), 3);
      });

      it('freed stock fills a waiting backorder before it is sold again', async () => {
        await putStock(t.ctx, 'KET', 'W1', 2);
        await supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-05' }]);
        const first = await placed('web', [{ sku: 'KET', quantity: 2 }]);
        const waitingOrder = await backorder('KET', 3);
        assert.equal(waitingOrder.lines[0]!.backordered, 3);
        await cancelled(first.id);
        const filled = await getOrder(waitingOrder.id);
        assert.deepEqual(
          [filled.lines[0]!.allocated, filled.lines[0]!.backordered],
          [2, 1],
          JSON.stringify(filled),
        );
        assert.equal(filled.lines[0]!.promise?.restsOn[0]?.quantity, 1);
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 2, reserved: 2, available: 0 });
      });

      it('an unpromised line is promised again when an earlier order gives up its supply', async () => {
        const early = await supplierPo('W1', [
          { sku: 'KET', ordered: 4, expectedDate: '2026-12-05' },
        ]);
        const late = await supplierPo('W1', [
          { sku: 'KET', ordered: 3, expectedDate: '2026-12-10' },
        ]);
        const first = await backorder('KET', 4);
        const second = await backorder('KET', 3);
        assert.equal(second.lines[0]!.promise?.date, '2026-12-11');
        const dropped = await t.request({
          method: 'POST',
          url: `/v1/purchase-orders/${late.id}/cancel`,
          body: { reason: 'supplier gone' },
        });
        assert.equal(dropped.statusCode, 200, dropped.body);
        const unpromised = await getOrder(second.id);
        assert.deepEqual(counts(unpromised.lines[0]!), {
          state: 'unpromised',
          allocated: 0,
          backordered: 3,
          fulfilled: 0,
          cancelled: 0,
          unpromised: 3,
        });
        assert.equal(unpromised.lines[0]!.promise, null);
        assert.equal(unpromised.state, 'waiting');
        assert.deepEqual(
          (await waiting()).items.map((w) => [w.orderId, w.unpromised, w.promisedDate]),
          [[second.id, 3, null]],
        );

        await cancelled(first.id);
        const promised = await getOrder(second.id);
        assert.deepEqual(
          [
            promised.lines[0]!.state,
            promised.lines[0]!.unpromised,
            promised.lines[0]!.promise?.date,
          ],
          ['backordered', 0, '2026-12-06'],
        );
        assert.equal(promised.lines[0]!.promise?.restsOn[0]?.lineId, early.lineIds[0]);
        assert.equal(await promisedOn(early.lineIds[0]!), 3);
        assert.deepEqual((await waiting()).items, []);
        const changes = await promiseChanges(second.id);
        assert.deepEqual(
          changes.map((c) => [c.oldDate, c.newDate, c.newConfidence]),
          [
            ['2026-12-11', null, null],
            [null, '2026-12-06', 'confirmed'],
          ],
        );
        assert.match(changes[0]!.reason, new RegExp(`purchase order ${late.id} cancelled`));
        assert.equal(changes[1]!.reason, `order ${first.id} cancelled in part or whole`);
        const repromised = (await events('order_line.repromised')).map((e) => e.payload);
        assert.deepEqual(
          repromised.map((p) => [p.orderId, p.direction]),
          [
            [second.id, 'unpromised'],
            [second.id, 'promised'],
          ],
        );
      });
    });

    describe('fulfil', () => {
      it('ships part then the rest, with sale ledger rows; replays and conflicts', async () => {
        await putStock(t.ctx, 'KET', 'W1', 3);
        const order = await placed('web', [{ sku: 'KET', quantity: 3 }]);
        const ledgerBefore = await count('stock_ledger');
        const first = await fulfil(order.id, {
          fulfilmentId: 'SHIP-1',
          kind: 'shipment',
          lines: [{ line: 1, quantity: 1 }],
        });
        assert.equal(first.statusCode, 201, first.body);
        assert.equal(first.headers['idempotent-replayed'], 'false');
        const receipt = json<{
          fulfilmentId: string;
          orderId: number;
          kind: string;
          createdAt: string;
          lines: unknown[];
          order: OrderDoc;
        }>(first);
        assert.deepEqual(
          { ...receipt, order: undefined },
          {
            fulfilmentId: 'SHIP-1',
            orderId: order.id,
            kind: 'shipment',
            createdAt: TEST_NOW,
            lines: [{ line: 1, sku: 'KET', location: 'W1', quantity: 1 }],
            order: undefined,
          },
        );
        assert.deepEqual(counts(receipt.order.lines[0]!), {
          state: 'ready',
          allocated: 2,
          backordered: 0,
          fulfilled: 1,
          cancelled: 0,
          unpromised: 0,
        });
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 2, reserved: 2, available: 0 });
        assert.equal(await count('stock_ledger'), ledgerBefore + 1);
        const ledger = await t.request({
          method: 'GET',
          url: '/v1/stock/ledger?sku=KET&location=W1',
        });
        const [sale] = json<Page<Record<string, unknown>>>(ledger).items;
        assert.deepEqual(
          [sale?.type, sale?.quantity, sale?.onHandAfter, sale?.reason, sale?.reference],
          ['sale', -1, 2, 'order shipped', `order:${order.id}/fulfilment:SHIP-1`],
        );

        const replay = await unchanged(() =>
          fulfil(order.id, {
            fulfilmentId: 'SHIP-1',
            kind: 'shipment',
            lines: [{ line: 1, quantity: 1 }],
          }),
        );
        assert.equal(replay.statusCode, 200, replay.body);
        assert.equal(replay.headers['idempotent-replayed'], 'true');
        assert.equal(replay.body, first.body);

        await rejected(
          () =>
            fulfil(order.id, {
              fulfilmentId: 'SHIP-1',
              kind: 'shipment',
              lines: [{ line: 1, quantity: 2 }],
            }),
          409,
          'FULFILMENT_ID_CONFLICT',
        );
        const tooMany = await rejected(
          () =>
            fulfil(order.id, {
              fulfilmentId: 'SHIP-2',
              kind: 'shipment',
              lines: [{ line: 1, quantity: 3 }],
            }),
          409,
          'NOT_ALLOCATED',
        );
        assert.equal(tooMany.details.reserved, 2);

        const rest = await fulfil(order.id, {
          fulfilmentId: 'PICK-2',
          kind: 'pickup',
          lines: [{ line: 1, quantity: 2 }],
        });
        assert.equal(rest.statusCode, 201, rest.body);
        const done = json<{ order: OrderDoc }>(rest).order;
        assert.equal(done.state, 'fulfilled');
        assert.deepEqual(counts(done.lines[0]!), {
          state: 'fulfilled',
          allocated: 0,
          backordered: 0,
          fulfilled: 3,
          cancelled: 0,
          unpromised: 0,
        });
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 0, reserved: 0, available: 0 });
        const ledgerAfter = json<Page<Record<string, unknown>>>(
          await t.request({ method: 'GET', url: '/v1/stock/ledger?sku=KET&location=W1' }),
        ).items;
        assert.deepEqual(
          [ledgerAfter[0]?.quantity, ledgerAfter[0]?.reason, ledgerAfter[0]?.reference],
          [-2, 'order picked up', `order:${order.id}/fulfilment:PICK-2`],
        );
        assert.deepEqual(
          [...(await events('order.shipped')), ...(await events('order.picked_up'))].map((e) => [
            e.type,
            e.subject,
          ]),
          [
            ['order.shipped', `order:${order.id}`],
            ['order.picked_up', `order:${order.id}`],
          ],
        );
        await rejected(() => cancel(order.id), 409, 'NOTHING_TO_CANCEL');
        const audit = await t.request({ method: 'GET', url: '/v1/stock/audit' });
        assert.equal(json<{ ok: boolean }>(audit).ok, true, audit.body);
      });

      it('fulfils at a named location', async () => {
        await putStock(t.ctx, 'KET', 'W1', 1);
        await putStock(t.ctx, 'KET', 'S1', 2);
        const order = await placed('web', [{ sku: 'KET', quantity: 3 }]);
        const pickup = await fulfil(order.id, {
          fulfilmentId: 'P1',
          kind: 'pickup',
          lines: [{ line: 1, quantity: 2, location: 'S1' }],
        });
        assert.equal(pickup.statusCode, 201, pickup.body);
        assert.deepEqual(json<{ lines: unknown[] }>(pickup).lines, [
          { line: 1, sku: 'KET', location: 'S1', quantity: 2 },
        ]);
        assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 0, reserved: 0, available: 0 });
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 1, reserved: 1, available: 0 });
        const none = await rejected(
          () =>
            fulfil(order.id, {
              fulfilmentId: 'P2',
              kind: 'pickup',
              lines: [{ line: 1, quantity: 1, location: 'S1' }],
            }),
          409,
          'NOT_ALLOCATED',
        );
        assert.deepEqual([none.details.reserved, none.details.location], [0, 'S1']);
        await rejected(
          () =>
            fulfil(order.id, {
              fulfilmentId: 'P2',
              kind: 'pickup',
              lines: [{ line: 1, quantity: 1, location: 'ZZ9' }],
            }),
          404,
          'LOCATION_NOT_FOUND',
        );
        const rest = await fulfil(order.id, {
          fulfilmentId: 'S2',
          kind: 'shipment',
          lines: [{ line: 1, quantity: 1 }],
        });
        assert.equal(rest.statusCode, 201, rest.body);
        assert.equal(json<{ order: OrderDoc }>(rest).order.state, 'fulfilled');
      });

      it('refuses units that are not reserved, and preorders before their release', async () => {
        await supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-05' }]);
        const waitingOrder = await backorder('KET', 2);
        await rejected(
          () =>
            fulfil(waitingOrder.id, {
              fulfilmentId: 'F1',
              kind: 'shipment',
              lines: [{ line: 1, quantity: 1 }],
            }),
          409,
          'NOT_ALLOCATED',
        );
        await insertItem(t.ctx, { sku: 'GAME', releaseDate: '2026-12-20', preordersEnabled: true });
        await putStock(t.ctx, 'GAME', 'W1', 2);
        const preorder = await placed('web', [{ sku: 'GAME', quantity: 2 }]);
        assert.equal(preorder.lines[0]!.allocated, 2);
        const error = await rejected(
          () =>
            fulfil(preorder.id, {
              fulfilmentId: 'F1',
              kind: 'shipment',
              lines: [{ line: 1, quantity: 1 }],
            }),
          409,
          'NOT_RELEASED',
        );
        assert.equal(error.details.releaseDate, '2026-12-20');
        t.clock.set('2026-12-20T09:00:00.000Z');
        const shipped = await fulfil(preorder.id, {
          fulfilmentId: 'F1',
          kind: 'shipment',
          lines: [{ line: 1, quantity: 2 }],
        });
        assert.equal(shipped.statusCode, 201, shipped.body);
      });
    });
  });
}
