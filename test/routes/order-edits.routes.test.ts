import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { databaseFingerprint } from '../helpers/db-fingerprint.js';
import { insertChannel, insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { plainJsonValue } from '../helpers/json-values.js';
import { assertError, counts, type OrderDoc, orderKit } from '../helpers/orders.js';

/**
 * Orders that change (issue 15, item 2): a line increased, a line added, an allocation
 * moved, a line shipped from another location, a cancellation undone. Each keeps the
 * line's quantities adding up and stock.reserved equal to the allocations, writes
 * order.line_changed, and every refusal changes nothing at all.
 */

let keys = 0;
const freshKey = () => `edit-key-${++keys}`;

type Edit = 'increase' | 'lines' | 'move' | 'uncancel';

for (const target of testDatabases()) {
  describe(`order edit routes (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      // W1 (warehouse) and S1 (store); web is filled from W1 then S1, pos from S1.
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Kettle' });
      await insertItem(t.ctx, { sku: 'MUG', name: 'Mug' });
    });
    afterEach(async () => {
      await t.close();
    });

    const kit = orderKit(() => t);
    const { placed, fulfil, cancel, stockOf, events, supplierPo, getOrder, promisedOn } = kit;

    const post = (
      id: number,
      edit: Edit,
      line: number | null,
      body: unknown,
      options: { key?: string; idempotencyKey?: string | null } = {},
    ) =>
      t.request({
        method: 'POST',
        url: edit === 'lines' ? `/v1/orders/${id}/lines` : `/v1/orders/${id}/lines/${line}/${edit}`,
        body,
        ...(options.key !== undefined && { key: options.key }),
        headers:
          options.idempotencyKey === null
            ? {}
            : { 'idempotency-key': options.idempotencyKey ?? freshKey() },
      });

    async function edited(id: number, edit: Edit, line: number | null, body: unknown) {
      const response = await post(id, edit, line, body);
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.headers['idempotent-replayed'], 'false');
      const order = json<OrderDoc>(response);
      await assertConsistent();
      return order;
    }

    /** A refusal: the status and code asked for, and not one row changed anywhere. */
    async function refused(request: () => ReturnType<typeof post>, status: number, code: string) {
      const before = await databaseFingerprint(t.ctx);
      const response = await request();
      const error = assertError(response, status, code);
      assert.equal(await databaseFingerprint(t.ctx), before, `changed something: ${response.body}`);
      return error;
    }

    /** stock.reserved = sum(allocations) on every row, and the ledger audit is clean. */
    async function assertConsistent() {
      const stock = await t.ctx.db
        .selectFrom('stock')
        .select(['item_id', 'location_id', 'reserved'])
        .execute();
      const allocations = await t.ctx.db.selectFrom('allocations').selectAll().execute();
      for (const row of stock) {
        const held = allocations
          .filter((a) => a.item_id === row.item_id && a.location_id === row.location_id)
          .reduce((s, a) => s + a.quantity, 0);
        assert.equal(row.reserved, held, `reserved = sum(allocations) ${JSON.stringify(row)}`);
      }
      const audit = await t.request({ method: 'GET', url: '/v1/stock/audit' });
      assert.equal(json<{ ok: boolean }>(audit).ok, true, audit.body);
    }

    const web = (lines: { sku: string; quantity: number; acceptBackorder?: boolean }[]) =>
      placed({ channel: 'web', lines });
    const allocationsOf = (order: OrderDoc, line = 1) => order.lines[line - 1]!.allocations;

    /**
     * A customer of channel "wh" (W1
     * only) waiting for one on a purchase order into W1: stock at S1 cannot fill them.
     */
    async function waitingAtW1(): Promise<OrderDoc & { poLine: number }> {
      await insertChannel(t.ctx, { code: 'wh', locations: ['W1'] });
      const po = await supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-10' }]);
      const waiting = await placed({
        channel: 'wh',
        lines: [{ sku: 'KET', quantity: 1, acceptBackorder: true }],
      });
      assert.equal(waiting.lines[0]!.backordered, 1);
      assert.equal(await promisedOn(po.lineIds[0]!), 1);
      return { ...waiting, poLine: po.lineIds[0]! };
    }

    describe('increasing a line', () => {
      it('reserves the extra units from free stock in location priority order', async () => {
        await putStock(t.ctx, 'KET', 'W1', 3);
        await putStock(t.ctx, 'KET', 'S1', 5);
        const order = await web([{ sku: 'KET', quantity: 2 }]);
        const after = await edited(order.id, 'increase', 1, { by: 3 });
        assert.equal(after.lines[0]!.quantity, 5);
        assert.deepEqual(counts(after.lines[0]!), {
          state: 'ready',
          allocated: 5,
          backordered: 0,
          fulfilled: 0,
          cancelled: 0,
          unpromised: 0,
        });
        assert.deepEqual(allocationsOf(after), [
          { location: 'W1', quantity: 3 },
          { location: 'S1', quantity: 2 },
        ]);
        assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 5, reserved: 2, available: 3 });
        const [event] = await events('order.line_changed');
        assert.equal(event!.subject, `order:${order.id}`);
        assert.deepEqual(
          [event!.payload.change, event!.payload.by, event!.payload.quantity],
          ['increased', 3, 5],
        );
      });

      it('backorders the rest against supply nobody holds when the line accepts it', async () => {
        await putStock(t.ctx, 'KET', 'W1', 2);
        const po = await supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-10' }]);
        const order = await web([{ sku: 'KET', quantity: 1, acceptBackorder: true }]);
        const after = await edited(order.id, 'increase', 1, { by: 4 });
        assert.deepEqual(counts(after.lines[0]!), {
          state: 'backordered',
          allocated: 2,
          backordered: 3,
          fulfilled: 0,
          cancelled: 0,
          unpromised: 0,
        });
        assert.equal(after.lines[0]!.promise?.date, '2026-12-10');
        assert.deepEqual(
          after.lines[0]!.promise?.restsOn.map((b) => [b.kind, b.quantity]),
          [['purchase_order', 3]],
        );
        assert.equal(await promisedOn(po.lineIds[0]!), 3);
        // A later order gets only what the increase left on the purchase order.
        const later = await web([{ sku: 'KET', quantity: 2, acceptBackorder: true }]);
        assert.equal(later.lines[0]!.backordered, 2);
        assert.equal(await promisedOn(po.lineIds[0]!), 5);
      });

      it('refuses waiting units that would queue ahead of a later customer; a new line queues from now', async () => {
        const po = await supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-10' }]);
        const first = await web([{ sku: 'KET', quantity: 1, acceptBackorder: true }]);
        const second = await web([{ sku: 'KET', quantity: 1, acceptBackorder: true }]);
        const error = await refused(
          () => post(first.id, 'increase', 1, { by: 2 }),
          409,
          'INCREASE_WOULD_JUMP_QUEUE',
        );
        assert.deepEqual([error.details.waiting, error.details.waitingBehind], [2, 1]);
        // The last in the queue may grow: nobody is behind it.
        const grown = await edited(second.id, 'increase', 1, { by: 1 });
        assert.equal(grown.lines[0]!.backordered, 2);
        // The first customer's extra units queue behind everyone, on a line of their own.
        const added = await edited(first.id, 'lines', null, {
          sku: 'KET',
          quantity: 2,
          acceptBackorder: true,
        });
        assert.equal(added.lines[1]!.backordered, 2);
        assert.equal(await promisedOn(po.lineIds[0]!), 5);
      });

      it('dates the line for its last waiting unit: the later promise, estimated if either', async () => {
        await supplierPo('W1', [{ sku: 'KET', ordered: 1, expectedDate: '2026-12-10' }]);
        await supplierPo('W1', [
          { sku: 'KET', ordered: 5, expectedDate: '2026-12-20', confidence: 'estimated' },
        ]);
        const order = await web([{ sku: 'KET', quantity: 1, acceptBackorder: true }]);
        assert.deepEqual(order.lines[0]!.promise?.date, '2026-12-10');
        const after = await edited(order.id, 'increase', 1, { by: 2 });
        assert.equal(after.lines[0]!.backordered, 3);
        assert.deepEqual(
          [after.lines[0]!.promise?.date, after.lines[0]!.promise?.confidence],
          ['2026-12-20', 'estimated'],
        );
        assert.deepEqual(
          after.lines[0]!.promise?.restsOn.map((b) => [b.expectedDate, b.quantity]),
          [
            ['2026-12-10', 1],
            ['2026-12-20', 2],
          ],
        );
      });

      it('refuses units beyond stock for a line without backorders, changing nothing', async () => {
        await putStock(t.ctx, 'KET', 'W1', 3);
        await supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-10' }]);
        const order = await web([{ sku: 'KET', quantity: 2 }]);
        const error = await refused(
          () => post(order.id, 'increase', 1, { by: 2 }),
          409,
          'INSUFFICIENT_STOCK',
        );
        assert.deepEqual(
          [error.details.available, error.details.state, error.details.backorder],
          [1, 'backorder', { quantity: 1, date: '2026-12-10' }],
        );
      });

      it('refuses closed lines and lines past 100,000 units, changing nothing', async () => {
        await putStock(t.ctx, 'KET', 'W1', 10);
        const order = await web([
          { sku: 'KET', quantity: 2 },
          { sku: 'KET', quantity: 1 },
        ]);
        assert.equal((await cancel(order.id, { lines: [{ line: 1 }] })).statusCode, 200);
        await refused(() => post(order.id, 'increase', 1, { by: 1 }), 409, 'LINE_CLOSED');
        await refused(() => post(order.id, 'increase', 3, { by: 1 }), 404, 'ORDER_LINE_NOT_FOUND');
        await refused(
          () => post(order.id, 'increase', 2, { by: 100_000 }),
          409,
          'LINE_QUANTITY_LIMIT',
        );
        const shipped = await fulfil(order.id, {
          fulfilmentId: 'F1',
          kind: 'shipment',
          lines: [{ line: 2, quantity: 1 }],
        });
        assert.equal(shipped.statusCode, 201, shipped.body);
        await refused(() => post(order.id, 'increase', 2, { by: 1 }), 409, 'LINE_CLOSED');
      });
    });

    describe('adding a line', () => {
      it('places it as the next line, from stock and then backordered', async () => {
        await putStock(t.ctx, 'KET', 'W1', 5);
        await putStock(t.ctx, 'MUG', 'S1', 1);
        await supplierPo('W1', [{ sku: 'MUG', ordered: 4, expectedDate: '2026-12-12' }]);
        const order = await web([{ sku: 'KET', quantity: 1 }]);
        const after = await edited(order.id, 'lines', null, {
          sku: 'MUG',
          quantity: 3,
          acceptBackorder: true,
        });
        assert.deepEqual(
          after.lines.map((l) => [l.line, l.sku, l.quantity, l.allocated, l.backordered]),
          [
            [1, 'KET', 1, 1, 0],
            [2, 'MUG', 3, 1, 2],
          ],
        );
        assert.deepEqual(allocationsOf(after, 2), [{ location: 'S1', quantity: 1 }]);
        assert.equal(after.lines[1]!.promise?.date, '2026-12-12');
        assert.equal(after.state, 'waiting');
        const [event] = await events('order.line_changed');
        assert.deepEqual([event!.payload.change, event!.payload.line], ['added', 2]);
        const third = await edited(order.id, 'lines', null, { sku: 'KET', quantity: 2 });
        assert.deepEqual(
          third.lines.map((l) => l.line),
          [1, 2, 3],
        );
      });

      it('refuses a line that can be neither reserved nor backordered, changing nothing', async () => {
        await putStock(t.ctx, 'KET', 'W1', 1);
        const order = await web([{ sku: 'KET', quantity: 1 }]);
        const error = await refused(
          () => post(order.id, 'lines', null, { sku: 'MUG', quantity: 1, acceptBackorder: true }),
          409,
          'INSUFFICIENT_STOCK',
        );
        assert.deepEqual([error.details.line, error.details.state], [2, 'out_of_stock']);
        await refused(
          () => post(order.id, 'lines', null, { sku: 'NOPE', quantity: 1 }),
          404,
          'ITEM_NOT_FOUND',
        );
      });

      it('refuses an order with nothing open (fulfilled or cancelled)', async () => {
        await putStock(t.ctx, 'KET', 'W1', 5);
        const order = await web([{ sku: 'KET', quantity: 1 }]);
        const shipped = await fulfil(order.id, {
          fulfilmentId: 'F1',
          kind: 'shipment',
          lines: [{ line: 1, quantity: 1 }],
        });
        assert.equal(shipped.statusCode, 201, shipped.body);
        await refused(
          () => post(order.id, 'lines', null, { sku: 'KET', quantity: 1 }),
          409,
          'ORDER_CLOSED',
        );
        const other = await web([{ sku: 'KET', quantity: 1 }]);
        assert.equal((await cancel(other.id)).statusCode, 200);
        await refused(
          () => post(other.id, 'lines', null, { sku: 'KET', quantity: 1 }),
          409,
          'ORDER_CLOSED',
        );
      });
    });

    describe('moving an allocation', () => {
      it('reserves at `to`, releases at `from`, and fills backorders waiting at `from`', async () => {
        await putStock(t.ctx, 'KET', 'W1', 2);
        const order = await web([{ sku: 'KET', quantity: 2 }]);
        assert.deepEqual(allocationsOf(order), [{ location: 'W1', quantity: 2 }]);
        const waiting = await waitingAtW1();
        await putStock(t.ctx, 'KET', 'S1', 4);
        const after = await edited(order.id, 'move', 1, { from: 'W1', to: 'S1', quantity: 1 });
        assert.deepEqual(allocationsOf(after), [
          { location: 'W1', quantity: 1 },
          { location: 'S1', quantity: 1 },
        ]);
        assert.deepEqual(counts((await getOrder(waiting.id)).lines[0]!), {
          state: 'ready',
          allocated: 1,
          backordered: 0,
          fulfilled: 0,
          cancelled: 0,
          unpromised: 0,
        });
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 2, reserved: 2, available: 0 });
        assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 4, reserved: 1, available: 3 });
        const [event] = await events('order.line_changed');
        assert.deepEqual(
          [
            event!.payload.change,
            event!.payload.from,
            event!.payload.to,
            event!.payload.backordersFilled,
          ],
          ['moved', 'W1', 'S1', 1],
        );
        assert.equal((await events('order_line.ready')).length, 1);
        // The filled customer no longer holds the purchase order's unit: free for the queue.
        assert.equal(await promisedOn(waiting.poLine), 0);
      });

      it('refuses more than allocated, no free stock, or a location off the channel', async () => {
        await putStock(t.ctx, 'KET', 'W1', 3);
        await putStock(t.ctx, 'KET', 'S1', 1, 1);
        const order = await web([{ sku: 'KET', quantity: 2 }]);
        const exceeds = await refused(
          () => post(order.id, 'move', 1, { from: 'W1', to: 'S1', quantity: 3 }),
          409,
          'MOVE_EXCEEDS_ALLOCATION',
        );
        assert.deepEqual([exceeds.details.allocated, exceeds.details.quantity], [2, 3]);
        await refused(
          () => post(order.id, 'move', 1, { from: 'S1', to: 'W1', quantity: 1 }),
          409,
          'MOVE_EXCEEDS_ALLOCATION',
        );
        // S1's one unit is its safety stock: nothing free there.
        const short = await refused(
          () => post(order.id, 'move', 1, { from: 'W1', to: 'S1', quantity: 1 }),
          409,
          'INSUFFICIENT_STOCK',
        );
        assert.deepEqual([short.details.location, short.details.available], ['S1', 0]);
        await refused(
          () => post(order.id, 'move', 1, { from: 'W1', to: 'W1', quantity: 1 }),
          400,
          'SAME_LOCATION',
        );
        await putStock(t.ctx, 'KET', 'S1', 3);
        const pos = await placed({ channel: 'pos', lines: [{ sku: 'KET', quantity: 1 }] });
        await refused(
          () => post(pos.id, 'move', 1, { from: 'S1', to: 'W1', quantity: 1 }),
          400,
          'LOCATION_NOT_ON_CHANNEL',
        );
      });
    });

    it('refuses moves and uncancels on a fulfilled order, changing nothing', async () => {
      await putStock(t.ctx, 'KET', 'W1', 2);
      await putStock(t.ctx, 'KET', 'S1', 2);
      const order = await web([{ sku: 'KET', quantity: 2 }]);
      const shipped = await fulfil(order.id, {
        fulfilmentId: 'F1',
        kind: 'shipment',
        lines: [{ line: 1, quantity: 2 }],
      });
      assert.equal(shipped.statusCode, 201, shipped.body);
      assert.equal((await getOrder(order.id)).state, 'fulfilled');
      await refused(
        () => post(order.id, 'move', 1, { from: 'W1', to: 'S1', quantity: 1 }),
        409,
        'MOVE_EXCEEDS_ALLOCATION',
      );
      await refused(() => post(order.id, 'uncancel', 1, {}), 409, 'NOTHING_CANCELLED');
    });

    describe('shipping from another location', () => {
      it('re-allocates to a location with free stock and ships in one go', async () => {
        await putStock(t.ctx, 'KET', 'W1', 2);
        const order = await web([{ sku: 'KET', quantity: 2 }]);
        const waiting = await waitingAtW1();
        await putStock(t.ctx, 'KET', 'S1', 3);

        const response = await fulfil(order.id, {
          fulfilmentId: 'F1',
          kind: 'pickup',
          lines: [{ line: 1, quantity: 1, location: 'S1' }],
        });
        assert.equal(response.statusCode, 201, response.body);
        const receipt = json<{ lines: unknown[]; order: OrderDoc }>(response);
        assert.deepEqual(receipt.lines, [{ line: 1, sku: 'KET', location: 'S1', quantity: 1 }]);
        assert.deepEqual(allocationsOf(receipt.order), [{ location: 'W1', quantity: 1 }]);
        assert.equal(receipt.order.lines[0]!.fulfilled, 1);
        assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 2, reserved: 0, available: 2 });
        // W1's released unit went to the waiting customer.
        assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 2, reserved: 2, available: 0 });
        assert.equal((await getOrder(waiting.id)).lines[0]!.allocated, 1);
        const [moved] = await events('order.line_changed');
        assert.deepEqual(
          [
            moved!.payload.change,
            moved!.payload.from,
            moved!.payload.to,
            moved!.payload.fulfilmentId,
          ],
          ['moved', 'W1', 'S1', 'F1'],
        );
        await assertConsistent();
      });

      it('refuses a location without free stock, changing nothing', async () => {
        await putStock(t.ctx, 'KET', 'W1', 2);
        const order = await web([{ sku: 'KET', quantity: 2 }]);
        const error = await refused(
          () =>
            fulfil(order.id, {
              fulfilmentId: 'F1',
              kind: 'shipment',
              lines: [{ line: 1, quantity: 1, location: 'S1' }],
            }),
          409,
          'NOT_ALLOCATED',
        );
        assert.deepEqual([error.details.location, error.details.free], ['S1', 0]);
        await refused(
          () =>
            fulfil(order.id, {
              fulfilmentId: 'F1',
              kind: 'shipment',
              lines: [{ line: 1, quantity: 3, location: 'S1' }],
            }),
          409,
          'NOT_ALLOCATED',
        );
      });
    });

    describe('undoing a cancellation', () => {
      it('reserves cancelled units again while the stock is free', async () => {
        await putStock(t.ctx, 'KET', 'W1', 1);
        await putStock(t.ctx, 'KET', 'S1', 4);
        const order = await web([{ sku: 'KET', quantity: 3 }]);
        assert.equal((await cancel(order.id)).statusCode, 200);
        assert.equal((await getOrder(order.id)).state, 'cancelled');
        const part = await edited(order.id, 'uncancel', 1, { quantity: 2 });
        assert.deepEqual(counts(part.lines[0]!), {
          state: 'ready',
          allocated: 2,
          backordered: 0,
          fulfilled: 0,
          cancelled: 1,
          unpromised: 0,
        });
        assert.deepEqual(allocationsOf(part), [
          { location: 'W1', quantity: 1 },
          { location: 'S1', quantity: 1 },
        ]);
        const rest = await edited(order.id, 'uncancel', 1, {});
        assert.equal(rest.lines[0]!.cancelled, 0);
        assert.equal(rest.lines[0]!.allocated, 3);
        const changes = await events('order.line_changed');
        assert.deepEqual(
          changes.map((e) => [e.payload.change, e.payload.quantity]),
          [
            ['uncancelled', 2],
            ['uncancelled', 1],
          ],
        );
      });

      it('refuses when the stock was taken meanwhile, or beyond what was cancelled', async () => {
        await putStock(t.ctx, 'KET', 'W1', 3);
        const order = await web([{ sku: 'KET', quantity: 3 }]);
        assert.equal(
          (await cancel(order.id, { lines: [{ line: 1, quantity: 2 }] })).statusCode,
          200,
        );
        await web([{ sku: 'KET', quantity: 1 }]);
        const error = await refused(
          () => post(order.id, 'uncancel', 1, { quantity: 2 }),
          409,
          'INSUFFICIENT_STOCK',
        );
        assert.deepEqual([error.details.available, error.details.quantity], [1, 2]);
        await refused(
          () => post(order.id, 'uncancel', 1, { quantity: 3 }),
          409,
          'UNCANCEL_EXCEEDS_CANCELLED',
        );
        await putStock(t.ctx, 'MUG', 'W1', 1);
        const whole = await web([{ sku: 'MUG', quantity: 1 }]);
        await refused(() => post(whole.id, 'uncancel', 1, {}), 409, 'NOTHING_CANCELLED');
        // Within the stock still free it works, for part of it.
        const one = await edited(order.id, 'uncancel', 1, { quantity: 1 });
        assert.equal(one.lines[0]!.allocated, 2);
      });
    });

    describe('access, idempotency and bad input', () => {
      it("keeps a channel key to its own channel's orders on every change", async () => {
        await putStock(t.ctx, 'KET', 'W1', 5);
        await putStock(t.ctx, 'KET', 'S1', 5);
        const order = await web([{ sku: 'KET', quantity: 2 }]);
        assert.equal(
          (await cancel(order.id, { lines: [{ line: 1, quantity: 1 }] })).statusCode,
          200,
        );
        const pos = await t.channelKey('pos');
        const attempts: [Edit, number | null, unknown][] = [
          ['increase', 1, { by: 1 }],
          ['lines', null, { sku: 'KET', quantity: 1 }],
          ['move', 1, { from: 'W1', to: 'S1', quantity: 1 }],
          ['uncancel', 1, {}],
        ];
        for (const [edit, line, body] of attempts) {
          await refused(
            () => post(order.id, edit, line, body, { key: pos }),
            404,
            'ORDER_NOT_FOUND',
          );
        }
        const own = await t.channelKey('web');
        for (const [edit, line, body] of attempts) {
          const response = await post(order.id, edit, line, body, { key: own });
          assert.equal(response.statusCode, 200, `${edit}: ${response.body}`);
        }
        await assertConsistent();
      });

      it('answers a retry with the same key once, and refuses a missing key or another body', async () => {
        await putStock(t.ctx, 'KET', 'W1', 10);
        const order = await web([{ sku: 'KET', quantity: 1 }]);
        const first = await post(order.id, 'increase', 1, { by: 2 }, { idempotencyKey: 'k-1' });
        assert.equal(first.statusCode, 200, first.body);
        const before = await databaseFingerprint(t.ctx);
        const replay = await post(order.id, 'increase', 1, { by: 2 }, { idempotencyKey: 'k-1' });
        assert.equal(replay.statusCode, 200);
        assert.equal(replay.headers['idempotent-replayed'], 'true');
        assert.deepEqual(json(replay), json(first));
        assert.equal(await databaseFingerprint(t.ctx), before);
        await refused(
          () => post(order.id, 'increase', 1, { by: 3 }, { idempotencyKey: 'k-1' }),
          422,
          'IDEMPOTENCY_KEY_REUSED',
        );
        await refused(
          () => post(order.id, 'increase', 1, { by: 2 }, { idempotencyKey: null }),
          400,
          'VALIDATION_FAILED',
        );
        assert.equal((await getOrder(order.id)).lines[0]!.quantity, 3);
      });

      it('answers malformed bodies with a 400 and changes nothing', async () => {
        await putStock(t.ctx, 'KET', 'W1', 10);
        const order = await web([{ sku: 'KET', quantity: 2 }]);
        assert.equal(
          (await cancel(order.id, { lines: [{ line: 1, quantity: 1 }] })).statusCode,
          200,
        );
        const badUnits = fc.oneof(
          fc.integer({ max: 0 }),
          fc.integer({ min: 100_001 }),
          fc.double().filter((d) => !Number.isInteger(d)),
          fc.string().filter((v) => !/^\s*[+-]?\d/.test(v)),
          fc.constant(null),
        );
        const extra = { extra: plainJsonValue };
        const bad = fc.oneof(
          fc.record({ edit: fc.constant<Edit>('increase'), body: fc.record({ by: badUnits }) }),
          fc.record({
            edit: fc.constant<Edit>('increase'),
            body: fc.record({ by: fc.constant(1), ...extra }),
          }),
          fc.record({
            edit: fc.constant<Edit>('lines'),
            body: fc.oneof(
              fc.record({ sku: fc.constant('KET'), quantity: badUnits }),
              fc.record({ sku: fc.constant('K E T'), quantity: fc.constant(1) }),
              fc.record({
                sku: fc.constant('KET'),
                quantity: fc.constant(1),
                acceptBackorder: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
              }),
              fc.record({ sku: fc.constant('KET'), quantity: fc.constant(1), ...extra }),
              fc.record({ quantity: fc.constant(1) }),
            ),
          }),
          fc.record({
            edit: fc.constant<Edit>('move'),
            body: fc.oneof(
              fc.record({ from: fc.constant('W1'), to: fc.constant('S1'), quantity: badUnits }),
              fc.record({ from: fc.constant(''), to: fc.constant('S1'), quantity: fc.constant(1) }),
              fc
                .record(
                  { from: fc.constant('W1'), to: fc.constant('S1'), quantity: fc.constant(1) },
                  { requiredKeys: [] },
                )
                .filter((b) => Object.keys(b).length < 3),
              fc.record({
                from: fc.constant('W1'),
                to: fc.constant('S1'),
                quantity: fc.constant(1),
                ...extra,
              }),
            ),
          }),
          fc.record({
            edit: fc.constant<Edit>('uncancel'),
            body: fc.oneof(fc.record({ quantity: badUnits }), fc.record(extra)),
          }),
        );
        const before = await databaseFingerprint(t.ctx);
        await fc.assert(
          fc.asyncProperty(bad, async ({ edit, body }) => {
            const response = await post(order.id, edit, edit === 'lines' ? null : 1, body);
            assert.equal(
              response.statusCode,
              400,
              `${edit} ${JSON.stringify(body)}: ${response.body}`,
            );
            assert.equal(
              json<{ error: { code: string } }>(response).error.code,
              'VALIDATION_FAILED',
            );
          }),
          { numRuns: 60 },
        );
        assert.equal(await databaseFingerprint(t.ctx), before);
        await refused(() => post(order.id + 100, 'increase', 1, { by: 1 }), 404, 'ORDER_NOT_FOUND');
      });
    });
  });
}
