import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type * as keys from '../../src/access/keys.schemas.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertChannel, insertLocation } from '../helpers/factories.js';
import type { Body, ErrorBody } from '../helpers/responses.js';

type ApiKeyBody = Body<typeof keys.ApiKey>;
type CreatedKeyBody = Body<typeof keys.CreatedKey>;
type KeyPage = Body<typeof keys.KeyPage>;

for (const target of testDatabases()) {
  describe(`keys routes (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertLocation(t.ctx, { code: 'W1' });
      await insertChannel(t.ctx, { code: 'web', locations: ['W1'] });
      await insertChannel(t.ctx, { code: 'pos', locations: ['W1'] });
    });
    afterEach(async () => {
      await t.close();
    });

    const expectError = (
      response: Awaited<ReturnType<TestApp['request']>>,
      status: number,
      code: string,
    ) => {
      assert.equal(response.statusCode, status, response.body);
      assert.equal(json<ErrorBody>(response).error.code, code, response.body);
      return json<ErrorBody>(response).error;
    };
    const createKey = async (body: Record<string, unknown>) => {
      const response = await t.request({ method: 'POST', url: '/v1/keys', body });
      assert.equal(response.statusCode, 201, response.body);
      return json<CreatedKeyBody>(response);
    };
    const listKeys = async (query = '?includeRevoked=true') => {
      const response = await t.request({ method: 'GET', url: `/v1/keys${query}` });
      assert.equal(response.statusCode, 200, response.body);
      return { page: json<KeyPage>(response), body: response.body };
    };

    it('creates a staff key whose secret is returned once and works as a bearer key', async () => {
      const created = await createKey({ name: 'back office', role: 'staff' });
      assert.match(created.key, /^sr_[A-Za-z0-9_-]{40,}$/, JSON.stringify(created));
      assert.equal(created.apiKey.role, 'staff');
      assert.equal(created.apiKey.name, 'back office');
      assert.equal(created.apiKey.channel, null);
      assert.equal(created.apiKey.revokedAt, null);
      assert.equal(created.apiKey.createdAt, '2026-11-26T10:00:00.000Z');
      assert.ok(created.key.startsWith(created.apiKey.prefix), JSON.stringify(created));
      assert.ok(created.apiKey.prefix.length < created.key.length / 2, JSON.stringify(created));

      // It works for staff routes...
      const items = await t.request({ method: 'GET', url: '/v1/items', key: created.key });
      assert.equal(items.statusCode, 200, items.body);
      // ...and not for admin ones.
      const keys = await t.request({ method: 'GET', url: '/v1/keys', key: created.key });
      expectError(keys, 403, 'FORBIDDEN');
    });

    it('creates a channel key bound to its channel that reads that channel’s availability', async () => {
      await t.request({
        method: 'POST',
        url: '/v1/items',
        body: { sku: 'KET-01', name: 'Kettle', category: 'kitchen', price: 40 },
      });
      const created = await createKey({ name: 'web shop', role: 'channel', channel: 'web' });
      assert.equal(created.apiKey.role, 'channel');
      assert.equal(created.apiKey.channel, 'web');

      const own = await t.request({
        method: 'GET',
        url: '/v1/availability/KET-01',
        key: created.key,
      });
      assert.equal(own.statusCode, 200, own.body);
      assert.equal(json(own).channel, 'web', own.body);
      const other = await t.request({
        method: 'GET',
        url: '/v1/availability/KET-01?channel=pos',
        key: created.key,
      });
      expectError(other, 403, 'FORBIDDEN');
    });

    it('creates an admin key that can manage keys', async () => {
      const created = await createKey({ name: 'second admin', role: 'admin' });
      const list = await t.request({ method: 'GET', url: '/v1/keys', key: created.key });
      assert.equal(list.statusCode, 200, list.body);
    });

    it('never shows secrets in the list', async () => {
      const staff = await createKey({ name: 'staff two', role: 'staff' });
      const channel = await createKey({ name: 'web shop', role: 'channel', channel: 'web' });
      const { page, body } = await listKeys();
      for (const secret of [staff.key, channel.key, t.adminKey, t.staffKey]) {
        assert.ok(!body.includes(secret), `the list reveals a secret: ${body}`);
      }
      assert.doesNotMatch(body, /"key"\s*:/, body);
      assert.doesNotMatch(body, /hash/i, body);
      const listed = page.items.find((k) => k.id === staff.apiKey.id);
      assert.deepEqual(listed, staff.apiKey, body);
      assert.deepEqual(
        page.items.find((k) => k.id === channel.apiKey.id),
        channel.apiKey,
        body,
      );
      // The helper's admin and staff keys plus the two made here.
      assert.equal(page.items.length, 4, body);
    });

    it('revokes a key: it gets 401 at once and leaves the default list', async () => {
      const staff = await createKey({ name: 'leaver', role: 'staff' });
      const before = await t.request({ method: 'GET', url: '/v1/items', key: staff.key });
      assert.equal(before.statusCode, 200, before.body);

      t.clock.set('2026-11-27T09:00:00.000Z');
      const revoked = await t.request({
        method: 'POST',
        url: `/v1/keys/${staff.apiKey.id}/revoke`,
      });
      assert.equal(revoked.statusCode, 200, revoked.body);
      const body = json<ApiKeyBody>(revoked);
      assert.equal(body.id, staff.apiKey.id, revoked.body);
      assert.equal(body.revokedAt, '2026-11-27T09:00:00.000Z', revoked.body);
      assert.ok(!revoked.body.includes(staff.key), revoked.body);

      for (const url of ['/v1/items', '/v1/locations', '/v1/stock']) {
        const after = await t.request({ method: 'GET', url, key: staff.key });
        expectError(after, 401, 'UNAUTHORIZED');
      }

      const active = await listKeys('');
      assert.ok(!active.page.items.some((k) => k.id === staff.apiKey.id), active.body);
      const all = await listKeys('?includeRevoked=true');
      assert.equal(
        all.page.items.find((k) => k.id === staff.apiKey.id)?.revokedAt,
        '2026-11-27T09:00:00.000Z',
        all.body,
      );
      // Other keys are untouched.
      const staffStill = await t.request({ method: 'GET', url: '/v1/items', key: t.staffKey });
      assert.equal(staffStill.statusCode, 200, staffStill.body);
    });

    it('keeps the first revocation time when a key is revoked twice', async () => {
      const staff = await createKey({ name: 'leaver', role: 'staff' });
      t.clock.set('2026-11-27T09:00:00.000Z');
      await t.request({ method: 'POST', url: `/v1/keys/${staff.apiKey.id}/revoke` });
      t.clock.set('2026-11-28T09:00:00.000Z');
      const again = await t.request({ method: 'POST', url: `/v1/keys/${staff.apiKey.id}/revoke` });
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(json<ApiKeyBody>(again).revokedAt, '2026-11-27T09:00:00.000Z', again.body);
    });

    it('refuses a channel key without a channel with 400 CHANNEL_SCOPE_MISMATCH', async () => {
      const { page: before } = await listKeys();
      const response = await t.request({
        method: 'POST',
        url: '/v1/keys',
        body: { name: 'web shop', role: 'channel' },
      });
      expectError(response, 400, 'CHANNEL_SCOPE_MISMATCH');
      assert.equal((await listKeys()).page.items.length, before.items.length);
    });

    it('refuses a staff or admin key with a channel with 400 CHANNEL_SCOPE_MISMATCH', async () => {
      const { page: before } = await listKeys();
      for (const role of ['staff', 'admin']) {
        const response = await t.request({
          method: 'POST',
          url: '/v1/keys',
          body: { name: 'confused', role, channel: 'web' },
        });
        const error = expectError(response, 400, 'CHANNEL_SCOPE_MISMATCH');
        assert.deepEqual(error.details, { role, channel: 'web' }, response.body);
      }
      assert.equal((await listKeys()).page.items.length, before.items.length);
    });

    it('refuses a channel key for an unknown channel with 404 CHANNEL_NOT_FOUND', async () => {
      const { page: before } = await listKeys();
      const response = await t.request({
        method: 'POST',
        url: '/v1/keys',
        body: { name: 'ghost', role: 'channel', channel: 'nope' },
      });
      expectError(response, 404, 'CHANNEL_NOT_FOUND');
      assert.equal((await listKeys()).page.items.length, before.items.length);
    });

    it('answers 404 KEY_NOT_FOUND when revoking an unknown id', async () => {
      const response = await t.request({ method: 'POST', url: '/v1/keys/9999/revoke' });
      const error = expectError(response, 404, 'KEY_NOT_FOUND');
      assert.deepEqual(error.details, { id: 9999 }, response.body);
      const bad = await t.request({ method: 'POST', url: '/v1/keys/abc/revoke' });
      expectError(bad, 400, 'VALIDATION_FAILED');
      // Every existing key still works.
      for (const key of [t.adminKey, t.staffKey]) {
        const response = await t.request({ method: 'GET', url: '/v1/items', key });
        assert.equal(response.statusCode, 200, response.body);
      }
    });

    it('refuses bad bodies with 400 and creates nothing', async () => {
      const { page: before } = await listKeys();
      for (const body of [
        { name: 'x', role: 'root' },
        { name: '', role: 'staff' },
        { role: 'staff' },
        { name: 'x', role: 'staff', key: 'sr_chosen-by-me' },
      ]) {
        const response = await t.request({ method: 'POST', url: '/v1/keys', body });
        expectError(response, 400, 'VALIDATION_FAILED');
      }
      assert.equal((await listKeys()).page.items.length, before.items.length);
    });

    it('pages through keys', async () => {
      for (let i = 0; i < 3; i++) await createKey({ name: `k${i}`, role: 'staff' });
      const first = await listKeys('?limit=3');
      assert.equal(first.page.items.length, 3, first.body);
      assert.ok(first.page.nextCursor, first.body);
      const second = await listKeys(`?limit=3&cursor=${first.page.nextCursor}`);
      assert.deepEqual(
        second.page.items.map((k) => k.name),
        ['k1', 'k2'],
        second.body,
      );
      assert.equal(second.page.nextCursor, null, second.body);
    });
  });
}
