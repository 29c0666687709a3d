import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type * as availability from '../../src/availability/availability.schemas.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import type { Body, ErrorBody } from '../helpers/responses.js';

type Response = Awaited<ReturnType<TestApp['request']>>;

/** Routes of every kind, each with a body valid enough to reach the handler. */
const protectedRoutes: { method: 'GET' | 'POST' | 'PATCH'; url: string; body?: unknown }[] = [
  { method: 'GET', url: '/v1/items' },
  { method: 'GET', url: '/v1/items/KET-01' },
  {
    method: 'POST',
    url: '/v1/items',
    body: { sku: 'NEW-1', name: 'New', category: 'x', price: 1 },
  },
  { method: 'PATCH', url: '/v1/items/KET-01', body: { name: 'Hacked' } },
  { method: 'GET', url: '/v1/locations' },
  { method: 'POST', url: '/v1/locations', body: { code: 'X1', name: 'X', kind: 'store' } },
  { method: 'GET', url: '/v1/channels/web' },
  { method: 'GET', url: '/v1/stock' },
  { method: 'GET', url: '/v1/stock/ledger' },
  {
    method: 'POST',
    url: '/v1/stock/adjustments',
    body: { sku: 'KET-01', location: 'W1', delta: 5, reason: 'x' },
  },
  { method: 'GET', url: '/v1/availability/KET-01?channel=web' },
  { method: 'GET', url: '/v1/availability?channel=web' },
  { method: 'GET', url: '/v1/availability.csv?channel=web' },
  { method: 'GET', url: '/v1/keys' },
  { method: 'POST', url: '/v1/keys', body: { name: 'sneaky', role: 'admin' } },
];

