import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { createKey } from '../../src/access/keys.service.js';
import type * as customers from '../../src/customers/customers.schemas.js';
import { backfillCustomerChannels } from '../../src/db/migrations/0006_customer_channels.js';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { assertError, type OrderDoc, orderKit } from '../helpers/orders.js';
import type { Body } from '../helpers/responses.js';

/**
 * A channel key uses only its own channel's orders and customers. Anything else must be
 * indistinguishable from a missing id: the answer to "another channel's id" is compared
 * byte for byte (but for the request id) with the answer the same id got while it did
 * not exist yet, and nothing may change.
 */

type CustomerBody = Body<typeof customers.Customer>;

/** What a caller can observe of an answer, the request id aside. */
function observed(response: LightMyRequestResponse) {
  return {
    status: response.statusCode,
    contentType: response.headers['content-type'],
    contentLength: response.headers['content-length'],
    body: response.body.replace(/"requestId":"[^"]*"/, '"requestId":"-"'),
  };
}

for (const target of testDatabases()) {
  describe(`channel isolation (${target.kind})`, () => {
    let t: TestApp;
    let web: string;
    let pos: string;
    const kit = orderKit(() => t);
    beforeEach(async () => {
      t = await startTestApp(target);
      // web sells from W1 then S1, pos from S1. OUT is never in stock: subscribable.
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Copper kettle' });
      await insertItem(t.ctx, { sku: 'OUT', name: 'Sold-out teapot' });
      await putStock(t.ctx, 'KET', 'W1', 10_000);
      await putStock(t.ctx, 'KET', 'S1', 10_000);
      web = await t.channelKey('web');
      pos = await t.channelKey('pos');
    });
    afterEach(async () => {
      await t.close();
    });

    const one = [{ sku: 'KET', quantity: 1 }];

    async function nextId(table: 'customers' | 'orders') {
      const row = await t.ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.max('id').as('max'))
        .executeTakeFirst();
      return Number(row?.max ?? 0) + 1;
    }

    async function staffCustomer(body: Record<string, unknown> = {}) {
      const response = await t.request({
        method: 'POST',
        url: '/v1/customers',
        body: { name: 'Sam', email: 'sam@example.test', preferredChannel: 'email', ...body },
        key: t.staffKey,
      });
      assert.equal(response.statusCode, 201, response.body);
      return json<CustomerBody>(response);
    }

    /** Everything these requests could write, orders' rows and subscriptions alike. */
    async function everything() {
      const db = t.ctx.db;
      return {
        ...(await kit.snapshot()),
        customerRows: await db.selectFrom('customers').selectAll().orderBy('id').execute(),
        subscriptions: await db.selectFrom('subscriptions').selectAll().orderBy('id').execute(),
        outbox: await db.selectFrom('outbox_messages').selectAll().orderBy('id').execute(),
      };
    }

    /** Every channel-callable request that names a customer or an order, as `key`. */
    const probes = (key: string, customerId: number, orderId: number) => ({
      'POST /v1/orders customerId': () =>
        kit.place({ channel: 'web', customerId, lines: one }, { key }),
      'POST /v1/subscriptions customerId': () =>
        t.request({
          method: 'POST',
          url: '/v1/subscriptions',
          body: {
            sku: 'OUT',
            channel: 'web',
            email: 'eve@example.test',
            preferredChannel: 'email',
            customerId,
          },
          key,
        }),
      'GET /v1/orders/{id}': () => t.request({ method: 'GET', url: `/v1/orders/${orderId}`, key }),
      'POST /v1/orders/{id}/cancel': () =>
        t.request({ method: 'POST', url: `/v1/orders/${orderId}/cancel`, body: {}, key }),
      'POST /v1/orders/{id}/cancel a line': () =>
        t.request({
          method: 'POST',
          url: `/v1/orders/${orderId}/cancel`,
          body: { lines: [{ line: 1, quantity: 1 }] },
          key,
        }),
      'GET /v1/orders/{id}/promise-changes': () =>
        t.request({ method: 'GET', url: `/v1/orders/${orderId}/promise-changes`, key }),
    });

    async function answers(key: string, customerId: number, orderId: number) {
      const out: Record<string, ReturnType<typeof observed>> = {};
      for (const [name, send] of Object.entries(probes(key, customerId, orderId))) {
        out[name] = observed(await send());
      }
      return out;
    }

    it('reproduction: a web key ordering for a pos customer gets 404, learns nothing, ties nothing', async () => {
      const theirs = await kit.placed(
        {
          channel: 'pos',
          customer: { name: 'Pat', email: 'pat@example.test', phone: '+447700900555' },
          lines: one,
        },
        { key: pos },
      );
      const before = await everything();
      const response = await kit.place(
        { channel: 'web', customerId: theirs.customer!.id, lines: one },
        { key: web },
      );
      const error = assertError(response, 404, 'CUSTOMER_NOT_FOUND');
      assert.deepEqual(error.details, { id: theirs.customer!.id });
      assert.doesNotMatch(response.body, /Pat|pat@example|7700900555/);
      assert.deepEqual(await everything(), before);
    });

    it("answers another channel's customers and orders exactly as missing ones, changing nothing", async () => {
      const customerId = await nextId('customers');
      const orderId = await nextId('orders');
      // While these ids do not exist: what a web key is told about them.
      const missingFirst = await answers(web, customerId, orderId);
      const missingSecond = await answers(web, customerId + 1, orderId);
      for (const answer of Object.values(missingFirst)) assert.equal(answer.status, 404);

      const theirs = await kit.placed(
        { channel: 'pos', customer: { name: 'Pat', email: 'pat@example.test' }, lines: one },
        { key: pos },
      );
      assert.equal(theirs.id, orderId);
      assert.equal(theirs.customer!.id, customerId);
      // A customer staff created belongs to no channel: no channel key may use them.
      assert.equal((await staffCustomer()).id, customerId + 1);

      const before = await everything();
      assert.deepEqual(await answers(web, customerId, orderId), missingFirst);
      assert.deepEqual(await answers(web, customerId + 1, orderId), missingSecond);
      assert.deepEqual(await everything(), before);

      // The owner and staff still see and use them.
      const own = await t.request({ method: 'GET', url: `/v1/orders/${orderId}`, key: pos });
      assert.equal(own.statusCode, 200, own.body);
      for (const key of [t.staffKey, t.adminKey]) {
        const read = await t.request({ method: 'GET', url: `/v1/orders/${orderId}`, key });
        assert.equal(read.statusCode, 200, read.body);
        assert.equal(json<OrderDoc>(read).customer?.name, 'Pat');
      }
      const again = await kit.placed({ channel: 'pos', customerId, lines: one }, { key: pos });
      assert.equal(again.customer?.id, customerId);
      const byStaff = await kit.placed(
        { channel: 'web', customerId: customerId + 1, lines: one },
        { key: t.staffKey },
      );
      assert.equal(byStaff.customer?.name, 'Sam');
      const cancelled = await t.request({
        method: 'POST',
        url: `/v1/orders/${orderId}/cancel`,
        body: {},
        key: pos,
      });
      assert.equal(cancelled.statusCode, 200, cancelled.body);
    });

    it('gives a customer created with an order the channel of that order, whoever places it', async () => {
      const byWeb = await kit.placed(
        { channel: 'web', customer: { name: 'Wes' }, lines: one },
        { key: web },
      );
      const byStaffForPos = await kit.placed(
        { channel: 'pos', customer: { name: 'Pia' }, lines: one },
        { key: t.staffKey },
      );
      const read = async (id: number) =>
        json<CustomerBody>(
          await t.request({ method: 'GET', url: `/v1/customers/${id}`, key: t.staffKey }),
        );
      assert.equal((await read(byWeb.customer!.id)).channel, 'web');
      assert.equal((await read(byStaffForPos.customer!.id)).channel, 'pos');
      // The web key orders for its own customer again, and subscribes them.
      const again = await kit.placed(
        { channel: 'web', customerId: byWeb.customer!.id, lines: one },
        { key: web },
      );
      assert.equal(again.customer?.name, 'Wes');
      const subscribed = await t.request({
        method: 'POST',
        url: '/v1/subscriptions',
        body: {
          sku: 'OUT',
          channel: 'web',
          email: 'wes@example.test',
          preferredChannel: 'email',
          customerId: byWeb.customer!.id,
        },
        key: web,
      });
      assert.equal(subscribed.statusCode, 201, subscribed.body);
      // ... and the pos key cannot.
      assertError(
        await kit.place(
          { channel: 'pos', customerId: byWeb.customer!.id, lines: one },
          { key: pos },
        ),
        404,
        'CUSTOMER_NOT_FOUND',
      );
    });

    it('lets staff give a customer a channel, move it and take it away', async () => {
      const sam = await staffCustomer({ channel: 'web' });
      assert.equal(sam.channel, 'web');
      const useAs = (key: string, channel: string) =>
        kit.place({ channel, customerId: sam.id, lines: one }, { key });
      assert.equal((await useAs(web, 'web')).statusCode, 201);
      assertError(await useAs(pos, 'pos'), 404, 'CUSTOMER_NOT_FOUND');

      const patch = (body: unknown, key = t.staffKey) =>
        t.request({ method: 'PATCH', url: `/v1/customers/${sam.id}`, body, key });
      const moved = await patch({ channel: 'pos' });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.deepEqual(
        { ...json<CustomerBody>(moved), updatedAt: TEST_NOW },
        { ...sam, channel: 'pos', updatedAt: TEST_NOW },
      );
      assert.equal((await useAs(pos, 'pos')).statusCode, 201);
      assertError(await useAs(web, 'web'), 404, 'CUSTOMER_NOT_FOUND');

      const cleared = await patch({ channel: null });
      assert.equal(json<CustomerBody>(cleared).channel, null);
      assertError(await useAs(pos, 'pos'), 404, 'CUSTOMER_NOT_FOUND');
      // Leaving it out keeps it.
      await patch({ channel: 'web' });
      assert.equal(json<CustomerBody>(await patch({ name: 'Samuel' })).channel, 'web');

      // An unknown channel or a malformed code is refused, and nothing changes.
      const rows = () => t.ctx.db.selectFrom('customers').selectAll().orderBy('id').execute();
      const before = await rows();
      assertError(await patch({ channel: 'nowhere' }), 404, 'CHANNEL_NOT_FOUND');
      assertError(await patch({ channel: 'no spaces' }), 400, 'VALIDATION_FAILED');
      assertError(await patch({ channel: 7 }), 400, 'VALIDATION_FAILED');
      assertError(
        await t.request({
          method: 'POST',
          url: '/v1/customers',
          body: { name: 'X', preferredChannel: 'none', channel: 'nowhere' },
          key: t.staffKey,
        }),
        404,
        'CHANNEL_NOT_FOUND',
      );
      assert.deepEqual(await rows(), before);
    });

    it('a channel key uses exactly the customers of its channel (generated histories)', async () => {
      type Owner = 'web' | 'pos' | null;
      const creation = fc.oneof(
        fc.record({ by: fc.constantFrom('web', 'pos'), inline: fc.constant(true as const) }),
        fc.record({
          by: fc.constant('staff' as const),
          channel: fc.constantFrom<Owner>(null, 'web', 'pos'),
        }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(creation, { minLength: 1, maxLength: 4 }), async (steps) => {
          const owned: { id: number; owner: Owner }[] = [];
          for (const step of steps) {
            if (step.by === 'staff') {
              const made = await staffCustomer(
                step.channel === null ? {} : { channel: step.channel },
              );
              owned.push({ id: made.id, owner: step.channel });
            } else {
              const order = await kit.placed(
                { channel: step.by, customer: { name: 'Gen' }, lines: one },
                { key: step.by === 'web' ? web : pos },
              );
              owned.push({ id: order.customer!.id, owner: step.by });
            }
          }
          for (const { id, owner } of owned) {
            for (const channel of ['web', 'pos'] as const) {
              const key = channel === 'web' ? web : pos;
              const response = await kit.place({ channel, customerId: id, lines: one }, { key });
              if (owner === channel) {
                assert.equal(response.statusCode, 201, response.body);
              } else {
                const error = assertError(response, 404, 'CUSTOMER_NOT_FOUND');
                assert.equal(error.message, `No customer with id ${id}`);
                assert.deepEqual(error.details, { id });
              }
            }
          }
        }),
        { numRuns: 12 },
      );
    });

    it("never answers with another key's order for the same Idempotency-Key", async () => {
      const { key: secondWeb } = await createKey(t.ctx, {
        name: 'second web',
        role: 'channel',
        channel: 'web',
      });
      const body = {
        channel: 'web',
        customer: { name: 'Wes', email: 'wes@example.test' },
        lines: one,
      };
      const first = await kit.placed(body, { key: web });
      for (const [key, sent] of [
        [secondWeb, body],
        [pos, { ...body, channel: 'pos' }],
        [t.staffKey, body],
      ] as const) {
        // Same body: a new order of its own, not a replay of the first.
        const same = await kit.place(sent, { key, idempotencyKey: 'shared-key' });
        const differs = await kit.place(
          { ...sent, lines: [{ sku: 'KET', quantity: 2 }] },
          { key, idempotencyKey: 'shared-key-2' },
        );
        for (const response of [same, differs]) {
          assert.equal(response.statusCode, 201, response.body);
          assert.equal(response.headers['idempotent-replayed'], 'false');
          assert.notEqual(json<OrderDoc>(response).id, first.id);
        }
      }
      // The first key's own retry is still a replay.
      await kit.place(body, { key: web, idempotencyKey: 'shared-key' });
      const replay = await kit.place(body, { key: web, idempotencyKey: 'shared-key' });
      assert.equal(replay.headers['idempotent-replayed'], 'true');
    });
  });

  describe(`customer channels backfill (${target.kind})`, () => {
    it('gives a customer the channel of their orders when they all came from one, else none', async () => {
      const t = await startTestApp(target);
      try {
        await insertWorld(t.ctx);
        const db = t.ctx.db;
        const channelId = async (code: string) =>
          (
            await db
              .selectFrom('channels')
              .select('id')
              .where('code', '=', code)
              .executeTakeFirstOrThrow()
          ).id;
        const [webId, posId] = [await channelId('web'), await channelId('pos')];
        const customer = async (name: string) =>
          Number(
            (
              await db
                .insertInto('customers')
                .values({
                  name,
                  email: null,
                  phone: null,
                  preferred_channel: 'none',
                  created_at: TEST_NOW,
                  updated_at: TEST_NOW,
                })
                .returning('id')
                .executeTakeFirstOrThrow()
            ).id,
          );
        const order = (customerId: number, channel: number) =>
          db
            .insertInto('orders')
            .values({
              channel_id: channel,
              customer_id: customerId,
              reference: null,
              created_by: 'test',
              created_at: TEST_NOW,
              updated_at: TEST_NOW,
            })
            .execute();
        const onlyWeb = await customer('only web');
        await order(onlyWeb, webId);
        await order(onlyWeb, webId);
        const onlyPos = await customer('only pos');
        await order(onlyPos, posId);
        const both = await customer('both');
        await order(both, webId);
        await order(both, posId);
        const none = await customer('no orders');

        await backfillCustomerChannels(db as never);
        const rows = await db
          .selectFrom('customers')
          .select(['id', 'channel_id'])
          .orderBy('id')
          .execute();
        assert.deepEqual(
          rows.map((r) => [Number(r.id), r.channel_id === null ? null : Number(r.channel_id)]),
          [
            [onlyWeb, webId],
            [onlyPos, posId],
            [both, null],
            [none, null],
          ],
        );
      } finally {
        await t.close();
      }
    });
  });
}
