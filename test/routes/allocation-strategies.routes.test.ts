import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { orderBatcher } from '../../src/orders/order-batcher.js';
import { placeOrder } from '../../src/orders/place-order.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { databaseFingerprint } from '../helpers/db-fingerprint.js';
import {
  ADMIN_PRINCIPAL,
  insertChannel,
  insertItem,
  insertLocation,
  putStock,
} from '../helpers/factories.js';
import { plainJsonValue } from '../helpers/json-values.js';
import { assertError, type OrderDoc, orderKit } from '../helpers/orders.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

/**
 * Allocation strategies per channel (issue 15, item 6): which of a channel's locations an
 * order's units come from (priority, most stock, closest to the pickup location), the
 * pickup location an order names, and locations taken off sale without being deleted.
 *
 * The world: channel "web" sells from W1 (London), S1 (Slough), S2 (Southend) and N1 (no
 * coordinates), in that priority. From Southend, London is 58 km away and Slough 91 km.
 */

interface QuoteDoc {
  purchasable: boolean;
  lines: {
    outcome: string;
    available: number;
    incoming: number;
    fromStock: { location: string; quantity: number }[];
  }[];
}
interface ChannelDoc {
  code: string;
  locations: string[];
  allocationStrategy: string;
}
interface LocationDoc {
  code: string;
  latitude: number | null;
  longitude: number | null;
  sellable: boolean;
}

const LONDON = { latitude: 51.5074, longitude: -0.1278 };
const SLOUGH = { latitude: 51.5105, longitude: -0.595 };
const SOUTHEND = { latitude: 51.5459, longitude: 0.7077 };

const line = (quantity: number, sku = 'KET') => [{ sku, quantity }];