for (const target of testDatabases()) {
  describe(`security (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET-01', name: 'Kettle' });
      await putStock(t.ctx, 'KET-01', 'W1', 7);
    });
    afterEach(async () => {
      await t.close();
    });

    const expectError = (response: Response, status: number, code: string) => {
      assert.equal(response.statusCode, status, response.body);
      const body = json<ErrorBody>(response);
      assert.equal(body.error.code, code, response.body);
      return body.error;
    };
    const onHandAtW1 = async () => {
      const response = await t.request({ method: 'GET', url: '/v1/stock/KET-01/W1' });
      assert.equal(response.statusCode, 200, response.body);
      return json<{ onHand: number }>(response).onHand;
    };
    /** Everything a refused request could have changed. */
    const snapshot = async () => {
      const get = async (url: string) => {
        const response = await t.request({ method: 'GET', url });
        assert.equal(response.statusCode, 200, response.body);
        return json(response);
      };
      return {
        item: await get('/v1/items/KET-01'),
        items: await get('/v1/items'),
        locations: await get('/v1/locations'),
        stock: await get('/v1/stock'),
        ledger: await get('/v1/stock/ledger'),
        keys: await get('/v1/keys?includeRevoked=true'),
      };
    };

    describe('401 without a valid key', () => {
      const flipLast = (key: string) => `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
      const badHeaders: [string, (key: string) => string | null][] = [
        ['no Authorization header', () => null],
        ['an empty header', () => ''],
        ['a Basic header', () => 'Basic dXNlcjpwYXNz'],
        ['"Bearer" with no key', () => 'Bearer'],
        ['"Bearer " and spaces', () => 'Bearer    '],
        ['a key without the Bearer scheme', (key) => key],
        ['two tokens after Bearer', (key) => `Bearer ${key} extra`],
        ['an unknown key', () => 'Bearer sr_unknownunknownunknownunknownunknown'],
        ['a key with its last character changed', (key) => `Bearer ${flipLast(key)}`],
        ['a key with its prefix only', (key) => `Bearer ${key.slice(0, 9)}`],
      ];
      for (const [what, headerFor] of badHeaders) {
        it(`refuses ${what} on every protected route, changing nothing`, async () => {
          const before = await snapshot();
          const header = headerFor(t.adminKey);
          for (const route of protectedRoutes) {
            const headers: Record<string, string> = {};
            if (header !== null) headers.authorization = header;
            const response = await t.request({ ...route, key: null, headers });
            const error = expectError(response, 401, 'UNAUTHORIZED');
            assert.deepEqual(error.details, {}, response.body);
            // The refusal never echoes the key it was given.
            assert.ok(!response.body.includes(t.adminKey.slice(3)), response.body);
          }
          assert.deepEqual(await snapshot(), before);
        });
      }

      it('accepts the scheme in any case', async () => {
        const response = await t.request({
          method: 'GET',
          url: '/v1/items',
          key: null,
          headers: { authorization: `bearer ${t.staffKey}` },
        });
        assert.equal(response.statusCode, 200, response.body);
      });

      it('refuses a revoked key on every protected route', async () => {
        const created = await t.request({
          method: 'POST',
          url: '/v1/keys',
          body: { name: 'temp admin', role: 'admin' },
        });
        assert.equal(created.statusCode, 201, created.body);
        const { key, apiKey } = json<{ key: string; apiKey: { id: number } }>(created);
        const works = await t.request({ method: 'GET', url: '/v1/keys', key });
        assert.equal(works.statusCode, 200, works.body);
        const revoked = await t.request({ method: 'POST', url: `/v1/keys/${apiKey.id}/revoke` });
        assert.equal(revoked.statusCode, 200, revoked.body);

        const before = await snapshot();
        for (const route of protectedRoutes) {
          expectError(await t.request({ ...route, key }), 401, 'UNAUTHORIZED');
        }
        assert.deepEqual(await snapshot(), before);
      });

      it('checks the key before the body: a bad body without a key is 401, not 400', async () => {
        const malformed = await t.request({
          method: 'POST',
          url: '/v1/items',
          rawBody: '{"sku":',
          key: null,
        });
        expectError(malformed, 401, 'UNAUTHORIZED');
        const invalid = await t.request({
          method: 'POST',
          url: '/v1/items',
          body: { nonsense: true },
          key: null,
        });
        expectError(invalid, 401, 'UNAUTHORIZED');
      });
    });

    describe('403 for the wrong role', () => {
      it('refuses staff keys on /v1/keys and creates or revokes nothing', async () => {
        const before = await snapshot();
        expectError(
          await t.request({ method: 'GET', url: '/v1/keys', key: t.staffKey }),
          403,
          'FORBIDDEN',
        );
        expectError(
          await t.request({
            method: 'POST',
            url: '/v1/keys',
            body: { name: 'escalate', role: 'admin' },
            key: t.staffKey,
          }),
          403,
          'FORBIDDEN',
        );
        expectError(
          await t.request({ method: 'POST', url: '/v1/keys/1/revoke', key: t.staffKey }),
          403,
          'FORBIDDEN',
        );
        assert.deepEqual(await snapshot(), before);
        // The admin key (id 1) still works.
        const admin = await t.request({ method: 'GET', url: '/v1/keys' });
        assert.equal(admin.statusCode, 200, admin.body);
      });

      it('refuses channel keys on catalogue, stock and key routes', async () => {
        const key = await t.channelKey('web');
        const before = await snapshot();
        for (const route of protectedRoutes.filter((r) => !r.url.startsWith('/v1/availability'))) {
          const response = await t.request({ ...route, key });
          const error = expectError(response, 403, 'FORBIDDEN');
          assert.equal(error.details.role, 'channel', response.body);
        }
        assert.deepEqual(await snapshot(), before);
      });

      it('refuses a channel key’s stock adjustment, leaving stock and ledger as they were', async () => {
        const key = await t.channelKey('web');
        const ledgerBefore = await t.request({ method: 'GET', url: '/v1/stock/ledger' });
        const response = await t.request({
          method: 'POST',
          url: '/v1/stock/adjustments',
          body: { sku: 'KET-01', location: 'W1', delta: -7, reason: 'theft' },
          key,
        });
        expectError(response, 403, 'FORBIDDEN');
        assert.equal(await onHandAtW1(), 7);
        const ledgerAfter = await t.request({ method: 'GET', url: '/v1/stock/ledger' });
        assert.equal(ledgerAfter.body, ledgerBefore.body);
      });
    });

    describe('channel keys and availability', () => {
      type Answer = Body<typeof availability.ItemAvailability>;

      it('read availability of their own channel', async () => {
        const key = await t.channelKey('web');
        const response = await t.request({
          method: 'GET',
          url: '/v1/availability/KET-01?channel=web',
          key,
        });
        assert.equal(response.statusCode, 200, response.body);
        const body = json<Answer>(response);
        assert.equal(body.channel, 'web', response.body);
        assert.equal(body.quantities.onHand, 7, response.body);

        const feed = await t.request({ method: 'GET', url: '/v1/availability?channel=web', key });
        assert.equal(feed.statusCode, 200, feed.body);
        const csv = await t.request({ method: 'GET', url: '/v1/availability.csv', key });
        assert.equal(csv.statusCode, 200, csv.body);
      });

      it('default to their own channel when none is given', async () => {
        const key = await t.channelKey('pos');
        const response = await t.request({ method: 'GET', url: '/v1/availability/KET-01', key });
        assert.equal(response.statusCode, 200, response.body);
        const body = json<Answer>(response);
        assert.equal(body.channel, 'pos', response.body);
        assert.equal(body.location, null, response.body);
        // pos is served by S1 only, so W1's units are not counted.
        assert.equal(body.quantities.onHand, 0, response.body);

        const feed = await t.request({ method: 'GET', url: '/v1/availability', key });
        assert.equal(feed.statusCode, 200, feed.body);
        const items = json<{ items: Answer[] }>(feed).items;
        assert.equal(items.length, 1, feed.body);
        assert.equal(items[0]?.channel, 'pos', feed.body);
      });

      it('are refused another channel’s availability with 403', async () => {
        const key = await t.channelKey('pos');
        for (const url of [
          '/v1/availability/KET-01?channel=web',
          '/v1/availability?channel=web',
          '/v1/availability.csv?channel=web',
          // Even one that does not exist: a 404 would reveal which channels exist.
          '/v1/availability/KET-01?channel=nope',
        ]) {
          const response = await t.request({ method: 'GET', url, key });
          const error = expectError(response, 403, 'FORBIDDEN');
          assert.equal(error.details.channel, 'pos', response.body);
        }
      });

      it('are refused a location scope with 403', async () => {
        const key = await t.channelKey('web');
        for (const url of [
          '/v1/availability/KET-01?location=W1',
          '/v1/availability/KET-01?channel=web&location=W1',
          '/v1/availability?location=W1',
          '/v1/availability.csv?location=W1',
        ]) {
          const response = await t.request({ method: 'GET', url, key });
          expectError(response, 403, 'FORBIDDEN');
        }
      });

      it('staff keys may read any channel, any location or everything', async () => {
        for (const url of [
          '/v1/availability/KET-01?channel=web',
          '/v1/availability/KET-01?channel=pos',
          '/v1/availability/KET-01?location=W1',
          '/v1/availability/KET-01',
        ]) {
          const response = await t.request({ method: 'GET', url, key: t.staffKey });
          assert.equal(response.statusCode, 200, response.body);
        }
      });
    });

    describe('public routes', () => {
      it('answers /health, /health/ready, /openapi.json and /docs without a key', async () => {
        const health = await t.request({ method: 'GET', url: '/health', key: null });
        assert.equal(health.statusCode, 200, health.body);
        assert.deepEqual(json(health), { status: 'ok' });

        const ready = await t.request({ method: 'GET', url: '/health/ready', key: null });
        assert.equal(ready.statusCode, 200, ready.body);
        assert.deepEqual(json(ready), { status: 'ready', database: target.kind });

        const openapi = await t.request({ method: 'GET', url: '/openapi.json', key: null });
        assert.equal(openapi.statusCode, 200, openapi.body);
        assert.equal(json(openapi).openapi, '3.1.0');

        const docs = await t.request({ method: 'GET', url: '/docs', key: null });
        assert.equal(docs.statusCode, 200, docs.body);
        assert.match(docs.headers['content-type'] as string, /text\/html/, docs.body);
        assert.match(docs.body, /swagger/i);
      });

      it('answers public routes even with a bad key', async () => {
        for (const url of ['/health', '/health/ready', '/openapi.json']) {
          const response = await t.request({ method: 'GET', url, key: 'wrong' });
          assert.equal(response.statusCode, 200, response.body);
        }
      });
    });
  });
}
