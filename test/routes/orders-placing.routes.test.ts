import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { type Basis, type OrderDoc, orderKit } from '../helpers/orders.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

/**
 * Placing and quoting orders through the API: refusals (nothing reserved, lost demand
 * recorded, each line named with alternatives), allocation across locations, and promises
 * on incoming supply, lead time and release dates.
 */

for (const target of testDatabases()) {
  describe(`order routes: placing and quoting (${target.kind})`, () => {
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

    const { placed, stockOf, promisedOn, lostDemandRows, snapshot, refusedOrder, link, supplies } =
      orderKit(() => t);
    const web = (lines: unknown[], extra: Record<string, unknown> = {}) => ({
      channel: 'web',
      lines,
      ...extra,
    });

    describe('refusals: nothing reserved or promised, lost demand recorded', () => {
      it('out of stock with no supply: names the line, alternatives and how to subscribe', async () => {
        await insertItem(t.ctx, { sku: 'KET-NEW', name: 'New kettle' });
        await putStock(t.ctx, 'KET-NEW', 'W1', 4);
        await link('KET', 'KET-NEW');
        await putStock(t.ctx, 'KET', 'S1', 1);
        await insertItem(t.ctx, { sku: 'MUG' });
        await putStock(t.ctx, 'MUG', 'W1', 9);
        const { error, lines, newLostDemand } = await refusedOrder(
          web([
            { sku: 'MUG', quantity: 2 },
            { sku: 'KET', quantity: 3, acceptBackorder: true },
          ]),
        );
        assert.match(error.message, /line 2 \(KET\) is out_of_stock/);
        assert.equal(lines.length, 1, JSON.stringify(lines));
        const line = lines[0]!;
        assert.deepEqual(
          {
            line: line.line,
            sku: line.sku,
            quantity: line.quantity,
            state: line.state,
            available: line.available,
            incoming: line.incoming,
          },
          { line: 2, sku: 'KET', quantity: 3, state: 'out_of_stock', available: 1, incoming: 0 },
        );
        assert.match(line.reason, /Only 1 available for 3 requested; no incoming supply/);
        assert.equal(line.alternatives[0]?.sku, 'KET-NEW', JSON.stringify(line.alternatives));
        assert.equal(line.alternatives[0]?.reason, 'replacement');
        assert.deepEqual(line.subscribe, {
          method: 'POST',
          path: '/v1/subscriptions',
          body: { sku: 'KET', channel: 'web' },
        });
        // The mug line was fine, yet nothing of it was reserved either.
        assert.deepEqual(await stockOf('MUG', 'W1'), { onHand: 9, reserved: 0, available: 9 });
        assert.deepEqual(
          newLostDemand.map((r) => [r.quantity, r.state, r.available]),
          [[3, 'out_of_stock', 1]],
        );
        assert.deepEqual(await lostDemandRows(), [
          { sku: 'KET', channel: 'web', quantity: 3, state: 'out_of_stock' },
        ]);
      });

      it('one lost-demand row per refused line, each line named', async () => {
        await insertItem(t.ctx, { sku: 'MUG' });
        const { lines } = await refusedOrder(
          web([
            { sku: 'KET', quantity: 1 },
            { sku: 'MUG', quantity: 2 },
          ]),
        );
        assert.deepEqual(
          lines.map((l) => [l.line, l.sku, l.state]),
          [
            [1, 'KET', 'out_of_stock'],
            [2, 'MUG', 'out_of_stock'],
          ],
        );
        assert.deepEqual(await lostDemandRows(), [
          { sku: 'KET', channel: 'web', quantity: 1, state: 'out_of_stock' },
          { sku: 'MUG', channel: 'web', quantity: 2, state: 'out_of_stock' },
        ]);
      });

      it('a possible backorder the line does not accept: state backorder, nothing promised', async () => {
        await putStock(t.ctx, 'KET', 'W1', 1);
        const supplier = await insertSupplier(t.ctx);
        const po = await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'W1',
          state: 'confirmed',
          lines: [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-05' }],
        });
        const { lines, newLostDemand } = await refusedOrder(web([{ sku: 'KET', quantity: 3 }]));
        const line = lines[0]!;
        assert.equal(line.state, 'backorder');
        assert.equal(line.available, 1);
        assert.equal(line.incoming, 5);
        assert.deepEqual(line.backorder, { quantity: 2, date: '2026-12-06' });
        assert.match(line.reason, /does not accept backorders/);
        assert.equal(await promisedOn(po.lineIds[0]!), 0);
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 1, reserved: 0, available: 1 });
        assert.deepEqual(
          newLostDemand.map((r) => [r.quantity, r.state, r.available]),
          [[3, 'backorder', 1]],
        );
        // Accepting the backorder, the same order goes through.
        const order = await placed(web([{ sku: 'KET', quantity: 3, acceptBackorder: true }]));
        assert.equal(order.lines[0]!.backordered, 2);
        assert.equal(await promisedOn(po.lineIds[0]!), 2);
      });

      it('discontinued: only what is left sells', async () => {
        await insertItem(t.ctx, { sku: 'OLD', status: 'discontinued' });
        await putStock(t.ctx, 'OLD', 'W1', 1);
        const supplier = await insertSupplier(t.ctx);
        await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'W1',
          state: 'sent',
          lines: [{ sku: 'OLD', ordered: 5, expectedDate: '2026-12-05' }],
        });
        const { lines, newLostDemand } = await refusedOrder(
          web([{ sku: 'OLD', quantity: 2, acceptBackorder: true }]),
        );
        assert.equal(lines[0]!.state, 'discontinued');
        assert.match(lines[0]!.reason, /Discontinued: only 1 left/);
        assert.deepEqual(
          newLostDemand.map((r) => [r.quantity, r.state]),
          [[2, 'discontinued']],
        );
        const last = await placed(web([{ sku: 'OLD', quantity: 1 }]));
        assert.equal(last.lines[0]!.state, 'ready');
      });

      it('not released and not sold as a preorder', async () => {
        await insertItem(t.ctx, { sku: 'NEW', releaseDate: '2026-12-20', preordersEnabled: false });
        await putStock(t.ctx, 'NEW', 'W1', 5);
        const { lines } = await refusedOrder(
          web([{ sku: 'NEW', quantity: 1, acceptBackorder: true }]),
        );
        assert.equal(lines[0]!.state, 'out_of_stock');
        assert.match(lines[0]!.reason, /Not released until 2026-12-20/);
        assert.deepEqual(await stockOf('NEW', 'W1'), { onHand: 5, reserved: 0, available: 5 });
      });

      it('backorder policy none refuses the shortfall even with supply incoming', async () => {
        await insertItem(t.ctx, { sku: 'NONE', backorderPolicy: 'none' });
        await putStock(t.ctx, 'NONE', 'W1', 1);
        const supplier = await insertSupplier(t.ctx);
        const po = await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'W1',
          state: 'sent',
          lines: [{ sku: 'NONE', ordered: 5, expectedDate: '2026-12-05' }],
        });
        const { lines } = await refusedOrder(
          web([{ sku: 'NONE', quantity: 2, acceptBackorder: true }]),
        );
        assert.equal(lines[0]!.state, 'out_of_stock');
        assert.equal(lines[0]!.incoming, 5);
        assert.match(lines[0]!.reason, /backorders are not allowed/);
        assert.equal(await promisedOn(po.lineIds[0]!), 0);
      });

      it('incoming supply already promised to earlier orders', async () => {
        const supplier = await insertSupplier(t.ctx);
        await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'W1',
          state: 'sent',
          lines: [{ sku: 'KET', ordered: 3, expectedDate: '2026-12-05' }],
        });
        await placed(web([{ sku: 'KET', quantity: 2, acceptBackorder: true }]));
        const { lines } = await refusedOrder(
          web([{ sku: 'KET', quantity: 2, acceptBackorder: true }]),
        );
        assert.equal(lines[0]!.incoming, 3);
        assert.match(lines[0]!.reason, /already promised to earlier orders/);
        await placed(web([{ sku: 'KET', quantity: 1, acceptBackorder: true }]));
      });

      it('quote answers the same without committing anything', async () => {
        await putStock(t.ctx, 'KET', 'W1', 1);
        const supplier = await insertSupplier(t.ctx);
        const po = await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'W1',
          state: 'sent',
          lines: [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-05' }],
        });
        await insertItem(t.ctx, { sku: 'MUG' });
        const before = await snapshot();
        const response = await t.request({
          method: 'POST',
          url: '/v1/orders/quote',
          body: web([
            { sku: 'KET', quantity: 3, acceptBackorder: true },
            { sku: 'MUG', quantity: 1 },
          ]),
        });
        assert.equal(response.statusCode, 200, response.body);
        assert.deepEqual(await snapshot(), before);
        const quote = json<{
          channel: string;
          purchasable: boolean;
          lines: {
            line: number;
            outcome: string;
            state: string;
            fromStock: unknown[];
            backorder: { quantity: number; date: string; restsOn: Basis[] } | null;
          }[];
        }>(response);
        assert.equal(quote.purchasable, false);
        assert.deepEqual(
          quote.lines.map((l) => [l.line, l.outcome, l.state]),
          [
            [1, 'backorder', 'backorder'],
            [2, 'refused', 'out_of_stock'],
          ],
        );
        assert.deepEqual(quote.lines[0]!.fromStock, [{ location: 'W1', quantity: 1 }]);
        assert.equal(quote.lines[0]!.backorder?.quantity, 2);
        assert.equal(quote.lines[0]!.backorder?.date, '2026-12-06');
        assert.equal(quote.lines[0]!.backorder?.restsOn[0]?.lineId, po.lineIds[0]);
        const channelQuote = await t.request({
          method: 'POST',
          url: '/v1/orders/quote',
          body: web([{ sku: 'KET', quantity: 1 }]),
          key: await t.channelKey('web'),
        });
        assert.equal(channelQuote.statusCode, 200, channelQuote.body);
        assert.equal(json<{ purchasable: boolean }>(channelQuote).purchasable, true);
      });
    });

    describe('allocation from stock', () => {
      it('takes from the channel locations in priority order, splitting a line', async () => {
        await putStock(t.ctx, 'KET', 'W1', 2);
        await putStock(t.ctx, 'KET', 'S1', 3);
        const order = await placed(
          web([{ sku: 'KET', quantity: 4 }], {
            reference: 'WEB-7',
            customer: { name: 'Ann', email: 'ann@example.com', phone: '+44 20 7946 0000' },
          }),
        );
        assert.deepEqual(
          { ...order, customer: { ...order.customer!, id: 0 } },
          {
            id: order.id,
            channel: 'web',
            reference: 'WEB-7',
            pickupLocation: null,
            customer: {
              id: 0,
              name: 'Ann',
              email: 'ann@example.com',
              phone: '+44 20 7946 0000',
              preferredChannel: 'email',
            },
            state: 'ready',
            lines: [
              {
                line: 1,
                sku: 'KET',
                quantity: 4,
                acceptBackorder: false,
                preorder: false,
                state: 'ready',
                allocated: 4,
                backordered: 0,
                fulfilled: 0,
                cancelled: 0,
                unpromised: 0,
                allocations: [
                  { location: 'W1', quantity: 2 },
                  { location: 'S1', quantity: 2 },
                ],
                promise: null,
              },
            ],
            createdAt: TEST_NOW,
            updatedAt: TEST_NOW,
          },
        );
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 2, reserved: 2, available: 0 });
        assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 3, reserved: 2, available: 1 });
        const read = await t.request({ method: 'GET', url: `/v1/orders/${order.id}` });
        assert.deepEqual(json<OrderDoc>(read), order);
        const pos = await placed({ channel: 'pos', lines: [{ sku: 'KET', quantity: 1 }] });
        assert.deepEqual(pos.lines[0]!.allocations, [{ location: 'S1', quantity: 1 }]);
        const events = await t.ctx.db
          .selectFrom('domain_events')
          .select(['type', 'subject'])
          .where('type', 'like', 'order%')
          .orderBy('id')
          .execute();
        assert.deepEqual(events, [
          { type: 'order.placed', subject: `order:${order.id}` },
          { type: 'order.placed', subject: `order:${pos.id}` },
        ]);
      });

      it('keeps safety stock out of reach', async () => {
        await putStock(t.ctx, 'KET', 'W1', 5, 3);
        await putStock(t.ctx, 'KET', 'S1', 1);
        const order = await placed(web([{ sku: 'KET', quantity: 3 }]));
        assert.deepEqual(order.lines[0]!.allocations, [
          { location: 'W1', quantity: 2 },
          { location: 'S1', quantity: 1 },
        ]);
        const { lines } = await refusedOrder(web([{ sku: 'KET', quantity: 1 }]));
        assert.equal(lines[0]!.available, 0);
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 5, reserved: 2, available: 0 });
      });

      it('several lines of one SKU share the stock in line order', async () => {
        await putStock(t.ctx, 'KET', 'W1', 3);
        await putStock(t.ctx, 'KET', 'S1', 2);
        const { lines } = await refusedOrder(
          web([
            { sku: 'KET', quantity: 3 },
            { sku: 'KET', quantity: 3 },
          ]),
        );
        assert.deepEqual(
          lines.map((l) => [l.line, l.available]),
          [[2, 2]],
        );
        const order = await placed(
          web([
            { sku: 'KET', quantity: 2 },
            { sku: 'KET', quantity: 2 },
            { sku: 'KET', quantity: 1 },
          ]),
        );
        assert.deepEqual(
          order.lines.map((l) => l.allocations),
          [
            [{ location: 'W1', quantity: 2 }],
            [
              { location: 'W1', quantity: 1 },
              { location: 'S1', quantity: 1 },
            ],
            [{ location: 'S1', quantity: 1 }],
          ],
        );
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 3, reserved: 3, available: 0 });
        assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 2, reserved: 2, available: 0 });
      });
    });

    describe('backorders and preorders', () => {
      it('pegs the shortfall to the earliest purchase order, dated with handling days', async () => {
        await insertItem(t.ctx, { sku: 'TOA', handlingDays: 2 });
        await putStock(t.ctx, 'TOA', 'S1', 1);
        const supplier = await insertSupplier(t.ctx, 'ACME');
        const late = await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'W1',
          state: 'sent',
          lines: [{ sku: 'TOA', ordered: 10, expectedDate: '2026-12-10' }],
        });
        const early = await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'W1',
          state: 'confirmed',
          lines: [{ sku: 'TOA', ordered: 10, expectedDate: '2026-12-05' }],
        });
        const order = await placed(web([{ sku: 'TOA', quantity: 4, acceptBackorder: true }]));
        const line = order.lines[0]!;
        assert.equal(order.state, 'waiting');
        assert.deepEqual(
          [line.state, line.allocated, line.backordered, line.unpromised],
          ['backordered', 1, 3, 0],
        );
        assert.deepEqual(line.allocations, [{ location: 'S1', quantity: 1 }]);
        assert.deepEqual(line.promise, {
          date: '2026-12-07',
          confidence: 'confirmed',
          restsOn: [
            {
              kind: 'purchase_order',
              purchaseOrderId: early.id,
              lineId: early.lineIds[0],
              supplier: 'ACME',
              location: 'W1',
              quantity: 3,
              expectedDate: '2026-12-05',
              confidence: 'confirmed',
            },
          ],
        });
        assert.equal(await promisedOn(early.lineIds[0]!), 3);
        assert.equal(await promisedOn(late.lineIds[0]!), 0);
        const types = await t.ctx.db
          .selectFrom('domain_events')
          .select('type')
          .where('subject', '=', `order:${order.id}`)
          .orderBy('id')
          .execute();
        assert.deepEqual(
          types.map((e) => e.type),
          ['order.placed', 'order.backordered'],
        );
      });

      it('splits a backorder across two purchase orders, dated by the later one', async () => {
        const supplier = await insertSupplier(t.ctx);
        const first = await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'W1',
          state: 'sent',
          lines: [{ sku: 'KET', ordered: 2, expectedDate: '2026-12-05' }],
        });
        const second = await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'S1',
          state: 'sent',
          lines: [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-12', confidence: 'estimated' }],
        });
        const order = await placed(web([{ sku: 'KET', quantity: 4, acceptBackorder: true }]));
        const promise = order.lines[0]!.promise!;
        assert.equal(promise.date, '2026-12-13');
        assert.equal(promise.confidence, 'estimated');
        assert.deepEqual(
          promise.restsOn.map((b) => [b.lineId, b.location, b.quantity, b.expectedDate]),
          [
            [first.lineIds[0], 'W1', 2, '2026-12-05'],
            [second.lineIds[0], 'S1', 2, '2026-12-12'],
          ],
        );
        assert.equal(await promisedOn(first.lineIds[0]!), 2);
        assert.equal(await promisedOn(second.lineIds[0]!), 2);
        // Supply of a location outside the channel is not promised: pos draws on S1 only.
        const pos = await placed({
          channel: 'pos',
          lines: [{ sku: 'KET', quantity: 3, acceptBackorder: true }],
        });
        assert.deepEqual(
          pos.lines[0]!.promise!.restsOn.map((b) => [b.lineId, b.quantity]),
          [[second.lineIds[0], 3]],
        );
        await refusedOrder({
          channel: 'pos',
          lines: [{ sku: 'KET', quantity: 1, acceptBackorder: true }],
        });
      });

      it('promises on supplier lead time (estimated) within the cap, and refuses beyond it', async () => {
        await insertItem(t.ctx, {
          sku: 'LT',
          backorderPolicy: 'lead_time',
          backorderCap: 5,
          handlingDays: 1,
        });
        await insertSupplier(t.ctx, 'SLOW');
        await supplies('SLOW', 'LT', 7);
        const first = await placed(web([{ sku: 'LT', quantity: 3, acceptBackorder: true }]));
        assert.deepEqual(first.lines[0]!.promise, {
          date: '2026-12-04',
          confidence: 'estimated',
          restsOn: [
            {
              kind: 'lead_time',
              supplier: 'SLOW',
              leadTimeDays: 7,
              quantity: 3,
              expectedDate: '2026-12-03',
              confidence: 'estimated',
            },
          ],
        });
        const { lines } = await refusedOrder(
          web([{ sku: 'LT', quantity: 3, acceptBackorder: true }]),
        );
        assert.equal(lines[0]!.state, 'out_of_stock');
        const second = await placed(web([{ sku: 'LT', quantity: 2, acceptBackorder: true }]));
        assert.equal(second.lines[0]!.promise!.date, '2026-12-04');
        await refusedOrder(web([{ sku: 'LT', quantity: 1, acceptBackorder: true }]));
      });

      it('lead time without a known supplier promises nothing', async () => {
        await insertItem(t.ctx, { sku: 'LT', backorderPolicy: 'lead_time' });
        const { lines } = await refusedOrder(
          web([{ sku: 'LT', quantity: 1, acceptBackorder: true }]),
        );
        assert.equal(lines[0]!.state, 'out_of_stock');
      });

      it('takes a preorder for its release date, even without acceptBackorder', async () => {
        await insertItem(t.ctx, {
          sku: 'GAME',
          releaseDate: '2026-12-20',
          preordersEnabled: true,
          handlingDays: 1,
        });
        const supplier = await insertSupplier(t.ctx);
        const po = await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'W1',
          state: 'sent',
          lines: [{ sku: 'GAME', ordered: 3, expectedDate: '2026-12-10' }],
        });
        const order = await placed(web([{ sku: 'GAME', quantity: 2 }]));
        const line = order.lines[0]!;
        assert.equal(line.preorder, true);
        assert.equal(line.backordered, 2);
        assert.equal(line.promise?.date, '2026-12-20');
        assert.equal(line.promise?.restsOn[0]?.lineId, po.lineIds[0]);
        assert.equal(await promisedOn(po.lineIds[0]!), 2);
        // Past what supply brings by then, the preorder is refused.
        const { lines } = await refusedOrder(web([{ sku: 'GAME', quantity: 2 }]));
        assert.match(lines[0]!.reason, /Preorder of 2: only 1 can be promised/);
        // Units found in stock serve the waiting preorder first (queue order)...
        await putStock(t.ctx, 'GAME', 'W1', 1);
        const first = json<OrderDoc>(
          await t.request({ method: 'GET', url: `/v1/orders/${order.id}` }),
        );
        assert.deepEqual(
          [first.lines[0]!.allocated, first.lines[0]!.backordered, first.lines[0]!.promise?.date],
          [1, 1, '2026-12-20'],
        );
        assert.equal(await promisedOn(po.lineIds[0]!), 1);
        // ...and units in stock are reserved for a new preorder, still for the release date.
        await insertItem(t.ctx, {
          sku: 'GAME-2',
          releaseDate: '2026-12-20',
          preordersEnabled: true,
        });
        await putStock(t.ctx, 'GAME-2', 'W1', 1);
        const fromStock = await placed(web([{ sku: 'GAME-2', quantity: 1 }]));
        const stockLine = fromStock.lines[0]!;
        assert.deepEqual(
          [stockLine.preorder, stockLine.allocated, stockLine.backordered, stockLine.promise],
          [true, 1, 0, { date: '2026-12-20', confidence: 'confirmed', restsOn: [] }],
        );
      });
    });
  });
}