for (const target of testDatabases()) {
  describe(`allocation strategies (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertLocation(t.ctx, { code: 'W1', kind: 'warehouse', ...LONDON });
      await insertLocation(t.ctx, { code: 'S1', kind: 'store', ...SLOUGH });
      await insertLocation(t.ctx, { code: 'S2', kind: 'store', ...SOUTHEND });
      await insertLocation(t.ctx, { code: 'N1', kind: 'store' });
      await insertChannel(t.ctx, { code: 'web', locations: ['W1', 'S1', 'S2', 'N1'] });
      await insertChannel(t.ctx, { code: 'pos', kind: 'pos', locations: ['S1'] });
      await insertItem(t.ctx, { sku: 'KET', name: 'Kettle' });
    });
    afterEach(async () => {
      await t.close();
    });

    const { placed, stockOf, getOrder } = orderKit(() => t);
    const stockAt = async (levels: Record<string, number>) => {
      for (const [location, units] of Object.entries(levels)) {
        await putStock(t.ctx, 'KET', location, units);
      }
    };
    const quote = async (body: unknown) => {
      const response = await t.request({ method: 'POST', url: '/v1/orders/quote', body });
      assert.equal(response.statusCode, 200, response.body);
      return json<QuoteDoc>(response);
    };
    const patch = async (url: string, body: unknown) => {
      const response = await t.request({ method: 'PATCH', url, body });
      assert.equal(response.statusCode, 200, response.body);
      return response;
    };
    const setStrategy = (allocationStrategy: string) =>
      patch('/v1/channels/web', { allocationStrategy });
    const takeOffSale = (code: string) => patch(`/v1/locations/${code}`, { sellable: false });
    const allocations = (order: OrderDoc) => order.lines[0]!.allocations;
    const availableOn = async (query: string) => {
      const response = await t.request({ method: 'GET', url: `/v1/availability/KET?${query}` });
      assert.equal(response.statusCode, 200, response.body);
      const body = json<{ quantities: { available: number }; locations: { location: string }[] }>(
        response,
      );
      return { available: body.quantities.available, locations: body.locations };
    };

    it('priority, the default, takes from the locations in the channel order', async () => {
      await stockAt({ W1: 2, S1: 5, S2: 9 });
      const channel = json<ChannelDoc>(await t.request({ method: 'GET', url: '/v1/channels/web' }));
      assert.equal(channel.allocationStrategy, 'priority');
      const order = await placed({ channel: 'web', lines: line(3) });
      assert.deepEqual(allocations(order), [
        { location: 'W1', quantity: 2 },
        { location: 'S1', quantity: 1 },
      ]);
    });

    it('most_stock takes from the location with the most free units, ties by priority', async () => {
      await stockAt({ W1: 2, S1: 4, S2: 4 });
      const changed = json<ChannelDoc>(await setStrategy('most_stock'));
      assert.equal(changed.allocationStrategy, 'most_stock');
      const body = { channel: 'web', lines: line(3) };
      assert.deepEqual((await quote(body)).lines[0]!.fromStock, [{ location: 'S1', quantity: 3 }]);
      assert.deepEqual(allocations(await placed(body)), [{ location: 'S1', quantity: 3 }]);
      // S1 now has 1 free, S2 4: the next order goes to S2 and splits to W1, then S1.
      assert.deepEqual(allocations(await placed({ channel: 'web', lines: line(7) })), [
        { location: 'W1', quantity: 2 },
        { location: 'S1', quantity: 1 },
        { location: 'S2', quantity: 4 },
      ]);
      assert.deepEqual(await stockOf('KET', 'S2'), { onHand: 4, reserved: 4, available: 0 });
    });

    it('closest_to_pickup: the pickup location, then by distance, locations without a place last', async () => {
      await stockAt({ W1: 1, S1: 5, S2: 1, N1: 5 });
      await setStrategy('closest_to_pickup');
      const body = { channel: 'web', pickupLocation: 'S2', lines: line(4) };
      const expected = [
        { location: 'S2', quantity: 1 },
        { location: 'W1', quantity: 1 },
        { location: 'S1', quantity: 2 },
      ];
      const q = await quote(body);
      assert.deepEqual(q.lines[0]!.fromStock, expected);
      const order = await placed(body);
      assert.equal(order.pickupLocation, 'S2');
      // The document lists allocations by location id: W1, S1, S2.
      assert.deepEqual(allocations(order), [expected[1], expected[2], expected[0]]);
      assert.equal((await getOrder(order.id)).pickupLocation, 'S2');
      // Everything placed: N1 (no coordinates) comes last.
      assert.deepEqual(allocations(await placed({ ...body, lines: line(6) })), [
        { location: 'S1', quantity: 3 },
        { location: 'N1', quantity: 3 },
      ]);
    });

    it('closest_to_pickup with a pickup location out of stock starts at the nearest other', async () => {
      await stockAt({ W1: 5, S1: 5 });
      await setStrategy('closest_to_pickup');
      const order = await placed({ channel: 'web', pickupLocation: 'S1', lines: line(2) });
      assert.deepEqual(allocations(order), [{ location: 'S1', quantity: 2 }]);
      const fromS2 = await placed({ channel: 'web', pickupLocation: 'S2', lines: line(2) });
      assert.deepEqual(allocations(fromS2), [{ location: 'W1', quantity: 2 }]);
      // Without a pickup location the channel's priority decides.
      const none = await placed({ channel: 'web', lines: line(1) });
      assert.equal(none.pickupLocation, null);
      assert.deepEqual(allocations(none), [{ location: 'W1', quantity: 1 }]);
    });

    it('under priority a pickup location is recorded but does not steer, unlike a counter sale', async () => {
      await stockAt({ W1: 5, S2: 5 });
      const order = await placed({ channel: 'web', pickupLocation: 'S2', lines: line(2) });
      assert.equal(order.pickupLocation, 'S2');
      assert.deepEqual(allocations(order), [{ location: 'W1', quantity: 2 }]);
      // `location` is a counter sale: stock from there alone, wherever the pickup is.
      const counter = await placed({
        channel: 'web',
        location: 'S2',
        pickupLocation: 'W1',
        lines: line(2),
      });
      assert.equal(counter.pickupLocation, 'W1');
      assert.deepEqual(allocations(counter), [{ location: 'S2', quantity: 2 }]);
    });

    it('refuses a pickup location not on the channel (400) or off sale (409), changing nothing', async () => {
      await stockAt({ W1: 5, S1: 5 });
      await takeOffSale('S2');
      const before = await databaseFingerprint(t.ctx);
      for (const url of ['/v1/orders/quote', '/v1/orders']) {
        const headers = { 'idempotency-key': `pickup-${url}` };
        const notOn = await t.request({
          method: 'POST',
          url,
          headers,
          body: { channel: 'pos', pickupLocation: 'W1', lines: line(1) },
        });
        const error = assertError(notOn, 400, 'LOCATION_NOT_ON_CHANNEL');
        assert.deepEqual(error.details, { channel: 'pos', location: 'W1', locations: ['S1'] });
        const offSale = await t.request({
          method: 'POST',
          url,
          headers: { 'idempotency-key': `off-sale-${url}` },
          body: { channel: 'web', pickupLocation: 'S2', lines: line(1) },
        });
        const refused = assertError(offSale, 409, 'LOCATION_NOT_SELLABLE');
        assert.deepEqual(refused.details, { channel: 'web', location: 'S2' });
        const counter = await t.request({
          method: 'POST',
          url,
          headers: { 'idempotency-key': `off-sale-counter-${url}` },
          body: { channel: 'web', location: 'S2', lines: line(1) },
        });
        assertError(counter, 409, 'LOCATION_NOT_SELLABLE');
      }
      assert.equal(await databaseFingerprint(t.ctx), before);
    });

    it('a location off sale adds nothing to availability or quotes, yet still receives stock', async () => {
      await stockAt({ W1: 2, S1: 7 });
      assert.equal((await availableOn('channel=web')).available, 9);
      await t.ctx.db.deleteFrom('availability_changes').execute();
      const location = json<LocationDoc>(await takeOffSale('S1'));
      assert.equal(location.sellable, false);
      // Its items are queued for the availability watcher (webhooks, snapshots).
      const queued = await t.ctx.db.selectFrom('availability_changes').select('item_id').execute();
      assert.equal(queued.length, 1, 'the kettle, stocked at S1');
      const web = await availableOn('channel=web');
      assert.equal(web.available, 2);
      assert.ok(!web.locations.some((l) => l.location === 'S1'), JSON.stringify(web));
      // pos sells from S1 alone: nothing there now.
      assert.equal((await availableOn('channel=pos')).available, 0);
      // Looked at as a location, its stock is all there.
      assert.equal((await availableOn('location=S1')).available, 7);
      const q = await quote({ channel: 'web', lines: line(3) });
      assert.equal(q.purchasable, false);
      assert.equal(q.lines[0]!.available, 2);

      // Stock keeps arriving: an adjustment and a transfer into it.
      const adjusted = await t.request({
        method: 'POST',
        url: '/v1/stock/adjustments',
        headers: { 'idempotency-key': 'adjust-s1' },
        body: { sku: 'KET', location: 'S1', delta: 3, reason: 'found' },
      });
      assert.equal(adjusted.statusCode, 201, adjusted.body);
      const transfer = await t.request({
        method: 'POST',
        url: '/v1/transfers',
        body: { sku: 'KET', from: 'W1', to: 'S1', quantity: 1, expectedDate: '2026-11-28' },
      });
      assert.equal(transfer.statusCode, 201, transfer.body);
      const id = json<{ id: number }>(transfer).id;
      const received = await t.request({
        method: 'POST',
        url: `/v1/transfers/${id}/receipts`,
        body: { receiptId: 'R1', quantity: 1 },
      });
      assert.equal(received.statusCode, 201, received.body);
      assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 11, reserved: 0, available: 11 });
      assert.equal((await availableOn('channel=web')).available, 1);

      // Back on sale: the channel sells from it at once.
      await patch('/v1/locations/S1', { sellable: true });
      assert.equal((await availableOn('channel=web')).available, 12);
    });

    it('orders never reserve at a location off sale, alone or in a batch, under every strategy', async () => {
      await stockAt({ W1: 3, S1: 20, S2: 3 });
      await takeOffSale('S1');
      for (const strategy of ['priority', 'most_stock', 'closest_to_pickup']) {
        await setStrategy(strategy);
        const order = await placed({ channel: 'web', pickupLocation: 'S2', lines: line(1) });
        assert.ok(!allocations(order).some((a) => a.location === 'S1'), strategy);
      }
      // The single path: placeOrder without a batcher, one transaction for the order.
      const alone = await placeOrder(
        t.ctx,
        { channel: 'web', lines: line(2) },
        'alone-1',
        ADMIN_PRINCIPAL,
      );
      // closest_to_pickup without a pickup location: priority. W1 has 2 left, S2 1.
      assert.deepEqual(alone.order.lines[0]!.allocations, [{ location: 'W1', quantity: 2 }]);
      // A batch: six one-unit orders arrive together; only one unit is left for sale.
      const batcher = orderBatcher(t.ctx, { maxBatch: 64, maxWaitMs: 0, maxInFlight: 1 });
      const answers = await Promise.allSettled(
        Array.from({ length: 6 }, (_, n) =>
          placeOrder(
            t.ctx,
            { channel: 'web', lines: line(1) },
            `batch-${n}`,
            ADMIN_PRINCIPAL,
            batcher,
          ),
        ),
      );
      assert.ok(batcher.orders.stats.largest > 1, 'the orders shared a batch');
      const placedOnes = answers.filter((a) => a.status === 'fulfilled');
      assert.equal(placedOnes.length, 1, 'one unit for sale, one order placed');
      for (const answer of answers) {
        if (answer.status === 'rejected') assert.equal(answer.reason.code, 'ORDER_REFUSED');
      }
      assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 20, reserved: 0, available: 20 });
      assert.deepEqual(await stockOf('KET', 'W1'), { onHand: 3, reserved: 3, available: 0 });
      assert.deepEqual(await stockOf('KET', 'S2'), { onHand: 3, reserved: 3, available: 0 });
    });

    it('supply due at a location off sale backs no new promise, and units found there fill no waiting line', async () => {
      const supplier = await insertSupplier(t.ctx);
      await insertPurchaseOrder(t.ctx, {
        supplier,
        location: 'S1',
        state: 'confirmed',
        lines: [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-05' }],
      });
      await takeOffSale('S1');
      const wanted = [{ sku: 'KET', quantity: 2, acceptBackorder: true }];
      const q = await quote({ channel: 'web', lines: wanted });
      assert.equal(q.lines[0]!.outcome, 'refused', JSON.stringify(q));
      assert.equal(q.lines[0]!.incoming, 0);
      await insertPurchaseOrder(t.ctx, {
        supplier,
        location: 'W1',
        state: 'confirmed',
        lines: [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-07' }],
      });
      const order = await placed({ channel: 'web', lines: wanted });
      assert.equal(order.lines[0]!.backordered, 2);
      assert.deepEqual(
        order.lines[0]!.promise?.restsOn.map((r) => ('location' in r ? r.location : null)),
        ['W1'],
      );
      // Units found at S1 are not tied to any supply: they would fill a waiting line whose
      // channel sells from S1, but S1 is off sale.
      const found = await t.request({
        method: 'POST',
        url: '/v1/stock/adjustments',
        headers: { 'idempotency-key': 'found-s1' },
        body: { sku: 'KET', location: 'S1', delta: 3, type: 'return', reason: 'found' },
      });
      assert.equal(found.statusCode, 201, found.body);
      assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 3, reserved: 0, available: 3 });
      assert.equal((await getOrder(order.id)).lines[0]!.backordered, 2);
    });

    it('reservations made before a location went off sale are fulfilled as usual', async () => {
      await stockAt({ S1: 4 });
      const order = await placed({ channel: 'pos', lines: line(3) });
      await takeOffSale('S1');
      const shipped = await t.request({
        method: 'POST',
        url: `/v1/orders/${order.id}/fulfilments`,
        key: t.staffKey,
        body: { fulfilmentId: 'F1', kind: 'pickup', lines: [{ line: 1, quantity: 3 }] },
      });
      assert.equal(shipped.statusCode, 201, shipped.body);
      assert.deepEqual(await stockOf('KET', 'S1'), { onHand: 1, reserved: 0, available: 1 });
    });

    it('stores and clears coordinates, in range and in pairs', async () => {
      const moved = json<LocationDoc>(
        await patch('/v1/locations/N1', { latitude: -33.8688, longitude: 151.2093 }),
      );
      assert.deepEqual([moved.latitude, moved.longitude], [-33.8688, 151.2093]);
      const cleared = json<LocationDoc>(
        await patch('/v1/locations/N1', { latitude: null, longitude: null }),
      );
      assert.deepEqual([cleared.latitude, cleared.longitude], [null, null]);
      const half = await t.request({
        method: 'PATCH',
        url: '/v1/locations/W1',
        body: { latitude: 10 },
      });
      assertError(half, 400, 'INCOMPLETE_COORDINATES');
      const created = await t.request({
        method: 'POST',
        url: '/v1/locations',
        body: { code: 'X1', name: 'Half', kind: 'store', longitude: 3 },
      });
      assertError(created, 400, 'INCOMPLETE_COORDINATES');
    });

    it('refuses bad channel, location, quote and order bodies with 400, changing nothing', async () => {
      await stockAt({ W1: 5 });
      const before = await databaseFingerprint(t.ctx);
      const notStrategy = fc
        .oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean())
        .filter((s) => !['priority', 'most_stock', 'closest_to_pickup'].includes(s as string));
      const outOfRange = (limit: number) =>
        fc.oneof(
          fc.double({ min: limit, noNaN: true, noDefaultInfinity: true }).filter((d) => d > limit),
          fc
            .double({ max: -limit, noNaN: true, noDefaultInfinity: true })
            .filter((d) => d < -limit),
          fc.string(),
          fc.boolean(),
        );
      const badRequest = fc.oneof(
        notStrategy.map((s) => ({ url: '/v1/channels/web', body: { allocationStrategy: s } })),
        notStrategy.map((s) => ({
          url: '/v1/channels',
          method: 'POST',
          body: {
            code: 'new',
            name: 'New',
            kind: 'online',
            locations: ['W1'],
            allocationStrategy: s,
          },
        })),
        outOfRange(90).map((v) => ({
          url: '/v1/locations/W1',
          body: { latitude: v, longitude: 0 },
        })),
        outOfRange(180).map((v) => ({
          url: '/v1/locations/W1',
          body: { latitude: 0, longitude: v },
        })),
        fc
          .oneof(fc.string(), fc.integer(), fc.constant(null))
          .map((v) => ({ url: '/v1/locations/W1', body: { sellable: v } })),
        fc
          .oneof(fc.integer(), fc.constant(null), fc.string({ minLength: 41 }), fc.constant(''))
          .chain((v) =>
            fc.constantFrom('/v1/orders', '/v1/orders/quote').map((url) => ({
              url,
              method: 'POST',
              body: { channel: 'web', pickupLocation: v, lines: line(1) },
            })),
          ),
        fc
          .tuple(
            fc.constantFrom('/v1/channels/web', '/v1/locations/W1'),
            fc
              .string({ minLength: 1 })
              .filter(
                (k) =>
                  !/^(name|kind|timeZone|latitude|longitude|sellable|locations|allocationStrategy|__proto__|constructor|prototype)$/.test(
                    k,
                  ),
              ),
            plainJsonValue,
          )
          .map(([url, key, value]) => ({ url, body: { name: 'Renamed', [key]: value } })),
      );
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          badRequest,
          async (bad: { url: string; body: unknown; method?: string }) => {
            const { url, body, method } = bad;
            const response = await t.request({
              method: (method ?? 'PATCH') as 'PATCH',
              url,
              body,
              headers: { 'idempotency-key': `bad-${++n}` },
            });
            assert.equal(response.statusCode, 400, `${JSON.stringify(body)} → ${response.body}`);
          },
        ),
        { numRuns: target.kind === 'sqlite' ? 60 : 30 },
      );
      assert.equal(await databaseFingerprint(t.ctx), before);
    });

    it('a channel key can neither change channel settings nor take a location off sale', async () => {
      const key = await t.channelKey('web');
      const before = await databaseFingerprint(t.ctx);
      const strategy = await t.request({
        method: 'PATCH',
        url: '/v1/channels/web',
        key,
        body: { allocationStrategy: 'most_stock' },
      });
      assert.equal(strategy.statusCode, 403, strategy.body);
      const offSale = await t.request({
        method: 'PATCH',
        url: '/v1/locations/W1',
        key,
        body: { sellable: false },
      });
      assert.equal(offSale.statusCode, 403, offSale.body);
      assert.equal(await databaseFingerprint(t.ctx), before);
      // It may still order with a pickup location on its own channel.
      await stockAt({ W1: 1 });
      const order = await placed({ channel: 'web', pickupLocation: 'S1', lines: line(1) }, { key });
      assert.equal(order.pickupLocation, 'S1');
    });
  });
}
