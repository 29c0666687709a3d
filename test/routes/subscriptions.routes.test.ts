import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type * as subscriptions from '../../src/subscriptions/subscriptions.schemas.js';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { assertError } from '../helpers/orders.js';
import type { Body, Page } from '../helpers/responses.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

type Created = Body<typeof subscriptions.NewSubscription>;
type Subscription = Body<typeof subscriptions.Subscription>;
for (const target of testDatabases()) {
  describe(`subscription routes (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      // W1 and S1; web sells from W1 then S1, pos from S1. KET is out of stock everywhere.
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Kettle' });
    });
    afterEach(async () => {
      await t.close();
    });

    const subscribe = (body: Record<string, unknown>, key?: string | null) =>
      t.request({
        method: 'POST',
        url: '/v1/subscriptions',
        body,
        ...(key !== undefined && { key }),
      });
    const ann = {
      sku: 'KET',
      channel: 'web',
      name: 'Ann',
      email: 'ann@example.test',
      preferredChannel: 'email',
    };

    async function created(body: Record<string, unknown>, key?: string): Promise<Created> {
      const response = await subscribe(body, key);
      assert.equal(response.statusCode, 201, response.body);
      return json<Created>(response);
    }

    /** Everything a subscription request could write. */
    async function tables() {
      const db = t.ctx.db;
      return {
        subscriptions: await db.selectFrom('subscriptions').selectAll().orderBy('id').execute(),
        snapshots: await db
          .selectFrom('availability_snapshots')
          .selectAll()
          .orderBy('item_id')
          .orderBy('channel_id')
          .execute(),
        outbox: await db.selectFrom('outbox_messages').selectAll().orderBy('id').execute(),
      };
    }

    async function refused(
      request: () => Promise<LightMyRequestResponse>,
      status: number,
      code: string,
    ) {
      const before = await tables();
      const error = assertError(await request(), status, code);
      assert.deepEqual(await tables(), before, 'a refused request changed something');
      return error;
    }

    describe('subscribing', () => {
      it('queues contacts first come first served and returns a token and the place', async () => {
        const first = await created(ann);
        assert.deepEqual(
          { ...first, token: typeof first.token },
          {
            id: first.id,
            sku: 'KET',
            channel: 'web',
            state: 'waiting',
            token: 'string',
            position: 1,
            createdAt: TEST_NOW,
          },
        );
        assert.match(first.token, /^[A-Za-z0-9_-]{32}$/);
        const second = await created({
          sku: 'KET',
          channel: 'web',
          phone: '+44 (7700) 900-123',
          preferredChannel: 'sms',
        });
        assert.equal(second.position, 2);
        assert.notEqual(second.token, first.token);
        // Another channel is another queue.
        const onPos = await created({ ...ann, channel: 'pos' });
        assert.equal(onPos.position, 1);

        const stored = await t.ctx.db
          .selectFrom('subscriptions')
          .select(['contact', 'preferred_channel', 'phone'])
          .where('id', '=', second.id)
          .executeTakeFirstOrThrow();
        assert.deepEqual(stored, {
          contact: '+447700900123',
          preferred_channel: 'sms',
          phone: '+44 (7700) 900-123',
        });
      });

      it('gives a contact already waiting its place back (200), however the address is typed', async () => {
        const first = await created(ann);
        await created({ ...ann, email: 'bob@example.test', name: 'Bob' });
        const before = await tables();
        const again = await subscribe({ ...ann, email: 'ANN@Example.TEST', name: 'Ann B.' });
        assert.equal(again.statusCode, 200, again.body);
        assert.deepEqual(json<Created>(again), first);
        assert.deepEqual(await tables(), before);
      });

      it('records what the channel shows, so the first return is noticed', async () => {
        await created(ann);
        const snapshots = await t.ctx.db
          .selectFrom('availability_snapshots as s')
          .innerJoin('channels as c', 'c.id', 's.channel_id')
          .select(['c.code', 's.state', 's.available', 's.next_wave_at'])
          .execute();
        assert.deepEqual(snapshots, [
          { code: 'web', state: 'out_of_stock', available: 0, next_wave_at: null },
        ]);
      });

      it('is allowed while only backorders are possible: they are not stock on the shelf', async () => {
        const supplier = await insertSupplier(t.ctx);
        await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'W1',
          state: 'sent',
          lines: [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-10' }],
        });
        const sub = await created(ann);
        assert.equal(sub.state, 'waiting');
        const snapshot = await t.ctx.db
          .selectFrom('availability_snapshots')
          .select(['state', 'available'])
          .executeTakeFirstOrThrow();
        assert.deepEqual(snapshot, { state: 'backorder', available: 0 });
      });

      it('links a known customer and takes their name when none is given', async () => {
        const { id: customerId } = await t.ctx.db
          .insertInto('customers')
          .values({
            name: 'Cara',
            email: 'cara@example.test',
            phone: null,
            preferred_channel: 'email',
            created_at: TEST_NOW,
            updated_at: TEST_NOW,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const sub = await created({
          sku: 'KET',
          channel: 'web',
          email: 'cara@example.test',
          preferredChannel: 'email',
          customerId,
        });
        const shown = json<Subscription>(
          await t.request({ method: 'GET', url: `/v1/subscriptions/${sub.id}` }),
        );
        assert.equal(shown.customerId, customerId);
        assert.equal(shown.name, 'Cara');
      });

      it('lets a channel key subscribe for its own channel', async () => {
        const key = await t.channelKey('web');
        const sub = await created(ann, key);
        assert.equal(sub.channel, 'web');
      });
    });

    describe('refusals change nothing', () => {
      it('400 CONTACT_REQUIRED when the preferred channel has no address', async () => {
        const error = await refused(
          () =>
            subscribe({
              sku: 'KET',
              channel: 'web',
              email: 'a@example.test',
              preferredChannel: 'sms',
            }),
          400,
          'CONTACT_REQUIRED',
        );
        assert.deepEqual(error.details, { preferredChannel: 'sms', missing: 'phone' });
        const byEmail = await refused(
          () =>
            subscribe({
              sku: 'KET',
              channel: 'web',
              phone: '+447700900123',
              preferredChannel: 'email',
            }),
          400,
          'CONTACT_REQUIRED',
        );
        assert.deepEqual(byEmail.details, { preferredChannel: 'email', missing: 'email' });
      });

      it('400 VALIDATION_FAILED for malformed bodies', async () => {
        const bodies: Record<string, unknown>[] = [
          { sku: 'KET', channel: 'web', email: 'ann@example.test' },
          { ...ann, preferredChannel: 'none' },
          { ...ann, email: 'not an address' },
          { ...ann, phone: 'call me' },
          { ...ann, sku: 'no spaces allowed' },
          { ...ann, customerId: 0 },
          { ...ann, customerId: '7' },
          { ...ann, extra: true },
          { channel: 'web', email: 'ann@example.test', preferredChannel: 'email' },
        ];
        for (const body of bodies) {
          await refused(() => subscribe(body), 400, 'VALIDATION_FAILED');
        }
      });

      it('404 for an unknown item, channel or customer', async () => {
        await refused(() => subscribe({ ...ann, sku: 'NOPE' }), 404, 'ITEM_NOT_FOUND');
        await refused(() => subscribe({ ...ann, channel: 'nope' }), 404, 'CHANNEL_NOT_FOUND');
        await refused(() => subscribe({ ...ann, customerId: 999 }), 404, 'CUSTOMER_NOT_FOUND');
      });

      it('403 for a channel key asking for another channel, 401 without a key', async () => {
        const key = await t.channelKey('pos');
        const error = await refused(() => subscribe(ann, key), 403, 'FORBIDDEN');
        assert.deepEqual(error.details, { channel: 'pos', requested: 'web' });
        await refused(() => subscribe(ann, null), 401, 'UNAUTHORIZED');
      });

      it('409 ITEM_DISCONTINUED: nothing will come', async () => {
        await insertItem(t.ctx, { sku: 'OLD', status: 'discontinued' });
        await refused(() => subscribe({ ...ann, sku: 'OLD' }), 409, 'ITEM_DISCONTINUED');
      });

      it('409 IN_STOCK when it can be bought from stock on the channel now', async () => {
        await putStock(t.ctx, 'KET', 'S1', 3);
        const error = await refused(() => subscribe(ann), 409, 'IN_STOCK');
        assert.deepEqual(error.details, {
          sku: 'KET',
          channel: 'web',
          state: 'in_stock',
          available: 3,
        });
        // Low stock is still stock.
        await insertItem(t.ctx, { sku: 'MUG', lowStockThreshold: 5 });
        await putStock(t.ctx, 'MUG', 'S1', 1);
        const low = await refused(
          () => subscribe({ ...ann, sku: 'MUG', channel: 'pos' }),
          409,
          'IN_STOCK',
        );
        assert.equal(low.details.state, 'low_stock');
      });

      it('subscribes where the stock is elsewhere: W1 stock does not serve pos', async () => {
        await putStock(t.ctx, 'KET', 'W1', 3);
        const sub = await created({ ...ann, channel: 'pos' });
        assert.equal(sub.position, 1);
      });
    });

    describe('reading (staff)', () => {
      it('lists in queue order with filters, pages with a cursor, and shows one', async () => {
        const a = await created(ann);
        const b = await created({ ...ann, email: 'bob@example.test', name: 'Bob' });
        const c = await created({ ...ann, channel: 'pos' });
        const all = json<Page<Subscription>>(
          await t.request({ method: 'GET', url: '/v1/subscriptions', key: t.staffKey }),
        );
        assert.deepEqual(
          all.items.map((s) => [s.id, s.channel, s.position]),
          [
            [a.id, 'web', 1],
            [b.id, 'web', 2],
            [c.id, 'pos', 1],
          ],
        );
        const first = all.items[0]!;
        assert.deepEqual(first, {
          id: a.id,
          sku: 'KET',
          channel: 'web',
          state: 'waiting',
          position: 1,
          name: 'Ann',
          email: 'ann@example.test',
          phone: null,
          preferredChannel: 'email',
          contact: 'ann@example.test',
          customerId: null,
          wave: null,
          notifiedAt: null,
          createdAt: TEST_NOW,
          updatedAt: TEST_NOW,
        });
        assert.equal((first as unknown as { token?: string }).token, undefined);

        const pos = json<Page<Subscription>>(
          await t.request({
            method: 'GET',
            url: '/v1/subscriptions?channel=pos&sku=KET&state=waiting',
          }),
        );
        assert.deepEqual(
          pos.items.map((s) => s.id),
          [c.id],
        );

        const page1 = json<Page<Subscription>>(
          await t.request({ method: 'GET', url: '/v1/subscriptions?limit=2' }),
        );
        assert.equal(page1.items.length, 2);
        assert.ok(page1.nextCursor);
        const page2 = json<Page<Subscription>>(
          await t.request({
            method: 'GET',
            url: `/v1/subscriptions?limit=2&cursor=${page1.nextCursor}`,
          }),
        );
        assert.deepEqual(
          page2.items.map((s) => s.id),
          [c.id],
        );
        assert.equal(page2.nextCursor, null);

        const one = json<Subscription>(
          await t.request({ method: 'GET', url: `/v1/subscriptions/${b.id}`, key: t.staffKey }),
        );
        assert.equal(one.position, 2);
      });

      it('refuses channel keys, unknown ids and filters, and foreign cursors', async () => {
        await created(ann);
        const key = await t.channelKey('web');
        assertError(
          await t.request({ method: 'GET', url: '/v1/subscriptions', key }),
          403,
          'FORBIDDEN',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/subscriptions/1', key }),
          403,
          'FORBIDDEN',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/subscriptions/999' }),
          404,
          'SUBSCRIPTION_NOT_FOUND',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/subscriptions/abc' }),
          400,
          'VALIDATION_FAILED',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/subscriptions?sku=NOPE' }),
          404,
          'ITEM_NOT_FOUND',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/subscriptions?channel=nope' }),
          404,
          'CHANNEL_NOT_FOUND',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/subscriptions?state=gone' }),
          400,
          'VALIDATION_FAILED',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/subscriptions?cursor=bogus' }),
          400,
          'INVALID_CURSOR',
        );
      });
    });

    describe('unsubscribing by token', () => {
      const unsubscribe = (token: string) =>
        t.request({ method: 'DELETE', url: `/v1/subscriptions/by-token/${token}`, key: null });

      it('needs no key, moves the queue up, and is idempotent', async () => {
        const a = await created(ann);
        const b = await created({ ...ann, email: 'bob@example.test' });
        const response = await unsubscribe(a.token);
        assert.equal(response.statusCode, 204, response.body);
        assert.equal(response.body, '');
        const gone = json<Subscription>(
          await t.request({ method: 'GET', url: `/v1/subscriptions/${a.id}` }),
        );
        assert.deepEqual([gone.state, gone.position], ['unsubscribed', null]);
        const next = json<Subscription>(
          await t.request({ method: 'GET', url: `/v1/subscriptions/${b.id}` }),
        );
        assert.equal(next.position, 1);

        const before = await tables();
        assert.equal((await unsubscribe(a.token)).statusCode, 204);
        assert.deepEqual(await tables(), before);
        // Subscribing again after leaving is a new place at the back.
        const again = await created(ann);
        assert.notEqual(again.id, a.id);
        assert.equal(again.position, 2);
      });

      it('404 for an unknown token (not echoed), 400 for a malformed one; nothing changes', async () => {
        await created(ann);
        const error = await refused(
          () => unsubscribe('A'.repeat(32)),
          404,
          'SUBSCRIPTION_NOT_FOUND',
        );
        assert.deepEqual(error.details, {});
        await refused(() => unsubscribe('short'), 400, 'VALIDATION_FAILED');
        await refused(
          () => unsubscribe('has.dots.in.it.and.is.long.enough'),
          400,
          'VALIDATION_FAILED',
        );
      });
    });
  });
}
