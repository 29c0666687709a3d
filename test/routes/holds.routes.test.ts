import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { sweepLapsedHolds } from '../../src/kernel/holds/release-holds.js';
import { placeOrder } from '../../src/orders/place-order.js';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { databaseFingerprint } from '../helpers/db-fingerprint.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { plainJsonValue } from '../helpers/json-values.js';
import { assertError, type OrderDoc, orderKit } from '../helpers/orders.js';

/**
 * Checkout holds through the API (issue 15, item 1): held units are reserved and not
 * available to others; they expire (at read time at once, swept or lazily freed later),
 * are extended, released, or converted into an order with no second reservation. After
 * every step stock.reserved = allocations + held units. Every refusal changes nothing.
 */

interface HoldDoc {
  id: number;
  channel: string;
  reference: string | null;
  status: string;
  expiresAt: string;
  orderId: number | null;
  lines: {
    line: number;
    sku: string;
    quantity: number;
    locations: { location: string; quantity: number }[];
  }[];
}

let keys = 0;
const freshKey = () => `hold-key-${++keys}`;
const at = (seconds: number) => new Date(Date.parse(TEST_NOW) + seconds * 1000).toISOString();

for (const target of testDatabases()) {
  describe(`holds routes (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      // W1 (warehouse) and S1 (store); web is filled from W1 then S1, pos from S1.
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Kettle' });
      await insertItem(t.ctx, { sku: 'MUG', name: 'Mug' });
      await putStock(t.ctx, 'KET', 'W1', 5);
      await putStock(t.ctx, 'KET', 'S1', 3);
      await putStock(t.ctx, 'MUG', 'S1', 4);
    });
    afterEach(async () => {
      await t.close();
    });

    const kit = orderKit(() => t);
    const { placed, place, stockOf, events, supplierPo, getOrder } = kit;

    const post = (
      url: string,
      body: unknown,
      options: { key?: string; idem?: string | null } = {},
    ) =>
      t.request({
        method: 'POST',
        url,
        body,
        ...(options.key !== undefined && { key: options.key }),
        headers: options.idem === null ? {} : { 'idempotency-key': options.idem ?? freshKey() },
      });

    async function held(body: unknown, key?: string): Promise<HoldDoc> {
      const response = await post('/v1/holds', body, key === undefined ? {} : { key });
      assert.equal(response.statusCode, 201, response.body);
      return json<HoldDoc>(response);
    }

    async function getHold(id: number, key?: string) {
      return t.request({ method: 'GET', url: `/v1/holds/${id}`, ...(key && { key }) });
    }

    async function available(sku: string) {
      const response = await t.request({
        method: 'GET',
        url: `/v1/availability/${sku}?channel=web`,
      });
      assert.equal(response.statusCode, 200, response.body);
      return json<{ quantities: { available: number; reserved: number } }>(response).quantities;
    }

    /** reserved = allocations + held units, on every stock row. */
    async function assertReservedAddsUp() {
      const rows = await t.ctx.db
        .selectFrom('stock')
        .select(['item_id', 'location_id', 'reserved'])
        .execute();
      for (const row of rows) {
        const alloc = await t.ctx.db
          .selectFrom('allocations')
          .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('quantity'), eb.lit(0)).as('n'))
          .where('item_id', '=', row.item_id)
          .where('location_id', '=', row.location_id)
          .executeTakeFirstOrThrow();
        const holdUnits = await t.ctx.db
          .selectFrom('hold_lines')
          .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('held'), eb.lit(0)).as('n'))
          .where('item_id', '=', row.item_id)
          .where('location_id', '=', row.location_id)
          .executeTakeFirstOrThrow();
        assert.equal(
          row.reserved,
          Number(alloc.n) + Number(holdUnits.n),
          `item ${row.item_id} at ${row.location_id}`,
        );
      }
    }

    async function refused(
      request: () => Promise<{ statusCode: number; body: string }>,
      status: number,
      code: string,
    ) {
      const before = await databaseFingerprint(t.ctx);
      const response = await request();
      const error = assertError(response as never, status, code);
      assert.equal(await databaseFingerprint(t.ctx), before, `changed something: ${response.body}`);
      return error;
    }

    it('holds units from the channel locations in priority order, and reads them back', async () => {
      const hold = await held({
        channel: 'web',
        lines: [{ sku: 'KET', quantity: 7 }],
        reference: 'cart-1',
      });
      assert.equal(hold.status, 'active');
      assert.equal(hold.expiresAt, at(900));
      assert.equal(hold.reference, 'cart-1');
      assert.deepEqual(hold.lines, [
        {
          line: 1,
          sku: 'KET',
          quantity: 7,
          locations: [
            { location: 'W1', quantity: 5 },
            { location: 'S1', quantity: 2 },
          ],
        },
      ]);
      assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 5, reserved: 5, available: 0 });
      assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 3, reserved: 2, available: 1 });
      const read = await getHold(hold.id);
      assert.equal(read.statusCode, 200, read.body);
      assert.deepEqual(json<HoldDoc>(read), hold);
      const [event] = await events('hold.created');
      assert.equal(event!.subject, `hold:${hold.id}`);
      assert.equal(event!.payload.expiresAt, hold.expiresAt);
      await assertReservedAddsUp();
    });

    it('counts held units as unavailable to others: availability, quote and orders', async () => {
      await held({ channel: 'web', lines: [{ sku: 'KET', quantity: 6 }] });
      assert.equal((await available('KET')).available, 2);
      const refusal = await place({ channel: 'web', lines: [{ sku: 'KET', quantity: 3 }] });
      assertError(refusal, 409, 'ORDER_REFUSED');
    });

    it('holds at the line location alone when one is named', async () => {
      const hold = await held({
        channel: 'web',
        lines: [{ sku: 'KET', quantity: 2, location: 'S1' }],
      });
      assert.deepEqual(hold.lines[0]!.locations, [{ location: 'S1', quantity: 2 }]);
      await refused(
        () =>
          post('/v1/holds', {
            channel: 'pos',
            lines: [{ sku: 'KET', quantity: 1, location: 'W1' }],
          }),
        400,
        'LOCATION_NOT_ON_CHANNEL',
      );
    });

    it('refuses a hold beyond stock, naming each short line, and holds nothing', async () => {
      const error = await refused(
        () =>
          post('/v1/holds', {
            channel: 'web',
            lines: [
              { sku: 'KET', quantity: 8 },
              { sku: 'MUG', quantity: 5 },
              { sku: 'KET', quantity: 1 },
            ],
          }),
        409,
        'HOLD_INSUFFICIENT_STOCK',
      );
      assert.deepEqual(error.details.lines, [
        { line: 2, sku: 'MUG', quantity: 5, available: 4 },
        { line: 3, sku: 'KET', quantity: 1, available: 0 },
      ]);
      await refused(
        () => post('/v1/holds', { channel: 'web', lines: [{ sku: 'NOPE', quantity: 1 }] }),
        404,
        'ITEM_NOT_FOUND',
      );
    });

    it('extends from now, and refuses to extend an expired hold', async () => {
      const hold = await held({
        channel: 'web',
        lines: [{ sku: 'KET', quantity: 1 }],
        ttlSeconds: 60,
      });
      t.clock.set(at(30));
      const extended = await post(`/v1/holds/${hold.id}/extend`, { ttlSeconds: 120 });
      assert.equal(extended.statusCode, 200, extended.body);
      assert.equal(json<HoldDoc>(extended).expiresAt, at(150));
      assert.equal((await events('hold.extended')).length, 1);
      t.clock.set(at(150));
      await refused(
        () => post(`/v1/holds/${hold.id}/extend`, { ttlSeconds: 120 }),
        409,
        'HOLD_EXPIRED',
      );
    });

    it('releases: units back to stock, with an event; a second release is refused', async () => {
      const hold = await held({ channel: 'web', lines: [{ sku: 'KET', quantity: 4 }] });
      const released = await post(`/v1/holds/${hold.id}/release`, {});
      assert.equal(released.statusCode, 200, released.body);
      assert.equal(json<HoldDoc>(released).status, 'released');
      assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 5, reserved: 0, available: 5 });
      assert.equal((await events('hold.released')).length, 1);
      await refused(() => post(`/v1/holds/${hold.id}/release`, {}), 409, 'HOLD_RELEASED');
      await assertReservedAddsUp();
    });

    it('converts into an order whose allocations are the held units: reserved does not change', async () => {
      const hold = await held({
        channel: 'web',
        lines: [
          { sku: 'KET', quantity: 6 },
          { sku: 'MUG', quantity: 2 },
        ],
      });
      const before = [
        await stockOf('KET', 'W1'),
        await stockOf('KET', 'S1'),
        await stockOf('MUG', 'S1'),
      ];
      const idem = freshKey();
      const converted = await post(
        `/v1/holds/${hold.id}/convert`,
        { reference: 'shop-1' },
        { idem },
      );
      assert.equal(converted.statusCode, 201, converted.body);
      const order = json<OrderDoc>(converted);
      assert.equal(order.reference, 'shop-1');
      assert.deepEqual(
        order.lines.map((l) => [l.sku, l.quantity, l.allocated, l.backordered]),
        [
          ['KET', 6, 6, 0],
          ['MUG', 2, 2, 0],
        ],
      );
      assert.deepEqual(
        [await stockOf('KET', 'W1'), await stockOf('KET', 'S1'), await stockOf('MUG', 'S1')],
        before,
      );
      const read = json<HoldDoc>(await getHold(hold.id));
      assert.equal(read.status, 'converted');
      assert.equal(read.orderId, order.id);
      assert.equal((await events('hold.converted')).length, 1);
      assert.equal((await events('order.placed')).length, 1);
      await assertReservedAddsUp();
      // The same key again: the same order, nothing new.
      const replay = await post(`/v1/holds/${hold.id}/convert`, { reference: 'shop-1' }, { idem });
      assert.equal(replay.statusCode, 201, replay.body);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.deepEqual(json<OrderDoc>(replay), order);
      // Another key: already converted.
      const error = await refused(
        () => post(`/v1/holds/${hold.id}/convert`, {}),
        409,
        'HOLD_CONVERTED',
      );
      assert.equal(error.details.orderId, order.id);
    });

    it('an expired hold is not counted at read time before the sweep, and cannot be converted', async () => {
      const hold = await held({
        channel: 'web',
        lines: [{ sku: 'KET', quantity: 6 }],
        ttlSeconds: 60,
      });
      assert.equal((await available('KET')).available, 2);
      t.clock.set(at(60));
      assert.equal((await available('KET')).available, 8);
      // The feed and the quote read the same: the lapsed units are free again.
      const feed = await t.request({ method: 'GET', url: '/v1/availability?channel=web&skus=KET' });
      assert.equal(feed.statusCode, 200, feed.body);
      assert.equal(
        json<{ items: { quantities: { available: number } }[] }>(feed).items[0]!.quantities
          .available,
        8,
        feed.body,
      );
      const quote = await t.request({
        method: 'POST',
        url: '/v1/orders/quote',
        body: { channel: 'web', lines: [{ sku: 'KET', quantity: 8 }] },
      });
      assert.equal(quote.statusCode, 200, quote.body);
      assert.equal(json<{ purchasable: boolean }>(quote).purchasable, true, quote.body);
      assert.equal(json<HoldDoc>(await getHold(hold.id)).status, 'expired');
      // Not swept yet: the units are still reserved in the stock row.
      assert.equal((await stockOf('KET', 'W1')).reserved, 5);
      await refused(() => post(`/v1/holds/${hold.id}/convert`, {}), 409, 'HOLD_EXPIRED');
      await refused(() => post(`/v1/holds/${hold.id}/release`, {}), 409, 'HOLD_EXPIRED');
    });

    it('the sweep releases expired holds with an event, once', async () => {
      const hold = await held({
        channel: 'web',
        lines: [{ sku: 'KET', quantity: 6 }],
        ttlSeconds: 60,
      });
      await held({ channel: 'web', lines: [{ sku: 'MUG', quantity: 1 }], ttlSeconds: 600 });
      t.clock.set(at(61));
      assert.equal(await sweepLapsedHolds(t.ctx), 1);
      assert.equal(await sweepLapsedHolds(t.ctx), 0);
      assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 5, reserved: 0, available: 5 });
      assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 3, reserved: 0, available: 3 });
      assert.equal((await stockOf('MUG', 'S1')).reserved, 1);
      const expired = await events('hold.expired');
      assert.deepEqual(
        expired.map((e) => e.subject),
        [`hold:${hold.id}`],
      );
      await assertReservedAddsUp();
    });

    it('an order takes the units of an expired, unswept hold: freed lazily in its transaction', async () => {
      const hold = await held({
        channel: 'web',
        lines: [{ sku: 'KET', quantity: 8 }],
        ttlSeconds: 60,
      });
      t.clock.set(at(120));
      const order = await placed({ channel: 'web', lines: [{ sku: 'KET', quantity: 7 }] });
      assert.equal(order.lines[0]!.allocated, 7);
      assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 5, reserved: 5, available: 0 });
      assert.equal((await events('hold.expired')).length, 1);
      await assertReservedAddsUp();
      // Whatever the order's transaction did not free, the sweep does; the event stays one.
      await sweepLapsedHolds(t.ctx);
      assert.equal((await events('hold.expired')).length, 1, 'expired once');
      assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 3, reserved: 2, available: 1 });
      assert.equal(json<HoldDoc>(await getHold(hold.id)).status, 'expired');
      await assertReservedAddsUp();
    });

    it('an order placed alone (no group commit) frees the lapsed units on the rows it reserves', async () => {
      await held({ channel: 'web', lines: [{ sku: 'KET', quantity: 8 }], ttlSeconds: 60 });
      t.clock.set(at(60));
      const principal = {
        scope: 'key:test',
        name: 'test',
        role: 'admin' as const,
        channel: null,
        actor: 'key:test/test',
      };
      const input = { channel: 'web', lines: [{ sku: 'KET', quantity: 6 }] };
      const placedAlone = await placeOrder(t.ctx, input, freshKey(), principal);
      assert.equal(placedAlone.order.lines[0]!.allocated, 6);
      // W1 (5 held) and S1 (3 held) were both reserved by the order: both freed first.
      assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 5, reserved: 5, available: 0 });
      assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 3, reserved: 1, available: 2 });
      assert.equal((await events('hold.expired')).length, 1);
      await assertReservedAddsUp();
    });

    it('lapsed units go to a waiting customer first: nobody takes them before the sweep does', async () => {
      await held({ channel: 'web', lines: [{ sku: 'KET', quantity: 8 }], ttlSeconds: 60 });
      await supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-10' }]);
      const waiting = await placed({
        channel: 'web',
        lines: [{ sku: 'KET', quantity: 1, acceptBackorder: true }],
      });
      assert.equal(waiting.lines[0]!.backordered, 1);
      t.clock.set(at(120));
      // Not free for others while someone waits, neither read nor taken.
      assert.equal((await available('KET')).available, 0);
      const other = await place({ channel: 'web', lines: [{ sku: 'KET', quantity: 1 }] });
      assert.equal(other.statusCode, 409, other.body);
      assert.equal((await stockOf('KET', 'W1')).reserved, 5);
      // The sweep frees them through the queue: the waiting customer is served first.
      assert.equal(await sweepLapsedHolds(t.ctx), 1);
      const served = await getOrder(waiting.id);
      assert.equal(served.lines[0]!.allocated, 1);
      assert.equal((await available('KET')).available, 7);
      await assertReservedAddsUp();
    });

    it('a new hold takes the units of an expired, unswept one', async () => {
      await held({ channel: 'web', lines: [{ sku: 'MUG', quantity: 4 }], ttlSeconds: 60 });
      t.clock.set(at(60));
      await held({ channel: 'pos', lines: [{ sku: 'MUG', quantity: 4 }] });
      assert.equal((await stockOf('MUG', 'S1')).reserved, 4);
      await assertReservedAddsUp();
    });

    it("refuses beyond the channel's cap on held units, set through the channel routes", async () => {
      const patched = await t.request({
        method: 'PATCH',
        url: '/v1/channels/web',
        body: { maxHeldUnits: 5 },
      });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.equal(json<{ maxHeldUnits: number }>(patched).maxHeldUnits, 5);
      await held({ channel: 'web', lines: [{ sku: 'KET', quantity: 3 }] });
      const error = await refused(
        () => post('/v1/holds', { channel: 'web', lines: [{ sku: 'MUG', quantity: 3 }] }),
        409,
        'HOLD_LIMIT_EXCEEDED',
      );
      assert.deepEqual(error.details, { channel: 'web', maxHeldUnits: 5, held: 3, requested: 3 });
      await held({ channel: 'web', lines: [{ sku: 'MUG', quantity: 2 }] });
      // Expired holds no longer count against the cap.
      t.clock.set(at(900));
      await held({ channel: 'web', lines: [{ sku: 'MUG', quantity: 2 }] });
    });

    it("another channel's key sees and changes none of the channel's holds (404)", async () => {
      const hold = await held({ channel: 'web', lines: [{ sku: 'KET', quantity: 1 }] });
      const pos = await t.channelKey('pos');
      const web = await t.channelKey('web');
      assertError(await getHold(hold.id, pos), 404, 'HOLD_NOT_FOUND');
      for (const action of ['extend', 'release', 'convert']) {
        const body = action === 'extend' ? { ttlSeconds: 60 } : {};
        await refused(
          () => post(`/v1/holds/${hold.id}/${action}`, body, { key: pos }),
          404,
          'HOLD_NOT_FOUND',
        );
      }
      assert.equal((await getHold(hold.id, web)).statusCode, 200);
      // A channel key holds for its own channel when none is named, and for no other.
      const own = await held({ lines: [{ sku: 'MUG', quantity: 1 }] }, pos);
      assert.equal(own.channel, 'pos');
      await refused(
        () =>
          post('/v1/holds', { channel: 'web', lines: [{ sku: 'MUG', quantity: 1 }] }, { key: pos }),
        403,
        'FORBIDDEN',
      );
    });

    it('replays a hold for the same key, and holds nothing twice', async () => {
      const idem = freshKey();
      const body = { channel: 'web', lines: [{ sku: 'KET', quantity: 2 }] };
      const first = await post('/v1/holds', body, { idem });
      assert.equal(first.statusCode, 201, first.body);
      const again = await post('/v1/holds', body, { idem });
      assert.equal(again.statusCode, 201, again.body);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.deepEqual(json(again), json(first));
      assert.equal((await stockOf('KET', 'W1')).reserved, 2);
      await refused(
        () => post('/v1/holds', { ...body, reference: 'other' }, { idem }),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
    });

    it('answers bad bodies with 400 and changes nothing', async () => {
      const hold = await held({ channel: 'web', lines: [{ sku: 'KET', quantity: 1 }] });
      const before = await databaseFingerprint(t.ctx);
      const badHold = fc.oneof(
        fc.record({ channel: fc.constant('web'), lines: fc.constant([]) }),
        fc.record({
          channel: fc.constant('web'),
          lines: fc.constant([{ sku: 'KET', quantity: 1 }]),
          ttlSeconds: fc.oneof(
            fc.integer({ max: 59 }),
            fc.integer({ min: 86_401 }),
            fc.double({ min: 60.1, max: 61, noInteger: true }),
          ),
        }),
        fc.record({
          channel: fc.constant('web'),
          lines: fc.tuple(
            fc.record({
              sku: fc.constant('KET'),
              quantity: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 100_001 }), fc.string()),
            }),
          ),
        }),
        fc.record({
          channel: fc.constant('web'),
          lines: fc.constant([{ sku: 'KET', quantity: 1 }]),
          extra: plainJsonValue,
        }),
      );
      await fc.assert(
        fc.asyncProperty(badHold, async (body) => {
          const response = await post('/v1/holds', body);
          assert.equal(response.statusCode, 400, `${JSON.stringify(body)} -> ${response.body}`);
        }),
        { numRuns: 40 },
      );
      const badExtend = fc.oneof(
        fc.record({
          ttlSeconds: fc.oneof(
            fc.integer({ max: 59 }),
            fc.integer({ min: 86_401 }),
            fc.constant(null),
          ),
        }),
        fc.record({ ttlSeconds: fc.constant(60), extra: plainJsonValue }),
        fc.constant({}),
      );
      await fc.assert(
        fc.asyncProperty(badExtend, async (body) => {
          const response = await post(`/v1/holds/${hold.id}/extend`, body);
          assert.equal(response.statusCode, 400, `${JSON.stringify(body)} -> ${response.body}`);
        }),
        { numRuns: 25 },
      );
      await fc.assert(
        fc.asyncProperty(plainJsonValue, async (extra) => {
          const response = await post(`/v1/holds/${hold.id}/convert`, { surprise: extra });
          assert.equal(response.statusCode, 400, response.body);
        }),
        { numRuns: 15 },
      );
      assert.equal(await databaseFingerprint(t.ctx), before);
    });
  });
}
