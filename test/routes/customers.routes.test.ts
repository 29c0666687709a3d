import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type * as customers from '../../src/customers/customers.schemas.js';
import { enqueueMessages } from '../../src/kernel/outbox/outbox.repository.js';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { assertError, orderKit, type Page } from '../helpers/orders.js';
import type { Body } from '../helpers/responses.js';

type CustomerBody = Body<typeof customers.Customer>;
interface Issue {
  in: string;
  path: string;
  message: string;
}

for (const target of testDatabases()) {
  describe(`customers routes (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
    });
    afterEach(async () => {
      await t.close();
    });

    const create = (body: unknown, key?: string) =>
      t.request({ method: 'POST', url: '/v1/customers', body, ...(key !== undefined && { key }) });
    const created = async (body: unknown) => {
      const response = await create(body);
      assert.equal(response.statusCode, 201, response.body);
      return json<CustomerBody>(response);
    };
    const patch = (id: number | string, body: unknown, key?: string) =>
      t.request({
        method: 'PATCH',
        url: `/v1/customers/${id}`,
        body,
        ...(key !== undefined && { key }),
      });
    const get = (url: string, key?: string) =>
      t.request({ method: 'GET', url, ...(key !== undefined && { key }) });
    const allRows = () => t.ctx.db.selectFrom('customers').selectAll().orderBy('id').execute();

    /** Asserts a 400 VALIDATION_FAILED naming `path`, and that no customer changed. */
    async function refused(
      send: () => Promise<import('fastify').LightMyRequestResponse>,
      path: string,
    ) {
      const before = await allRows();
      const error = assertError(await send(), 400, 'VALIDATION_FAILED');
      const issues = error.details.issues as Issue[];
      assert.ok(
        issues.some((i) => i.path === path),
        `expected an issue at ${path}: ${JSON.stringify(issues)}`,
      );
      assert.deepEqual(await allRows(), before);
      return issues;
    }

    it('creates a customer and reads it back', async () => {
      const ann = await created({
        name: 'Ann',
        email: 'Ann@Example.com',
        phone: '+44 7700 900001',
        preferredChannel: 'sms',
      });
      assert.deepEqual(ann, {
        id: ann.id,
        name: 'Ann',
        email: 'Ann@Example.com',
        phone: '+44 7700 900001',
        preferredChannel: 'sms',
        // Created by staff: no channel's key may use them.
        channel: null,
        language: 'en',
        createdAt: TEST_NOW,
        updatedAt: TEST_NOW,
      });
      const read = await get(`/v1/customers/${ann.id}`, t.staffKey);
      assert.equal(read.statusCode, 200, read.body);
      assert.deepEqual(json(read), ann);
      // Someone who wants no messages needs no address.
      const quiet = await created({ name: 'Quiet', preferredChannel: 'none' });
      assert.equal(quiet.email, null);
      assert.equal(quiet.phone, null);
    });

    it('needs the address of the preferred channel', async () => {
      const sms = await refused(
        () => create({ name: 'Ann', email: 'ann@example.com', preferredChannel: 'sms' }),
        '/phone',
      );
      assert.match(sms[0]!.message, /required when preferredChannel is "sms"/);
      await refused(
        () => create({ name: 'Ann', phone: '+447700900001', preferredChannel: 'email' }),
        '/email',
      );
      await refused(
        () => create({ name: 'Ann', email: null, preferredChannel: 'email' }),
        '/email',
      );
    });

    it('refuses malformed input precisely and creates nothing', async () => {
      const base = { name: 'Ann', email: 'ann@example.com', preferredChannel: 'email' };
      await refused(() => create({ ...base, email: 'not-an-email' }), '/email');
      await refused(() => create({ ...base, email: 42 }), '/email');
      await refused(() => create({ ...base, phone: '12ab' }), '/phone');
      await refused(() => create({ ...base, phone: '12345' }), '/phone');
      await refused(() => create({ ...base, phone: '+1 555 0100 0100 0100 0100' }), '/phone');
      await refused(() => create({ ...base, preferredChannel: 'pigeon' }), '/preferredChannel');
      await refused(() => create({ email: 'ann@example.com', preferredChannel: 'email' }), '/');
      await refused(() => create({ name: 'Ann', email: 'ann@example.com' }), '/');
      await refused(() => create({ ...base, name: '' }), '/name');
      await refused(() => create({ ...base, nickname: 'A' }), '/');
      const malformed = await t.request({
        method: 'POST',
        url: '/v1/customers',
        rawBody: '{"name":',
      });
      assertError(malformed, 400, 'MALFORMED_JSON');
      assert.equal((await allRows()).length, 0);
    });

    it('lists customers oldest first, page by page, and by email in any letter case', async () => {
      const ann = await created({
        name: 'Ann',
        email: 'Ann@Example.com',
        preferredChannel: 'email',
      });
      const bob = await created({
        name: 'Bob',
        email: 'bob@example.com',
        preferredChannel: 'email',
      });
      const ann2 = await created({
        name: 'Ann again',
        email: 'ann@example.com',
        preferredChannel: 'email',
      });
      const first = json<Page<CustomerBody>>(await get('/v1/customers?limit=2'));
      assert.deepEqual(
        first.items.map((c) => c.id),
        [ann.id, bob.id],
      );
      assert.ok(first.nextCursor);
      const second = json<Page<CustomerBody>>(
        await get(`/v1/customers?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`),
      );
      assert.deepEqual(
        second.items.map((c) => c.id),
        [ann2.id],
      );
      assert.equal(second.nextCursor, null);

      const byEmail = json<Page<CustomerBody>>(await get('/v1/customers?email=ANN%40example.com'));
      assert.deepEqual(
        byEmail.items.map((c) => c.id),
        [ann.id, ann2.id],
      );
      const none = json<Page<CustomerBody>>(await get('/v1/customers?email=zed%40example.com'));
      assert.deepEqual(none.items, []);
      assertError(await get('/v1/customers?cursor=zzz'), 400, 'INVALID_CURSOR');
      assertError(await get('/v1/customers?limit=0'), 400, 'VALIDATION_FAILED');
      assertError(await get('/v1/customers?name=Ann'), 400, 'VALIDATION_FAILED');
    });

    it('lists the customers orders created too', async () => {
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET-01' });
      await putStock(t.ctx, 'KET-01', 'W1', 5);
      const order = await orderKit(() => t).placed({
        channel: 'web',
        customer: { name: 'Cat', email: 'cat@example.com', preferredChannel: 'email' },
        lines: [{ sku: 'KET-01', quantity: 1 }],
      });
      const page = json<Page<CustomerBody>>(await get('/v1/customers?email=cat%40example.com'));
      assert.equal(page.items.length, 1);
      assert.equal(page.items[0]!.id, order.customer!.id);
    });

    it('changes a customer; the result must still reach them', async () => {
      const ann = await created({
        name: 'Ann',
        email: 'ann@example.com',
        preferredChannel: 'email',
      });
      t.clock.set('2026-11-27T09:00:00.000Z');
      const changed = await patch(ann.id, { phone: '+447700900001', preferredChannel: 'sms' });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.deepEqual(json(changed), {
        ...ann,
        phone: '+447700900001',
        preferredChannel: 'sms',
        updatedAt: '2026-11-27T09:00:00.000Z',
      });
      // The email can go now that messages go by SMS.
      const cleared = json<CustomerBody>(await patch(ann.id, { email: null }, t.staffKey));
      assert.equal(cleared.email, null);

      // But not the phone: SMS would reach no one.
      await refused(() => patch(ann.id, { phone: null }), '/phone');
      // Nor back to email without an address.
      await refused(() => patch(ann.id, { preferredChannel: 'email' }), '/email');
      await refused(() => patch(ann.id, { email: 'nope' }), '/email');
      await refused(() => patch(ann.id, {}), '/');
      await refused(() => patch(ann.id, { id: 7 }), '/');
      const renamed = json<CustomerBody>(await patch(ann.id, { name: 'Ann B' }));
      assert.equal(renamed.name, 'Ann B');
      assert.equal(renamed.preferredChannel, 'sms');
    });

    it('answers 404 for a customer that does not exist, 400 for an id that cannot be one', async () => {
      const error = assertError(await get('/v1/customers/999999'), 404, 'CUSTOMER_NOT_FOUND');
      assert.deepEqual(error.details, { id: 999999 });
      assertError(await patch(999999, { name: 'X' }), 404, 'CUSTOMER_NOT_FOUND');
      assertError(await get('/v1/customers/999999/messages'), 404, 'CUSTOMER_NOT_FOUND');
      assertError(await get('/v1/customers/abc'), 400, 'VALIDATION_FAILED');
      assertError(await get('/v1/customers/0'), 400, 'VALIDATION_FAILED');
    });

    it("lists a customer's messages, newest first, and no one else's", async () => {
      const ann = await created({
        name: 'Ann',
        email: 'ann@example.com',
        preferredChannel: 'email',
      });
      const bob = await created({
        name: 'Bob',
        email: 'bob@example.com',
        preferredChannel: 'email',
      });
      const message = (key: string, customerId: number, template: string) => ({
        dedupeKey: key,
        audience: 'customer' as const,
        transport: 'email' as const,
        template,
        recipient: customerId === ann.id ? 'ann@example.com' : 'bob@example.com',
        customerId,
        data: { customerName: 'x', sku: 'KET-01' },
      });
      await enqueueMessages(
        t.ctx.db,
        [
          message('a1', ann.id, 'back_in_stock'),
          message('b1', bob.id, 'back_in_stock'),
          message('a2', ann.id, 'discontinued'),
          message('a3', ann.id, 'back_in_stock'),
        ],
        TEST_NOW,
      );
      const page = json<Page<{ dedupeKey: string; customerId: number }>>(
        await get(`/v1/customers/${ann.id}/messages`, t.staffKey),
      );
      assert.deepEqual(
        page.items.map((m) => m.dedupeKey),
        ['a3', 'a2', 'a1'],
      );
      const paged = json<Page<{ dedupeKey: string }>>(
        await get(`/v1/customers/${ann.id}/messages?limit=2&template=back_in_stock`),
      );
      assert.deepEqual(
        paged.items.map((m) => m.dedupeKey),
        ['a3', 'a1'],
      );
      assert.equal(paged.nextCursor, null);
      // The customer comes from the path; a second one in the query is a mistake.
      assertError(
        await get(`/v1/customers/${ann.id}/messages?customer=${bob.id}`),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('is for staff and admins only', async () => {
      await insertWorld(t.ctx);
      const channelKey = await t.channelKey('web');
      const ann = await created({
        name: 'Ann',
        email: 'ann@example.com',
        preferredChannel: 'email',
      });
      const body = { name: 'Eve', preferredChannel: 'none' };
      assertError(await create(body, channelKey), 403, 'FORBIDDEN');
      assertError(await get('/v1/customers', channelKey), 403, 'FORBIDDEN');
      assertError(await get(`/v1/customers/${ann.id}`, channelKey), 403, 'FORBIDDEN');
      assertError(await patch(ann.id, { name: 'Eve' }, channelKey), 403, 'FORBIDDEN');
      assertError(await get(`/v1/customers/${ann.id}/messages`, channelKey), 403, 'FORBIDDEN');
      assertError(
        await t.request({ method: 'POST', url: '/v1/customers', body, key: null }),
        401,
        'UNAUTHORIZED',
      );
      assert.deepEqual(
        (await allRows()).map((r) => r.name),
        ['Ann'],
      );
      assert.equal((await create(body, t.staffKey)).statusCode, 201);
    });
  });
}
