import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type * as channels from '../../src/catalogue/channels.schemas.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertChannel, insertLocation } from '../helpers/factories.js';
import type { Body, ErrorBody } from '../helpers/responses.js';

type ChannelBody = Body<typeof channels.Channel>;
type ChannelPage = Body<typeof channels.ChannelPage>;

for (const target of testDatabases()) {
  describe(`channels routes (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertLocation(t.ctx, { code: 'W1', kind: 'warehouse' });
      await insertLocation(t.ctx, { code: 'S1', kind: 'store' });
      await insertLocation(t.ctx, { code: 'S2', kind: 'store' });
    });
    afterEach(async () => {
      await t.close();
    });

    const web = { code: 'web', name: 'Web shop', kind: 'online', locations: ['S1', 'W1'] };

    const expectError = (
      response: Awaited<ReturnType<TestApp['request']>>,
      status: number,
      code: string,
    ) => {
      assert.equal(response.statusCode, status, response.body);
      assert.equal(json<ErrorBody>(response).error.code, code, response.body);
      return json<ErrorBody>(response).error;
    };
    const read = async (code: string) => {
      const response = await t.request({ method: 'GET', url: `/v1/channels/${code}` });
      assert.equal(response.statusCode, 200, response.body);
      return json<ChannelBody>(response);
    };
    const codes = async (query = '') => {
      const response = await t.request({ method: 'GET', url: `/v1/channels${query}` });
      assert.equal(response.statusCode, 200, response.body);
      return json<ChannelPage>(response).items.map((c) => c.code);
    };

    it('creates a channel keeping the locations in the order given, and reads it back', async () => {
      const created = await t.request({ method: 'POST', url: '/v1/channels', body: web });
      assert.equal(created.statusCode, 201, created.body);
      const body = json<ChannelBody>(created);
      assert.deepEqual(
        body,
        {
          ...web,
          allocationStrategy: 'priority',
          maxHeldUnits: null,
          createdAt: '2026-11-26T10:00:00.000Z',
          updatedAt: '2026-11-26T10:00:00.000Z',
        },
        created.body,
      );
      // Not alphabetical, not creation order: the order the integrator gave.
      assert.deepEqual(body.locations, ['S1', 'W1']);
      assert.deepEqual(await read('web'), body);
    });

    it('sets and clears the cap on held units (maxHeldUnits) on POST and PATCH', async () => {
      const created = await t.request({
        method: 'POST',
        url: '/v1/channels',
        body: { ...web, maxHeldUnits: 20 },
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(json<ChannelBody>(created).maxHeldUnits, 20);
      const patch = (maxHeldUnits: unknown) =>
        t.request({ method: 'PATCH', url: '/v1/channels/web', body: { maxHeldUnits } });
      const cleared = await patch(null);
      assert.equal(cleared.statusCode, 200, cleared.body);
      assert.equal((await read('web')).maxHeldUnits, null);
      for (const bad of [-1, 1.5, '3', 1_000_000_001]) {
        const refused = await patch(bad);
        assert.equal(refused.statusCode, 400, refused.body);
      }
      assert.equal((await read('web')).maxHeldUnits, null);
    });

    it('replaces the locations list in the new order on PATCH', async () => {
      await insertChannel(t.ctx, { ...web, kind: 'online' });
      t.clock.set('2026-11-27T09:00:00.000Z');
      const patched = await t.request({
        method: 'PATCH',
        url: '/v1/channels/web',
        body: { locations: ['S2', 'W1'] },
      });
      assert.equal(patched.statusCode, 200, patched.body);
      const body = json<ChannelBody>(patched);
      assert.deepEqual(body.locations, ['S2', 'W1'], patched.body);
      assert.equal(body.name, 'Web shop', patched.body);
      assert.equal(body.updatedAt, '2026-11-27T09:00:00.000Z', patched.body);
      assert.deepEqual(await read('web'), body);

      // Reordering the same locations is a change too.
      const reordered = await t.request({
        method: 'PATCH',
        url: '/v1/channels/web',
        body: { locations: ['W1', 'S2', 'S1'] },
      });
      assert.equal(reordered.statusCode, 200, reordered.body);
      assert.deepEqual((await read('web')).locations, ['W1', 'S2', 'S1']);
    });

    it('changes name and kind without touching the locations', async () => {
      await insertChannel(t.ctx, { ...web, kind: 'online' });
      const patched = await t.request({
        method: 'PATCH',
        url: '/v1/channels/web',
        body: { name: 'Marketplace', kind: 'marketplace' },
      });
      assert.equal(patched.statusCode, 200, patched.body);
      const stored = await read('web');
      assert.equal(stored.name, 'Marketplace');
      assert.equal(stored.kind, 'marketplace');
      assert.deepEqual(stored.locations, ['S1', 'W1']);
    });

    it('lists channels with their locations, by kind and a page at a time', async () => {
      await insertChannel(t.ctx, { code: 'web', kind: 'online', locations: ['W1', 'S1'] });
      await insertChannel(t.ctx, { code: 'pos', kind: 'pos', locations: ['S1'] });
      await insertChannel(t.ctx, { code: 'amzn', kind: 'marketplace', locations: ['W1'] });

      const all = json<ChannelPage>(await t.request({ method: 'GET', url: '/v1/channels' }));
      assert.deepEqual(
        all.items.map((c) => [c.code, c.locations]),
        [
          ['web', ['W1', 'S1']],
          ['pos', ['S1']],
          ['amzn', ['W1']],
        ],
      );
      assert.equal(all.nextCursor, null);
      assert.deepEqual(await codes('?kind=pos'), ['pos']);

      const first = json<ChannelPage>(
        await t.request({ method: 'GET', url: '/v1/channels?limit=2' }),
      );
      assert.deepEqual(
        first.items.map((c) => c.code),
        ['web', 'pos'],
      );
      const second = json<ChannelPage>(
        await t.request({ method: 'GET', url: `/v1/channels?limit=2&cursor=${first.nextCursor}` }),
      );
      assert.deepEqual(
        second.items.map((c) => [c.code, c.locations]),
        [['amzn', ['W1']]],
      );
      assert.equal(second.nextCursor, null);
    });

    it('refuses an unknown location with 404 LOCATION_NOT_FOUND naming it, and creates nothing', async () => {
      const response = await t.request({
        method: 'POST',
        url: '/v1/channels',
        body: { ...web, locations: ['W1', 'X9', 'S1', 'X8'] },
      });
      const error = expectError(response, 404, 'LOCATION_NOT_FOUND');
      assert.deepEqual(error.details, { codes: ['X9', 'X8'] }, response.body);
      assert.deepEqual(await codes(), []);
      expectError(
        await t.request({ method: 'GET', url: '/v1/channels/web' }),
        404,
        'CHANNEL_NOT_FOUND',
      );
      // The code is still free.
      const retry = await t.request({ method: 'POST', url: '/v1/channels', body: web });
      assert.equal(retry.statusCode, 201, retry.body);
    });

    it('refuses an unknown location on PATCH and keeps the old list', async () => {
      await insertChannel(t.ctx, { ...web, kind: 'online' });
      const before = await read('web');
      t.clock.set('2026-11-27T09:00:00.000Z');
      const response = await t.request({
        method: 'PATCH',
        url: '/v1/channels/web',
        body: { name: 'Renamed', locations: ['S2', 'X9'] },
      });
      expectError(response, 404, 'LOCATION_NOT_FOUND');
      assert.deepEqual(await read('web'), before);
    });

    it('refuses a duplicate code with 409 DUPLICATE_CHANNEL and keeps the first', async () => {
      await insertChannel(t.ctx, { ...web, kind: 'online' });
      const again = await t.request({
        method: 'POST',
        url: '/v1/channels',
        body: { ...web, name: 'Other', locations: ['S2'] },
      });
      const error = expectError(again, 409, 'DUPLICATE_CHANNEL');
      assert.deepEqual(error.details, { code: 'web' }, again.body);
      const stored = await read('web');
      assert.equal(stored.name, 'Web shop');
      assert.deepEqual(stored.locations, ['S1', 'W1']);
      assert.deepEqual(await codes(), ['web']);
    });

    it('answers 404 CHANNEL_NOT_FOUND for an unknown code on read and patch', async () => {
      expectError(
        await t.request({ method: 'GET', url: '/v1/channels/nope' }),
        404,
        'CHANNEL_NOT_FOUND',
      );
      expectError(
        await t.request({ method: 'PATCH', url: '/v1/channels/nope', body: { name: 'Ghost' } }),
        404,
        'CHANNEL_NOT_FOUND',
      );
      assert.deepEqual(await codes(), []);
    });

    const badBodies: [string, Record<string, unknown>][] = [
      ['an empty locations list', { ...web, locations: [] }],
      ['a missing locations list', { code: 'web', name: 'Web shop', kind: 'online' }],
      ['the same location twice', { ...web, locations: ['W1', 'W1'] }],
      ['locations as a string', { ...web, locations: 'W1' }],
      ['an unknown kind', { ...web, kind: 'phone' }],
      ['an unknown field', { ...web, priority: 1 }],
      ['a bad code', { ...web, code: 'web shop' }],
    ];
    for (const [what, body] of badBodies) {
      it(`refuses ${what} with 400 VALIDATION_FAILED and creates nothing`, async () => {
        const response = await t.request({ method: 'POST', url: '/v1/channels', body });
        expectError(response, 400, 'VALIDATION_FAILED');
        assert.deepEqual(await codes(), []);
      });
    }

    it('refuses an empty locations list, an empty body and unknown fields on PATCH', async () => {
      await insertChannel(t.ctx, { ...web, kind: 'online' });
      const before = await read('web');
      t.clock.set('2026-11-27T09:00:00.000Z');
      for (const body of [{ locations: [] }, {}, { code: 'web2' }, { name: 'X', extra: true }]) {
        const response = await t.request({ method: 'PATCH', url: '/v1/channels/web', body });
        expectError(response, 400, 'VALIDATION_FAILED');
      }
      assert.deepEqual(await read('web'), before);
    });
  });
}
