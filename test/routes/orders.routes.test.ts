import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { assertError, freshKey, type OrderDoc, orderKit } from '../helpers/orders.js';

/**
 * Orders through the API, part 1: bad input (changing nothing), security, and the
 * Idempotency-Key contract. Placing itself is in orders-placing.routes.test.ts; the
 * lifecycle in orders-lifecycle.routes.test.ts; supply and reports in
 * orders-supply.routes.test.ts. Shared helpers: test/helpers/orders.ts.
 */

for (const target of testDatabases()) {
  describe(`order routes: input, security, idempotency (${target.kind})`, () => {
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

    const { place, placed, stockOf, lostDemandRows, count, snapshot, rejected, refusedOrder } =
      orderKit(() => t);
    const web = (lines: unknown[], extra: Record<string, unknown> = {}) => ({
      channel: 'web',
      lines,
      ...extra,
    });

    describe('bad input changes nothing', () => {
      it('names every unknown SKU (404 ITEM_NOT_FOUND) and keeps the key free', async () => {
        await putStock(t.ctx, 'KET', 'W1', 5);
        const key = freshKey();
        const error = await rejected(
          () =>
            place(
              web([
                { sku: 'KET', quantity: 1 },
                { sku: 'NOPE-1', quantity: 1 },
                { sku: 'NOPE-2', quantity: 2 },
                { sku: 'NOPE-1', quantity: 3 },
              ]),
              { idempotencyKey: key },
            ),
          404,
          'ITEM_NOT_FOUND',
        );
        assert.deepEqual(error.details.skus, ['NOPE-1', 'NOPE-2']);
        // A request answered with bad input does not claim its key.
        await placed(web([{ sku: 'KET', quantity: 1 }]), {});
        const retry = await place(web([{ sku: 'KET', quantity: 1 }]), { idempotencyKey: key });
        assert.equal(retry.statusCode, 201, retry.body);
      });

      it('refuses an unknown channel with 404 CHANNEL_NOT_FOUND', async () => {
        await putStock(t.ctx, 'KET', 'W1', 5);
        await rejected(
          () => place({ channel: 'nowhere', lines: [{ sku: 'KET', quantity: 1 }] }),
          404,
          'CHANNEL_NOT_FOUND',
        );
        await rejected(
          () =>
            t.request({
              method: 'POST',
              url: '/v1/orders/quote',
              body: { channel: 'nowhere', lines: [{ sku: 'KET', quantity: 1 }] },
            }),
          404,
          'CHANNEL_NOT_FOUND',
        );
      });

      it('refuses quantities that are not whole numbers from 1 to 100,000 (400)', async () => {
        await putStock(t.ctx, 'KET', 'W1', 5);
        for (const quantity of [0, -1, 1.5, '2', null, 100_001]) {
          const error = await rejected(
            () => place(web([{ sku: 'KET', quantity }])),
            400,
            'VALIDATION_FAILED',
          );
          const issues = error.details.issues as { path: string }[];
          assert.ok(
            issues.some((i) => i.path === '/lines/0/quantity'),
            `${quantity}: ${JSON.stringify(issues)}`,
          );
        }
        await rejected(() => place(web([{ sku: 'KET' }])), 400, 'VALIDATION_FAILED');
      });

      it('requires an Idempotency-Key header (400)', async () => {
        await putStock(t.ctx, 'KET', 'W1', 5);
        const error = await rejected(
          () => place(web([{ sku: 'KET', quantity: 1 }]), { idempotencyKey: null }),
          400,
          'VALIDATION_FAILED',
        );
        assert.match(JSON.stringify(error.details), /idempotency-key/);
        await rejected(
          () => place(web([{ sku: 'KET', quantity: 1 }]), { idempotencyKey: '' }),
          400,
          'VALIDATION_FAILED',
        );
      });

      it('refuses empty lines, unknown fields and malformed customers (400)', async () => {
        await putStock(t.ctx, 'KET', 'W1', 5);
        const bodies = [
          web([]),
          { lines: [{ sku: 'KET', quantity: 1 }] },
          web([{ sku: 'KET', quantity: 1 }], { priority: 'high' }),
          web([{ sku: 'KET', quantity: 1, colour: 'red' }]),
          web([{ sku: 'KET', quantity: 1, acceptBackorder: 'yes' }]),
          web([{ sku: 'KET', quantity: 1 }], { customer: { email: 'ann@example.com' } }),
          web([{ sku: 'KET', quantity: 1 }], { customer: { name: 'Ann', email: 'not-mail' } }),
          web([{ sku: 'KET', quantity: 1 }], { reference: '' }),
        ];
        for (const body of bodies) {
          await rejected(() => place(body), 400, 'VALIDATION_FAILED');
        }
        await rejected(
          () =>
            t.request({
              method: 'POST',
              url: '/v1/orders/quote',
              body: web([{ sku: 'KET', quantity: 1 }], { reference: 'R1' }),
            }),
          400,
          'VALIDATION_FAILED',
        );
      });

      it('answers 401 without a key, before looking at the input', async () => {
        for (const request of [
          () => place(web([{ sku: 'KET', quantity: 1 }]), { key: null as unknown as string }),
          () => t.request({ method: 'POST', url: '/v1/orders', body: {}, key: null }),
          () => t.request({ method: 'POST', url: '/v1/orders/quote', body: {}, key: null }),
          () => t.request({ method: 'GET', url: '/v1/orders', key: null }),
          () => t.request({ method: 'GET', url: '/v1/orders/1', key: null }),
          () => t.request({ method: 'POST', url: '/v1/orders/1/cancel', key: null }),
          () => t.request({ method: 'GET', url: '/v1/lost-demand', key: null }),
          () => t.request({ method: 'GET', url: '/v1/order-lines/waiting', key: null }),
        ]) {
          await rejected(request, 401, 'UNAUTHORIZED');
        }
      });

      it('lets a channel key order and quote only for its own channel (403)', async () => {
        await putStock(t.ctx, 'KET', 'W1', 5);
        await putStock(t.ctx, 'KET', 'S1', 5);
        const pos = await t.channelKey('pos');
        await rejected(
          () => place(web([{ sku: 'KET', quantity: 1 }]), { key: pos }),
          403,
          'FORBIDDEN',
        );
        await rejected(
          () =>
            t.request({
              method: 'POST',
              url: '/v1/orders/quote',
              body: web([{ sku: 'KET', quantity: 1 }]),
              key: pos,
            }),
          403,
          'FORBIDDEN',
        );
        const own = await placed(
          { channel: 'pos', lines: [{ sku: 'KET', quantity: 1 }] },
          { key: pos },
        );
        assert.equal(own.channel, 'pos');
        assert.deepEqual(own.lines[0]!.allocations, [{ location: 'S1', quantity: 1 }]);
      });

      it("keeps another channel's orders from a channel key (404, as a missing one), and fulfilment for staff", async () => {
        await putStock(t.ctx, 'KET', 'W1', 5);
        const order = await placed(web([{ sku: 'KET', quantity: 2 }]));
        const pos = await t.channelKey('pos');
        const webKey = await t.channelKey('web');
        // Another channel's order is not found, exactly as a missing id would be.
        for (const request of [
          () => t.request({ method: 'GET', url: `/v1/orders/${order.id}`, key: pos }),
          () =>
            t.request({ method: 'POST', url: `/v1/orders/${order.id}/cancel`, body: {}, key: pos }),
          () =>
            t.request({ method: 'GET', url: `/v1/orders/${order.id}/promise-changes`, key: pos }),
        ]) {
          const error = await rejected(request, 404, 'ORDER_NOT_FOUND');
          assert.deepEqual(error.details, { id: order.id });
          assert.doesNotMatch(JSON.stringify(error), /Kettle|"allocations"/);
        }
        for (const request of [
          () => t.request({ method: 'GET', url: '/v1/orders?channel=web', key: pos }),
          // Fulfilment, the waiting queue and lost demand are for staff, whatever the channel.
          () =>
            t.request({
              method: 'POST',
              url: `/v1/orders/${order.id}/fulfilments`,
              body: { fulfilmentId: 'f1', kind: 'shipment', lines: [{ line: 1, quantity: 1 }] },
              key: webKey,
            }),
          () => t.request({ method: 'GET', url: '/v1/order-lines/waiting', key: webKey }),
          () => t.request({ method: 'GET', url: '/v1/lost-demand', key: webKey }),
        ]) {
          const error = await rejected(request, 403, 'FORBIDDEN');
          assert.doesNotMatch(JSON.stringify(error), /Kettle|"allocations"/);
        }
        const own = await t.request({ method: 'GET', url: `/v1/orders/${order.id}`, key: webKey });
        assert.equal(own.statusCode, 200, own.body);
        assert.deepEqual(json<OrderDoc>(own), order);
      });

      it('answers 404 for unknown orders and lines, 400 for a line named twice', async () => {
        await putStock(t.ctx, 'KET', 'W1', 5);
        const order = await placed(web([{ sku: 'KET', quantity: 2 }]));
        await rejected(
          () => t.request({ method: 'GET', url: '/v1/orders/999999' }),
          404,
          'ORDER_NOT_FOUND',
        );
        await rejected(
          () => t.request({ method: 'POST', url: '/v1/orders/999999/cancel', body: {} }),
          404,
          'ORDER_NOT_FOUND',
        );
        await rejected(
          () => t.request({ method: 'GET', url: '/v1/orders/999999/promise-changes' }),
          404,
          'ORDER_NOT_FOUND',
        );
        await rejected(
          () =>
            t.request({
              method: 'POST',
              url: '/v1/orders/999999/fulfilments',
              body: { fulfilmentId: 'f1', kind: 'shipment', lines: [{ line: 1, quantity: 1 }] },
            }),
          404,
          'ORDER_NOT_FOUND',
        );
        const missing = await rejected(
          () =>
            t.request({
              method: 'POST',
              url: `/v1/orders/${order.id}/cancel`,
              body: { lines: [{ line: 1 }, { line: 7 }] },
            }),
          404,
          'ORDER_LINE_NOT_FOUND',
        );
        assert.deepEqual(missing.details.lines, [7]);
        await rejected(
          () =>
            t.request({
              method: 'POST',
              url: `/v1/orders/${order.id}/fulfilments`,
              body: { fulfilmentId: 'f1', kind: 'shipment', lines: [{ line: 2, quantity: 1 }] },
            }),
          404,
          'ORDER_LINE_NOT_FOUND',
        );
        await rejected(
          () =>
            t.request({
              method: 'POST',
              url: `/v1/orders/${order.id}/cancel`,
              body: {
                lines: [
                  { line: 1, quantity: 1 },
                  { line: 1, quantity: 1 },
                ],
              },
            }),
          400,
          'DUPLICATE_LINE',
        );
        await rejected(
          () =>
            t.request({
              method: 'POST',
              url: `/v1/orders/${order.id}/fulfilments`,
              body: {
                fulfilmentId: 'f1',
                kind: 'shipment',
                lines: [
                  { line: 1, quantity: 1 },
                  { line: 1, quantity: 1 },
                ],
              },
            }),
          400,
          'DUPLICATE_LINE',
        );
        await rejected(
          () =>
            t.request({
              method: 'POST',
              url: `/v1/orders/${order.id}/cancel`,
              body: { lines: [{ line: 1, quantity: 0 }] },
            }),
          400,
          'VALIDATION_FAILED',
        );
      });
    });

    describe('Idempotency-Key', () => {
      it('replays the same body byte for byte, with no second order', async () => {
        await putStock(t.ctx, 'KET', 'W1', 5);
        const body = web([{ sku: 'KET', quantity: 2 }], {
          reference: 'WEB-1001',
          customer: { name: 'Ann', email: 'ann@example.com' },
        });
        const first = await place(body, { idempotencyKey: 'checkout-1' });
        assert.equal(first.statusCode, 201, first.body);
        assert.equal(first.headers['idempotent-replayed'], 'false');
        const before = await snapshot();
        // The same body with its properties in another order is the same request.
        const reordered = {
          lines: [{ quantity: 2, sku: 'KET' }],
          customer: { email: 'ann@example.com', name: 'Ann' },
          reference: 'WEB-1001',
          channel: 'web',
        };
        for (const again of [body, reordered]) {
          const replay = await place(again, { idempotencyKey: 'checkout-1' });
          assert.equal(replay.statusCode, 201, replay.body);
          assert.equal(replay.headers['idempotent-replayed'], 'true');
          assert.equal(replay.body, first.body);
        }
        assert.deepEqual(await snapshot(), before);
        assert.equal(await count('orders'), 1);
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 5, reserved: 2, available: 3 });
      });

      it('refuses the same key with another body (422) and changes nothing', async () => {
        await putStock(t.ctx, 'KET', 'W1', 5);
        await placed(web([{ sku: 'KET', quantity: 2 }]), {});
        await place(web([{ sku: 'KET', quantity: 1 }]), { idempotencyKey: 'checkout-2' });
        for (const other of [
          web([{ sku: 'KET', quantity: 2 }]),
          web([{ sku: 'KET', quantity: 1, acceptBackorder: true }]),
          { channel: 'pos', lines: [{ sku: 'KET', quantity: 1 }] },
        ]) {
          const error = await rejected(
            () => place(other, { idempotencyKey: 'checkout-2' }),
            422,
            'IDEMPOTENCY_KEY_REUSED',
          );
          assert.equal(error.details.idempotencyKey, 'checkout-2');
        }
      });

      it('keeps keys apart per API key: the same key from two API keys is two orders', async () => {
        await putStock(t.ctx, 'KET', 'W1', 5);
        const body = web([{ sku: 'KET', quantity: 1 }]);
        const webKey = await t.channelKey('web');
        const a = await place(body, { idempotencyKey: 'shared' });
        const b = await place(body, { idempotencyKey: 'shared', key: t.staffKey });
        const c = await place(body, { idempotencyKey: 'shared', key: webKey });
        for (const response of [a, b, c]) {
          assert.equal(response.statusCode, 201, response.body);
          assert.equal(response.headers['idempotent-replayed'], 'false');
        }
        const ids = [a, b, c].map((r) => json<OrderDoc>(r).id);
        assert.equal(new Set(ids).size, 3);
        assert.equal((await stockOf('KET', 'W1')).reserved, 3);
      });

      it('replays a refusal for its key, recording the lost demand once', async () => {
        const body = web([{ sku: 'KET', quantity: 2 }]);
        const { error, newLostDemand } = await refusedOrder(body, 'refused-1');
        assert.equal(newLostDemand.length, 1);
        const before = await snapshot();
        const replay = await place(body, { idempotencyKey: 'refused-1' });
        const again = assertError(replay, 409, 'ORDER_REFUSED');
        assert.deepEqual(again.details.lines, error.details.lines);
        assert.equal(again.message, error.message);
        // A replayed refusal is the same answer, marked as a replay by its header.
        assert.equal(replay.headers['idempotent-replayed'], 'true');
        assert.deepEqual(await snapshot(), before, 'a replayed refusal wrote something');
        // The answer for the key stays a refusal even once the item is back.
        await putStock(t.ctx, 'KET', 'W1', 5);
        const later = await place(body, { idempotencyKey: 'refused-1' });
        assertError(later, 409, 'ORDER_REFUSED');
        assert.equal((await lostDemandRows()).length, 1);
        await placed(body);
      });
    });

    describe('Idempotency-Key under concurrent retries', () => {
      it('two copies of one request at once: one order, both answered with it', async () => {
        await putStock(t.ctx, 'KET', 'W1', 1);
        const body = web([{ sku: 'KET', quantity: 1 }]);
        const responses = await Promise.all([
          place(body, { idempotencyKey: 'twice' }),
          place(body, { idempotencyKey: 'twice' }),
        ]);
        assert.deepEqual(
          responses.map((r) => r.statusCode),
          [201, 201],
          responses.map((r) => r.body).join('\n'),
        );
        assert.equal(responses[0]!.body, responses[1]!.body);
        assert.deepEqual(responses.map((r) => r.headers['idempotent-replayed']).sort(), [
          'false',
          'true',
        ]);
        assert.equal(await count('orders'), 1);
        assert.deepEqual(await lostDemandRows(), [], 'a retry is not lost demand');
      });

      it('two copies of one refused request at once: lost demand recorded once', async () => {
        const body = web([{ sku: 'KET', quantity: 1 }]);
        const responses = await Promise.all([
          place(body, { idempotencyKey: 'refused-twice' }),
          place(body, { idempotencyKey: 'refused-twice' }),
        ]);
        for (const response of responses) assertError(response, 409, 'ORDER_REFUSED');
        assert.equal((await lostDemandRows()).length, 1, JSON.stringify(await lostDemandRows()));
      });
    });
  });
}
