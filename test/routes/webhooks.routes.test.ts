import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { WEBHOOK_EVENT_TYPES } from '../../src/kernel/events/event-types.js';
import type * as webhooks from '../../src/webhooks/webhooks.schemas.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { assertError, orderKit, type Page } from '../helpers/orders.js';
import type { Body } from '../helpers/responses.js';

type Webhook = Body<typeof webhooks.Webhook> & Partial<Body<typeof webhooks.WebhookWithSecret>>;
type Delivery = Body<typeof webhooks.WebhookDelivery>;

for (const target of testDatabases()) {
  describe(`webhook routes (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
    });
    afterEach(async () => {
      await t.close();
    });

    const kit = orderKit(() => t);

    async function register(body: unknown): Promise<Webhook> {
      const response = await t.request({ method: 'POST', url: '/v1/webhooks', body });
      assert.equal(response.statusCode, 201, response.body);
      return json<Webhook>(response);
    }

    async function get(id: number): Promise<Webhook> {
      const response = await t.request({ method: 'GET', url: `/v1/webhooks/${id}` });
      assert.equal(response.statusCode, 200, response.body);
      return json<Webhook>(response);
    }

    /** Everything a webhook request could change. */
    async function snapshot() {
      const db = t.ctx.db;
      return {
        webhooks: await db.selectFrom('webhooks').selectAll().orderBy('id').execute(),
        events: await db
          .selectFrom('webhook_events')
          .selectAll()
          .orderBy('webhook_id')
          .orderBy('event_type')
          .execute(),
        outbox: await db.selectFrom('outbox_messages').selectAll().orderBy('id').execute(),
      };
    }

    async function rejected(
      request: Parameters<TestApp['request']>[0],
      status: number,
      code: string,
    ) {
      const before = await snapshot();
      const response = await t.request(request);
      const error = assertError(response, status, code);
      assert.deepEqual(await snapshot(), before, `changed something: ${response.body}`);
      return error;
    }

    async function deliveries(webhookId: number) {
      return t.ctx.db
        .selectFrom('outbox_messages')
        .selectAll()
        .where('webhook_id', '=', webhookId)
        .orderBy('id')
        .execute();
    }

    describe('registering and managing', () => {
      it('shows the secret once, when created, and never again', async () => {
        const created = await register({
          url: 'https://receiver.example.com/hooks',
          events: ['order.placed', 'item.back_in_stock'],
          description: 'ERP',
        });
        // Standard Webhooks' format: whsec_ and base64 of the key's 32 bytes.
        assert.match(created.secret ?? '', /^whsec_[A-Za-z0-9+/]{43}=$/);
        const { secret, id, ...rest } = created;
        assert.deepEqual(rest, {
          url: 'https://receiver.example.com/hooks',
          events: ['item.back_in_stock', 'order.placed'],
          description: 'ERP',
          active: true,
          createdAt: '2026-11-26T10:00:00.000Z',
          updatedAt: '2026-11-26T10:00:00.000Z',
        });
        const row = await t.ctx.db
          .selectFrom('webhooks')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        assert.equal(row.secret, secret);
        assert.match(row.created_by, /^key:\d+\/test admin$/);

        const read = await t.request({ method: 'GET', url: `/v1/webhooks/${id}` });
        assert.equal(read.statusCode, 200, read.body);
        assert.deepEqual(json(read), { id, ...rest });
        const list = await t.request({ method: 'GET', url: '/v1/webhooks' });
        assert.equal(list.statusCode, 200, list.body);
        assert.deepEqual(json(list), { items: [{ id, ...rest }], nextCursor: null });
        for (const body of [read.body, list.body]) assert.ok(!body.includes(secret!), body);

        const other = await register({ url: 'http://hooks.example.com:9999/x', events: ['*'] });
        assert.notEqual(other.secret, secret);
        assert.equal(other.description, null);
        assert.deepEqual(other.events, ['*']);
      });

      it('lists webhooks a page at a time', async () => {
        const ids: number[] = [];
        for (let i = 0; i < 3; i++) {
          ids.push((await register({ url: `https://h${i}.example.com/`, events: ['*'] })).id);
        }
        const first = json<Page<Webhook>>(
          await t.request({ method: 'GET', url: '/v1/webhooks?limit=2' }),
        );
        assert.deepEqual(
          first.items.map((w) => w.id),
          ids.slice(0, 2),
        );
        assert.ok(first.nextCursor);
        const second = json<Page<Webhook>>(
          await t.request({
            method: 'GET',
            url: `/v1/webhooks?limit=2&cursor=${first.nextCursor}`,
          }),
        );
        assert.deepEqual(
          second.items.map((w) => w.id),
          ids.slice(2),
        );
        assert.equal(second.nextCursor, null);
      });

      it('changes the URL, event types, description and active flag; events replace the set', async () => {
        const { id, createdAt } = await register({
          url: 'https://a.example.com/',
          events: ['order.placed', 'order.ready'],
        });
        t.clock.set('2026-11-27T09:00:00.000Z');
        const response = await t.request({
          method: 'PATCH',
          url: `/v1/webhooks/${id}`,
          body: {
            url: 'https://b.example.com/in',
            events: ['po.received'],
            description: 'moved',
            active: false,
          },
        });
        assert.equal(response.statusCode, 200, response.body);
        assert.deepEqual(json(response), {
          id,
          url: 'https://b.example.com/in',
          events: ['po.received'],
          description: 'moved',
          active: false,
          createdAt,
          updatedAt: '2026-11-27T09:00:00.000Z',
        });
        // Only what is sent changes.
        const again = await t.request({
          method: 'PATCH',
          url: `/v1/webhooks/${id}`,
          body: { active: true, description: null },
        });
        assert.equal(again.statusCode, 200, again.body);
        const read = await get(id);
        assert.deepEqual(
          [read.url, read.events, read.description, read.active],
          ['https://b.example.com/in', ['po.received'], null, true],
        );
      });

      it('rotates the secret: the new one is shown once and the old one is gone', async () => {
        const created = await register({ url: 'https://a.example.com/', events: ['*'] });
        const response = await t.request({
          method: 'POST',
          url: `/v1/webhooks/${created.id}/rotate-secret`,
        });
        assert.equal(response.statusCode, 200, response.body);
        const rotated = json<Webhook>(response);
        assert.match(rotated.secret ?? '', /^whsec_/);
        assert.notEqual(rotated.secret, created.secret);
        const row = await t.ctx.db
          .selectFrom('webhooks')
          .select('secret')
          .where('id', '=', created.id)
          .executeTakeFirstOrThrow();
        assert.equal(row.secret, rotated.secret);
        assert.equal((await get(created.id)).secret, undefined);
        const withBody = await t.request({
          method: 'POST',
          url: `/v1/webhooks/${created.id}/rotate-secret`,
          body: {},
        });
        assert.equal(withBody.statusCode, 200, withBody.body);
      });

      it('deletes a webhook: its deliveries stay in the log and those not sent are given up', async () => {
        await insertWorld(t.ctx);
        await insertItem(t.ctx, { sku: 'KET' });
        await putStock(t.ctx, 'KET', 'W1', 5);
        const hook = await register({ url: 'https://a.example.com/', events: ['order.placed'] });
        await kit.placed({ channel: 'web', lines: [{ sku: 'KET', quantity: 1 }] });
        assert.equal((await deliveries(hook.id)).length, 1);

        const response = await t.request({ method: 'DELETE', url: `/v1/webhooks/${hook.id}` });
        assert.equal(response.statusCode, 204, response.body);
        assert.equal(response.body, '');
        assertError(
          await t.request({ method: 'GET', url: `/v1/webhooks/${hook.id}` }),
          404,
          'WEBHOOK_NOT_FOUND',
        );
        const events = await t.ctx.db
          .selectFrom('webhook_events')
          .selectAll()
          .where('webhook_id', '=', hook.id)
          .execute();
        assert.deepEqual(events, []);
        const kept = await deliveries(hook.id);
        assert.deepEqual(
          kept.map((d) => [d.template, d.state, d.last_error]),
          [['order.placed', 'dead', 'webhook deleted']],
        );
        // Nothing more is delivered to it.
        await kit.placed({ channel: 'web', lines: [{ sku: 'KET', quantity: 1 }] });
        assert.equal((await deliveries(hook.id)).length, 1);
        await rejected(
          { method: 'DELETE', url: `/v1/webhooks/${hook.id}` },
          404,
          'WEBHOOK_NOT_FOUND',
        );
      });
    });

    describe('refusals', () => {
      it('refuses bad registrations with a precise 400 and changes nothing', async () => {
        const ok = { url: 'https://a.example.com/', events: ['order.placed'] };
        const post = (body: unknown) => ({ method: 'POST' as const, url: '/v1/webhooks', body });

        const unknown = await rejected(
          post({ ...ok, events: ['order.placed', 'order.exploded'] }),
          400,
          'UNKNOWN_EVENT_TYPE',
        );
        assert.deepEqual(unknown.details.unknown, ['order.exploded']);
        assert.deepEqual(unknown.details.allowed, [...WEBHOOK_EVENT_TYPES, '*']);
        // Internal names are not the public ones.
        await rejected(post({ ...ok, events: ['order_line.ready'] }), 400, 'UNKNOWN_EVENT_TYPE');
        await rejected(post({ ...ok, events: ['*', 'order.placed'] }), 400, 'ALL_EVENTS_ALONE');
        for (const url of ['http://', 'http://:80/', 'https://user:pw@a.example.com/']) {
          const error = await rejected(post({ ...ok, url }), 400, 'INVALID_URL');
          assert.deepEqual(error.details, { url });
        }
        for (const body of [
          { ...ok, events: [] },
          { ...ok, events: ['order.placed', 'order.placed'] },
          { ...ok, events: 'order.placed' },
          { url: ok.url },
          { events: ok.events },
          { ...ok, url: 'ftp://a.example.com/' },
          { ...ok, url: 'javascript:alert(1)' },
          { ...ok, url: 'not a url' },
          { ...ok, url: `https://a.example.com/${'x'.repeat(2000)}` },
          { ...ok, description: 'x'.repeat(501) },
          { ...ok, secret: 'whsec_mine' },
          { ...ok, active: false },
        ]) {
          await rejected(post(body), 400, 'VALIDATION_FAILED');
        }
        await rejected(
          { method: 'POST', url: '/v1/webhooks', rawBody: '{"url":' },
          400,
          'MALFORMED_JSON',
        );
      });

      it('refuses webhook URLs whose host is or resolves to a non-public address', async () => {
        const ok = { url: 'https://a.example.com/', events: ['order.placed'] };
        const post = (body: unknown) => ({ method: 'POST' as const, url: '/v1/webhooks', body });
        for (const [url, address, range] of [
          ['http://127.0.0.1:8080/hook', '127.0.0.1', 'loopback'],
          ['http://[::1]/hook', '::1', 'loopback'],
          ['http://0.0.0.0/', '0.0.0.0', 'unspecified'],
          ['http://10.1.2.3/', '10.1.2.3', 'private'],
          ['https://192.168.0.10/', '192.168.0.10', 'private'],
          ['https://172.20.0.1/', '172.20.0.1', 'private'],
          ['http://100.64.0.1/', '100.64.0.1', 'shared address space (CGNAT)'],
          ['http://169.254.169.254/latest/meta-data/', '169.254.169.254', 'link-local'],
          ['http://[fd00::1]/', 'fd00::1', 'private'],
          ['http://[fe80::1]/', 'fe80::1', 'link-local'],
          ['http://224.0.0.1/', '224.0.0.1', 'multicast'],
          // The URL parser turns these spellings of 127.0.0.1 into the address itself.
          ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1', 'loopback'],
          ['http://2130706433/', '127.0.0.1', 'loopback'],
          ['http://0x7f.1/', '127.0.0.1', 'loopback'],
        ] as const) {
          const error = await rejected(post({ ...ok, url }), 400, 'WEBHOOK_TARGET_FORBIDDEN');
          assert.equal(error.details.address, address, url);
          assert.equal(error.details.range, range, url);
          assert.equal(error.details.url, url);
          assert.match(error.message, /STOCKROOM_WEBHOOK_ALLOW_PRIVATE/);
        }
        // A name is resolved: localhost is 127.0.0.1 or ::1.
        const named = await rejected(
          post({ ...ok, url: 'http://localhost:3000/hook' }),
          400,
          'WEBHOOK_TARGET_FORBIDDEN',
        );
        assert.equal(named.details.host, 'localhost');
        assert.equal(named.details.range, 'loopback');
        assert.match(
          named.message,
          /^localhost resolves to (127\.0\.0\.1|::1), which is a loopback address/,
        );

        const { id } = await register(ok);
        const patched = await rejected(
          { method: 'PATCH', url: `/v1/webhooks/${id}`, body: { url: 'http://127.0.0.1/' } },
          400,
          'WEBHOOK_TARGET_FORBIDDEN',
        );
        assert.equal(patched.details.address, '127.0.0.1');
        assert.equal((await get(id)).url, ok.url);
      });

      it('takes private targets when the operator allows them', async () => {
        const allowing = await startTestApp(target, { allowPrivateWebhookTargets: true });
        try {
          for (const url of [
            'http://127.0.0.1:8080/hook',
            'http://localhost/',
            'http://10.0.0.5/',
          ]) {
            const response = await allowing.request({
              method: 'POST',
              url: '/v1/webhooks',
              body: { url, events: ['*'] },
            });
            assert.equal(response.statusCode, 201, response.body);
          }
        } finally {
          await allowing.close();
        }
      });

      it('refuses bad changes with a precise 400 and changes nothing', async () => {
        const { id } = await register({ url: 'https://a.example.com/', events: ['order.placed'] });
        const patch = (body: unknown) => ({
          method: 'PATCH' as const,
          url: `/v1/webhooks/${id}`,
          body,
        });
        await rejected(patch({ events: ['nope'] }), 400, 'UNKNOWN_EVENT_TYPE');
        await rejected(patch({ events: ['*', 'po.sent'] }), 400, 'ALL_EVENTS_ALONE');
        for (const body of [
          {},
          { events: [] },
          { url: 'mailto:a@example.com' },
          { active: 'yes' },
          { secret: 'x' },
        ]) {
          await rejected(patch(body), 400, 'VALIDATION_FAILED');
        }
        await rejected(
          { method: 'POST', url: `/v1/webhooks/${id}/rotate-secret`, body: { secret: 'x' } },
          400,
          'VALIDATION_FAILED',
        );
        await rejected(
          { method: 'GET', url: `/v1/webhooks/${id}/deliveries?cursor=abc` },
          400,
          'INVALID_CURSOR',
        );
        await rejected({ method: 'GET', url: '/v1/webhooks/abc' }, 400, 'VALIDATION_FAILED');
      });

      it('answers 404 for a webhook that does not exist, changing nothing', async () => {
        for (const request of [
          { method: 'GET' as const, url: '/v1/webhooks/999' },
          { method: 'PATCH' as const, url: '/v1/webhooks/999', body: { active: false } },
          { method: 'DELETE' as const, url: '/v1/webhooks/999' },
          { method: 'POST' as const, url: '/v1/webhooks/999/rotate-secret' },
          { method: 'GET' as const, url: '/v1/webhooks/999/deliveries' },
        ]) {
          await rejected(request, 404, 'WEBHOOK_NOT_FOUND');
        }
      });

      it('is for admin keys only', async () => {
        await insertWorld(t.ctx);
        const { id } = await register({ url: 'https://a.example.com/', events: ['*'] });
        const channelKey = await t.channelKey('web');
        for (const [method, url, body] of [
          ['POST', '/v1/webhooks', { url: 'https://b.example.com/', events: ['*'] }],
          ['GET', '/v1/webhooks', undefined],
          ['GET', `/v1/webhooks/${id}`, undefined],
          ['PATCH', `/v1/webhooks/${id}`, { active: false }],
          ['DELETE', `/v1/webhooks/${id}`, undefined],
          ['POST', `/v1/webhooks/${id}/rotate-secret`, undefined],
          ['GET', `/v1/webhooks/${id}/deliveries`, undefined],
        ] as const) {
          for (const key of [t.staffKey, channelKey]) {
            await rejected({ method, url, body, key }, 403, 'FORBIDDEN');
          }
          await rejected({ method, url, body, key: null }, 401, 'UNAUTHORIZED');
        }
      });
    });

    describe('deliveries', () => {
      beforeEach(async () => {
        await insertWorld(t.ctx);
        await insertItem(t.ctx, { sku: 'KET' });
        await putStock(t.ctx, 'KET', 'W1', 1);
      });

      it('an order placed puts one delivery in the outbox for each endpoint that takes it', async () => {
        const placedHook = await register({
          url: 'https://erp.example.com/orders',
          events: ['order.placed'],
        });
        const readyHook = await register({
          url: 'https://a.example.com/',
          events: ['order.ready'],
        });
        const paused = await register({ url: 'https://b.example.com/', events: ['order.placed'] });
        const patched = await t.request({
          method: 'PATCH',
          url: `/v1/webhooks/${paused.id}`,
          body: { active: false },
        });
        assert.equal(patched.statusCode, 200, patched.body);
        const everything = await register({ url: 'https://c.example.com/', events: ['*'] });

        // One unit from stock, two on backorder against a purchase order: placed and backordered.
        await kit.supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-05' }]);
        const order = await kit.placed({
          channel: 'web',
          customer: { name: 'Ann', email: 'ann@example.com', preferredChannel: 'email' },
          lines: [{ sku: 'KET', quantity: 3, acceptBackorder: true }],
        });

        const [delivery, ...more] = await deliveries(placedHook.id);
        assert.equal(more.length, 0, JSON.stringify(more));
        const event = await t.ctx.db
          .selectFrom('domain_events')
          .select(['id', 'payload'])
          .where('type', '=', 'order.placed')
          .executeTakeFirstOrThrow();
        assert.deepEqual(
          {
            audience: delivery!.audience,
            transport: delivery!.transport,
            template: delivery!.template,
            recipient: delivery!.recipient,
            state: delivery!.state,
            attempts: delivery!.attempts,
          },
          {
            audience: 'integrator',
            transport: 'webhook',
            template: 'order.placed',
            recipient: 'https://erp.example.com/orders',
            state: 'pending',
            attempts: 0,
          },
        );
        assert.deepEqual(JSON.parse(delivery!.data), {
          id: Number(event.id),
          type: 'order.placed',
          createdAt: '2026-11-26T10:00:00.000Z',
          channel: 'web',
          subject: `order:${order.id}`,
          data: JSON.parse(event.payload),
        });
        assert.equal(
          (JSON.parse(delivery!.data) as { data: { orderId: number } }).data.orderId,
          order.id,
        );

        assert.deepEqual(await deliveries(readyHook.id), []);
        assert.deepEqual(await deliveries(paused.id), []);
        assert.deepEqual(
          (await deliveries(everything.id)).map((d) => d.template),
          ['order.placed', 'order.backordered'],
        );

        const listed = await t.request({
          method: 'GET',
          url: `/v1/webhooks/${placedHook.id}/deliveries`,
        });
        assert.equal(listed.statusCode, 200, listed.body);
        assert.deepEqual(json(listed), {
          items: [
            {
              id: Number(delivery!.id),
              eventId: Number(event.id),
              eventType: 'order.placed',
              state: 'pending',
              attempts: 0,
              lastError: null,
              createdAt: '2026-11-26T10:00:00.000Z',
              sentAt: null,
            },
          ],
          nextCursor: null,
        });
      });

      it('lists deliveries newest first, a page at a time', async () => {
        const hook = await register({ url: 'https://c.example.com/', events: ['*'] });
        for (let i = 0; i < 3; i++) {
          await putStock(t.ctx, 'KET', 'W1', 1);
          await kit.placed({ channel: 'web', lines: [{ sku: 'KET', quantity: 1 }] });
        }
        const all = (await deliveries(hook.id)).map((d) => Number(d.id)).reverse();
        assert.equal(all.length, 3);
        const first = json<Page<Delivery>>(
          await t.request({ method: 'GET', url: `/v1/webhooks/${hook.id}/deliveries?limit=2` }),
        );
        assert.deepEqual(
          first.items.map((d) => d.id),
          all.slice(0, 2),
        );
        const second = json<Page<Delivery>>(
          await t.request({
            method: 'GET',
            url: `/v1/webhooks/${hook.id}/deliveries?limit=2&cursor=${first.nextCursor}`,
          }),
        );
        assert.deepEqual(
          second.items.map((d) => d.id),
          all.slice(2),
        );
        assert.equal(second.nextCursor, null);
      });
    });
  });
}
