import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { databaseFingerprint } from '../helpers/db-fingerprint.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { plainJsonValue } from '../helpers/json-values.js';
import { assertError, counts, type OrderDoc, orderKit } from '../helpers/orders.js';

/**
 * Returns through the API (issue 15, item 5): customer returns against fulfilled lines
 * (restocked, filling the queue first, or written off as damaged) and returns to the
 * supplier against received purchase-order lines. Every refusal changes nothing.
 */

interface OrderReturn {
  id: number;
  orderId: number;
  line: number;
  sku: string;
  quantity: number;
  location: string;
  disposition: string;
  reason: string;
}
interface ReturnReceipt {
  return: OrderReturn;
  backordersFilled: number;
  order: OrderDoc;
}
interface SupplierReceipt {
  return: { id: number; line: number; sku: string; quantity: number; location: string };
  lineReceived: number;
  lineReturned: number;
  purchaseOrder: { lines: { id: number; received: number; open: number }[] };
}

let keys = 0;
const freshKey = () => `return-key-${++keys}`;

for (const target of testDatabases()) {
  describe(`returns routes (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      // W1 (warehouse) and S1 (store); web is filled from W1 then S1, pos from S1.
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Kettle' });
    });
    afterEach(async () => {
      await t.close();
    });

    const kit = orderKit(() => t);
    const { placed, fulfil, stockOf, events, supplierPo, getOrder } = kit;

    const postReturn = (
      id: number,
      line: number,
      body: unknown,
      options: { key?: string; idempotencyKey?: string | null } = {},
    ) =>
      t.request({
        method: 'POST',
        url: `/v1/orders/${id}/lines/${line}/returns`,
        body,
        ...(options.key !== undefined && { key: options.key }),
        headers:
          options.idempotencyKey === null
            ? {}
            : { 'idempotency-key': options.idempotencyKey ?? freshKey() },
      });

    async function returned(id: number, line: number, body: unknown): Promise<ReturnReceipt> {
      const response = await postReturn(id, line, body);
      assert.equal(response.statusCode, 201, response.body);
      return json<ReturnReceipt>(response);
    }

    /** A refusal: the status and code asked for, and not one row changed anywhere. */
    async function refused(
      request: () => ReturnType<typeof postReturn>,
      status: number,
      code: string,
    ) {
      const before = await databaseFingerprint(t.ctx);
      const response = await request();
      const error = assertError(response, status, code);
      assert.equal(await databaseFingerprint(t.ctx), before, `changed something: ${response.body}`);
      return error;
    }

    /** An order of `quantity` KET on web, shipped in full from W1. */
    async function shipped(quantity: number): Promise<OrderDoc> {
      await putStock(t.ctx, 'KET', 'W1', quantity);
      const order = await placed({ channel: 'web', lines: [{ sku: 'KET', quantity }] });
      const response = await fulfil(order.id, {
        fulfilmentId: `f-${order.id}`,
        kind: 'shipment',
        lines: [{ line: 1, quantity }],
      });
      assert.equal(response.statusCode, 201, response.body);
      return order;
    }

    async function ledger(reference: string) {
      return t.ctx.db
        .selectFrom('stock_ledger')
        .innerJoin('locations', 'locations.id', 'stock_ledger.location_id')
        .select(['stock_ledger.type', 'stock_ledger.quantity', 'locations.code'])
        .where('stock_ledger.reference', '=', reference)
        .orderBy('stock_ledger.id')
        .execute();
    }

    describe('customer returns', () => {
      it('restocks at the location named, with a return ledger row, an event and a list', async () => {
        const order = await shipped(3);
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 0, reserved: 0, available: 0 });
        const receipt = await returned(order.id, 1, {
          quantity: 2,
          location: 'S1',
          disposition: 'restock',
          reason: 'wrong colour',
        });
        assert.equal(receipt.return.quantity, 2);
        assert.equal(receipt.return.location, 'S1');
        assert.equal(receipt.return.disposition, 'restock');
        assert.equal(receipt.backordersFilled, 0);
        assert.equal(receipt.order.lines[0]!.fulfilled, 3);
        assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 2, reserved: 0, available: 2 });
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 0, reserved: 0, available: 0 });
        assert.deepEqual(await ledger(`order:${order.id}/return:${receipt.return.id}`), [
          { type: 'return', quantity: 2, code: 'S1' },
        ]);
        const [event] = await events('order.line_returned');
        assert.equal(event!.subject, `order:${order.id}`);
        assert.deepEqual(
          [event!.payload.line, event!.payload.quantity, event!.payload.disposition],
          [1, 2, 'restock'],
        );
        const list = await kit.ok<{ items: OrderReturn[] }>({
          method: 'GET',
          url: `/v1/orders/${order.id}/returns`,
        });
        assert.deepEqual(
          list.items.map((r) => [r.line, r.sku, r.quantity, r.location, r.reason]),
          [[1, 'KET', 2, 'S1', 'wrong colour']],
        );
      });

      it('fills the backorder waiting for the item before the units become available', async () => {
        const shippedOrder = await shipped(2);
        // Nothing on hand now; a later customer waits on a purchase order.
        await supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-10' }]);
        const waiting = await placed({
          channel: 'web',
          lines: [{ sku: 'KET', quantity: 1, acceptBackorder: true }],
        });
        assert.equal(waiting.lines[0]!.backordered, 1);
        const receipt = await returned(shippedOrder.id, 1, {
          quantity: 2,
          location: 'W1',
          disposition: 'restock',
          reason: 'changed mind',
        });
        assert.equal(receipt.backordersFilled, 1);
        assert.deepEqual(counts((await getOrder(waiting.id)).lines[0]!), {
          state: 'ready',
          allocated: 1,
          backordered: 0,
          fulfilled: 0,
          cancelled: 0,
          unpromised: 0,
        });
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 2, reserved: 1, available: 1 });
        assert.equal((await events('order_line.ready')).length, 1);
      });

      it('gives restocked units to the earliest waiting customer first', async () => {
        const shippedOrder = await shipped(1);
        await supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-10' }]);
        const wait = () =>
          placed({ channel: 'web', lines: [{ sku: 'KET', quantity: 1, acceptBackorder: true }] });
        const first = await wait();
        const second = await wait();
        const receipt = await returned(shippedOrder.id, 1, {
          quantity: 1,
          location: 'W1',
          disposition: 'restock',
          reason: 'changed mind',
        });
        assert.equal(receipt.backordersFilled, 1);
        assert.deepEqual(
          [
            (await getOrder(first.id)).lines[0]!.allocated,
            (await getOrder(second.id)).lines[0]!.allocated,
          ],
          [1, 0],
        );
        assert.equal((await getOrder(second.id)).lines[0]!.backordered, 1);
      });

      it('writes damaged units off: a return and a damage row, on hand unchanged', async () => {
        const order = await shipped(2);
        const receipt = await returned(order.id, 1, {
          quantity: 1,
          location: 'W1',
          disposition: 'damaged',
          reason: 'cracked lid',
        });
        assert.equal(receipt.backordersFilled, 0);
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 0, reserved: 0, available: 0 });
        assert.deepEqual(await ledger(`order:${order.id}/return:${receipt.return.id}`), [
          { type: 'return', quantity: 1, code: 'W1' },
          { type: 'damage', quantity: -1, code: 'W1' },
        ]);
      });

      it('refuses more than fulfilled minus already returned, changing nothing', async () => {
        const order = await shipped(3);
        const body = { quantity: 4, location: 'W1', disposition: 'restock', reason: 'x' };
        const error = await refused(
          () => postReturn(order.id, 1, body),
          409,
          'RETURN_EXCEEDS_FULFILLED',
        );
        assert.deepEqual(error.details, {
          id: order.id,
          line: 1,
          fulfilled: 3,
          returned: 0,
          returnable: 3,
          quantity: 4,
        });
        await returned(order.id, 1, { ...body, quantity: 2 });
        const again = await refused(
          () => postReturn(order.id, 1, { ...body, quantity: 2 }),
          409,
          'RETURN_EXCEEDS_FULFILLED',
        );
        assert.equal((again.details as { returnable: number }).returnable, 1);
        // Reserved but not shipped is not returnable either.
        await putStock(t.ctx, 'KET', 'W1', 1);
        const open = await placed({ channel: 'web', lines: [{ sku: 'KET', quantity: 1 }] });
        await refused(
          () => postReturn(open.id, 1, { ...body, quantity: 1 }),
          409,
          'RETURN_EXCEEDS_FULFILLED',
        );
      });

      it('answers a retry with the same key once, and refuses a missing key or another body', async () => {
        const order = await shipped(3);
        const body = { quantity: 1, location: 'W1', disposition: 'restock', reason: 'x' };
        const first = await postReturn(order.id, 1, body, { idempotencyKey: 'k-1' });
        assert.equal(first.statusCode, 201, first.body);
        const before = await databaseFingerprint(t.ctx);
        const replay = await postReturn(order.id, 1, body, { idempotencyKey: 'k-1' });
        assert.equal(replay.statusCode, 201);
        assert.equal(replay.headers['idempotent-replayed'], 'true');
        assert.deepEqual(json(replay), json(first));
        assert.equal(await databaseFingerprint(t.ctx), before);
        await refused(
          () => postReturn(order.id, 1, { ...body, quantity: 2 }, { idempotencyKey: 'k-1' }),
          422,
          'IDEMPOTENCY_KEY_REUSED',
        );
        await refused(
          () => postReturn(order.id, 1, body, { idempotencyKey: null }),
          400,
          'VALIDATION_FAILED',
        );
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 1, reserved: 0, available: 1 });
      });

      it("keeps a channel key to its own channel's orders", async () => {
        const order = await shipped(2);
        const body = { quantity: 1, location: 'W1', disposition: 'restock', reason: 'x' };
        const pos = await t.channelKey('pos');
        await refused(() => postReturn(order.id, 1, body, { key: pos }), 404, 'ORDER_NOT_FOUND');
        const other = await t.request({
          method: 'GET',
          url: `/v1/orders/${order.id}/returns`,
          key: pos,
        });
        assertError(other, 404, 'ORDER_NOT_FOUND');
        const web = await t.channelKey('web');
        const own = await postReturn(order.id, 1, body, { key: web });
        assert.equal(own.statusCode, 201, own.body);
      });

      it('refuses unknown orders, lines and locations, changing nothing', async () => {
        const order = await shipped(2);
        const body = { quantity: 1, location: 'W1', disposition: 'restock', reason: 'x' };
        await refused(() => postReturn(order.id + 100, 1, body), 404, 'ORDER_NOT_FOUND');
        await refused(() => postReturn(order.id, 2, body), 404, 'ORDER_LINE_NOT_FOUND');
        await refused(
          () => postReturn(order.id, 1, { ...body, location: 'NOPE' }),
          404,
          'LOCATION_NOT_FOUND',
        );
      });

      it('answers malformed bodies with a 400 and changes nothing', async () => {
        const order = await shipped(2);
        const bad = fc.oneof(
          fc.record({
            quantity: fc.oneof(
              fc.integer({ max: 0 }),
              fc.double().filter((d) => !Number.isInteger(d)),
              fc.string().filter((v) => !/^\s*[+-]?\d/.test(v)),
              fc.constant(null),
            ),
            location: fc.constant('W1'),
            disposition: fc.constant('restock'),
            reason: fc.constant('x'),
          }),
          fc.record({
            quantity: fc.constant(1),
            location: fc.constant('W1'),
            disposition: fc.string().filter((d) => d !== 'restock' && d !== 'damaged'),
            reason: fc.constant('x'),
          }),
          fc.record({
            quantity: fc.constant(1),
            location: fc.constant('W1'),
            disposition: fc.constant('damaged'),
            reason: fc.constant(''),
          }),
          fc.record(
            {
              quantity: fc.constant(1),
              location: fc.constant('W1'),
              disposition: fc.constant('restock'),
              reason: fc.constant('x'),
              extra: plainJsonValue,
            },
            { requiredKeys: ['extra'] },
          ),
          fc.record(
            {
              quantity: fc.constant(1),
              location: fc.constant('W1'),
              disposition: fc.constant('restock'),
            },
            { requiredKeys: [] },
          ),
        );
        const before = await databaseFingerprint(t.ctx);
        await fc.assert(
          fc.asyncProperty(bad, async (body) => {
            const response = await postReturn(order.id, 1, body);
            assert.equal(response.statusCode, 400, `${JSON.stringify(body)}: ${response.body}`);
            assert.equal(
              json<{ error: { code: string } }>(response).error.code,
              'VALIDATION_FAILED',
            );
          }),
          { numRuns: 40 },
        );
        assert.equal(await databaseFingerprint(t.ctx), before);
      });
    });

    describe('returns to the supplier', () => {
      const postSupplierReturn = (
        id: number,
        line: number,
        body: unknown,
        options: { key?: string } = {},
      ) =>
        t.request({
          method: 'POST',
          url: `/v1/purchase-orders/${id}/lines/${line}/returns`,
          body,
          ...(options.key !== undefined && { key: options.key }),
          headers: { 'idempotency-key': freshKey() },
        });

      async function receivedPo(quantity: number) {
        const po = await supplierPo('W1', [
          { sku: 'KET', ordered: quantity, expectedDate: '2026-12-10' },
        ]);
        const response = await t.request({
          method: 'POST',
          url: `/v1/purchase-orders/${po.id}/receipts`,
          body: { receiptId: `r-${po.id}`, lines: [{ line: po.lineIds[0], quantity }] },
        });
        assert.equal(response.statusCode, 201, response.body);
        return po;
      }

      async function fillRate(): Promise<number | null> {
        const supplier = await t.ctx.db
          .selectFrom('suppliers')
          .select('code')
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow();
        const performance = await kit.ok<{ overall: { fillRate: number | null } }>({
          method: 'GET',
          url: `/v1/suppliers/${supplier.code}/performance`,
        });
        return performance.overall.fillRate;
      }

      it('takes stock out, counts the units returned and lowers the fill rate', async () => {
        const po = await receivedPo(5);
        assert.equal(await fillRate(), 1);
        const response = await postSupplierReturn(po.id, po.lineIds[0]!, {
          quantity: 2,
          reason: 'faulty batch',
        });
        assert.equal(response.statusCode, 201, response.body);
        const receipt = json<SupplierReceipt>(response);
        assert.deepEqual(
          [
            receipt.return.quantity,
            receipt.return.location,
            receipt.lineReceived,
            receipt.lineReturned,
          ],
          [2, 'W1', 5, 2],
        );
        // Not expected again: the line's open quantity stays 0.
        assert.equal(receipt.purchaseOrder.lines[0]!.open, 0);
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 3, reserved: 0, available: 3 });
        assert.deepEqual(await ledger(`po:${po.id}/return:${receipt.return.id}`), [
          { type: 'return', quantity: -2, code: 'W1' },
        ]);
        assert.equal(await fillRate(), 0.6);
        const [event] = await events('purchase_order.line_returned');
        assert.equal(event!.payload.quantity, 2);
        const list = await kit.ok<{ items: { quantity: number }[] }>({
          method: 'GET',
          url: `/v1/purchase-orders/${po.id}/returns`,
        });
        assert.deepEqual(
          list.items.map((r) => r.quantity),
          [2],
        );
      });

      it('refuses more than received minus returned, and reserved units, changing nothing', async () => {
        const po = await receivedPo(3);
        const line = po.lineIds[0]!;
        const error = await refused(
          () => postSupplierReturn(po.id, line, { quantity: 4, reason: 'x' }),
          409,
          'RETURN_EXCEEDS_RECEIVED',
        );
        assert.deepEqual(error.details, {
          id: po.id,
          line,
          received: 3,
          returned: 0,
          returnable: 3,
          quantity: 4,
        });
        // Two of the three are reserved for an order: only one may leave.
        await placed({ channel: 'web', lines: [{ sku: 'KET', quantity: 2 }] });
        await refused(
          () => postSupplierReturn(po.id, line, { quantity: 2, reason: 'x' }),
          409,
          'INSUFFICIENT_STOCK',
        );
        const ok = await postSupplierReturn(po.id, line, { quantity: 1, reason: 'x' });
        assert.equal(ok.statusCode, 201, ok.body);
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 2, reserved: 2, available: 0 });
        await refused(
          () => postSupplierReturn(po.id, line + 100, { quantity: 1, reason: 'x' }),
          404,
          'LINE_NOT_FOUND',
        );
        await refused(
          () => postSupplierReturn(po.id + 100, line, { quantity: 1, reason: 'x' }),
          404,
          'PURCHASE_ORDER_NOT_FOUND',
        );
        const webKey = await t.channelKey('web');
        await refused(
          () => postSupplierReturn(po.id, line, { quantity: 1, reason: 'x' }, { key: webKey }),
          403,
          'FORBIDDEN',
        );
      });

      it('refuses a line with nothing received', async () => {
        const po = await supplierPo('W1', [{ sku: 'KET', ordered: 4, expectedDate: '2026-12-10' }]);
        await putStock(t.ctx, 'KET', 'W1', 4);
        await refused(
          () => postSupplierReturn(po.id, po.lineIds[0]!, { quantity: 1, reason: 'x' }),
          409,
          'RETURN_EXCEEDS_RECEIVED',
        );
      });
    });
  });
}
