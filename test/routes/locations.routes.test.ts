import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type * as locations from '../../src/catalogue/locations.schemas.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertLocation } from '../helpers/factories.js';
import type { Body, ErrorBody } from '../helpers/responses.js';

type LocationBody = Body<typeof locations.Location>;
type LocationPage = Body<typeof locations.LocationPage>;

for (const target of testDatabases()) {
  describe(`locations routes (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
    });
    afterEach(async () => {
      await t.close();
    });

    const warehouse = { code: 'W1', name: 'Main warehouse', kind: 'warehouse' as const };

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
      const response = await t.request({ method: 'GET', url: `/v1/locations/${code}` });
      assert.equal(response.statusCode, 200, response.body);
      return json<LocationBody>(response);
    };
    const codes = async (query = '') => {
      const response = await t.request({ method: 'GET', url: `/v1/locations${query}` });
      assert.equal(response.statusCode, 200, response.body);
      return json<LocationPage>(response).items.map((l) => l.code);
    };

    it('creates a location with UTC as the default time zone and reads it back', async () => {
      const created = await t.request({ method: 'POST', url: '/v1/locations', body: warehouse });
      assert.equal(created.statusCode, 201, created.body);
      const body = json<LocationBody>(created);
      assert.deepEqual(
        body,
        {
          ...warehouse,
          timeZone: 'UTC',
          latitude: null,
          longitude: null,
          sellable: true,
          createdAt: '2026-11-26T10:00:00.000Z',
          updatedAt: '2026-11-26T10:00:00.000Z',
        },
        created.body,
      );
      assert.deepEqual(await read('W1'), body);
    });

    it('creates a store in a given IANA time zone', async () => {
      const created = await t.request({
        method: 'POST',
        url: '/v1/locations',
        body: { code: 'S1', name: 'High Street', kind: 'store', timeZone: 'Europe/London' },
      });
      assert.equal(created.statusCode, 201, created.body);
      const stored = await read('S1');
      assert.equal(stored.kind, 'store');
      assert.equal(stored.timeZone, 'Europe/London');
    });

    it('changes only the fields sent', async () => {
      await insertLocation(t.ctx, { ...warehouse, kind: 'warehouse' });
      t.clock.set('2026-11-27T09:00:00.000Z');
      const patched = await t.request({
        method: 'PATCH',
        url: '/v1/locations/W1',
        body: { name: 'Outlet', kind: 'store', timeZone: 'America/New_York' },
      });
      assert.equal(patched.statusCode, 200, patched.body);
      const expected = {
        code: 'W1',
        name: 'Outlet',
        kind: 'store',
        timeZone: 'America/New_York',
        latitude: null,
        longitude: null,
        sellable: true,
        createdAt: '2026-11-26T10:00:00.000Z',
        updatedAt: '2026-11-27T09:00:00.000Z',
      };
      assert.deepEqual(json(patched), expected, patched.body);
      assert.deepEqual(await read('W1'), expected);

      const nameOnly = await t.request({
        method: 'PATCH',
        url: '/v1/locations/W1',
        body: { name: 'Outlet 2' },
      });
      assert.equal(nameOnly.statusCode, 200, nameOnly.body);
      assert.deepEqual(await read('W1'), { ...expected, name: 'Outlet 2' });
    });

    it('refuses a duplicate code with 409 DUPLICATE_LOCATION and keeps the first', async () => {
      await insertLocation(t.ctx, warehouse);
      const again = await t.request({
        method: 'POST',
        url: '/v1/locations',
        body: { code: 'W1', name: 'Other', kind: 'store' },
      });
      const error = expectError(again, 409, 'DUPLICATE_LOCATION');
      assert.deepEqual(error.details, { code: 'W1' }, again.body);
      const stored = await read('W1');
      assert.equal(stored.name, 'Main warehouse');
      assert.equal(stored.kind, 'warehouse');
      assert.deepEqual(await codes(), ['W1']);
    });

    it('refuses an unknown time zone with 400 INVALID_TIME_ZONE on create and patch', async () => {
      const created = await t.request({
        method: 'POST',
        url: '/v1/locations',
        body: { ...warehouse, timeZone: 'Mars/Olympus_Mons' },
      });
      const error = expectError(created, 400, 'INVALID_TIME_ZONE');
      assert.deepEqual(error.details, { timeZone: 'Mars/Olympus_Mons' }, created.body);
      assert.deepEqual(await codes(), []);

      await insertLocation(t.ctx, { code: 'S1', kind: 'store', timeZone: 'Europe/London' });
      const before = await read('S1');
      t.clock.set('2026-11-27T09:00:00.000Z');
      const patched = await t.request({
        method: 'PATCH',
        url: '/v1/locations/S1',
        body: { name: 'Renamed', timeZone: 'Not/AZone' },
      });
      expectError(patched, 400, 'INVALID_TIME_ZONE');
      assert.deepEqual(await read('S1'), before);
    });

    it('answers 404 LOCATION_NOT_FOUND for an unknown code on read and patch', async () => {
      const get = await t.request({ method: 'GET', url: '/v1/locations/NOPE' });
      const error = expectError(get, 404, 'LOCATION_NOT_FOUND');
      assert.deepEqual(error.details, { code: 'NOPE' }, get.body);

      const patch = await t.request({
        method: 'PATCH',
        url: '/v1/locations/NOPE',
        body: { name: 'Ghost' },
      });
      expectError(patch, 404, 'LOCATION_NOT_FOUND');
      assert.deepEqual(await codes(), []);
    });

    it('refuses unknown fields with 400 VALIDATION_FAILED and changes nothing', async () => {
      const created = await t.request({
        method: 'POST',
        url: '/v1/locations',
        body: { ...warehouse, address: '1 Dock Road' },
      });
      const error = expectError(created, 400, 'VALIDATION_FAILED');
      assert.match(error.message, /address/, created.body);
      assert.deepEqual(await codes(), []);

      await insertLocation(t.ctx, { code: 'S1', kind: 'store' });
      const before = await read('S1');
      t.clock.set('2026-11-27T09:00:00.000Z');
      const patched = await t.request({
        method: 'PATCH',
        url: '/v1/locations/S1',
        body: { name: 'Renamed', code: 'S2' },
      });
      expectError(patched, 400, 'VALIDATION_FAILED');
      assert.deepEqual(await read('S1'), before);
      assert.deepEqual(await codes(), ['S1']);
    });

    const badBodies: [string, Record<string, unknown>][] = [
      ['an unknown kind', { ...warehouse, kind: 'depot' }],
      ['a code with a space', { ...warehouse, code: 'W 1' }],
      ['a code longer than 32 characters', { ...warehouse, code: 'W'.repeat(33) }],
      ['an empty name', { ...warehouse, name: '' }],
      ['a missing kind', { code: 'W1', name: 'Main warehouse' }],
      ['a time zone that is not a string', { ...warehouse, timeZone: 0 }],
    ];
    for (const [what, body] of badBodies) {
      it(`refuses ${what} with 400 VALIDATION_FAILED and creates nothing`, async () => {
        const response = await t.request({ method: 'POST', url: '/v1/locations', body });
        expectError(response, 400, 'VALIDATION_FAILED');
        assert.deepEqual(await codes(), []);
      });
    }

    it('refuses an empty patch with 400 and changes nothing', async () => {
      await insertLocation(t.ctx, { code: 'S1', kind: 'store' });
      const before = await read('S1');
      t.clock.set('2026-11-27T09:00:00.000Z');
      const response = await t.request({ method: 'PATCH', url: '/v1/locations/S1', body: {} });
      expectError(response, 400, 'VALIDATION_FAILED');
      assert.deepEqual(await read('S1'), before);
    });

    it('lists locations filtered by kind, a page at a time', async () => {
      await insertLocation(t.ctx, { code: 'W1', kind: 'warehouse' });
      await insertLocation(t.ctx, { code: 'S1', kind: 'store' });
      await insertLocation(t.ctx, { code: 'S2', kind: 'store' });
      await insertLocation(t.ctx, { code: 'W2', kind: 'warehouse' });
      await insertLocation(t.ctx, { code: 'S3', kind: 'store' });

      assert.deepEqual(await codes(), ['W1', 'S1', 'S2', 'W2', 'S3']);
      assert.deepEqual(await codes('?kind=warehouse'), ['W1', 'W2']);
      assert.deepEqual(await codes('?kind=store'), ['S1', 'S2', 'S3']);

      const first = json<LocationPage>(
        await t.request({ method: 'GET', url: '/v1/locations?kind=store&limit=2' }),
      );
      assert.deepEqual(
        first.items.map((l) => l.code),
        ['S1', 'S2'],
      );
      assert.ok(first.nextCursor, JSON.stringify(first));
      const second = json<LocationPage>(
        await t.request({
          method: 'GET',
          url: `/v1/locations?kind=store&limit=2&cursor=${first.nextCursor}`,
        }),
      );
      assert.deepEqual(
        second.items.map((l) => l.code),
        ['S3'],
      );
      assert.equal(second.nextCursor, null);

      // An exactly full last page says there is nothing more.
      const exact = json<LocationPage>(
        await t.request({ method: 'GET', url: '/v1/locations?limit=5' }),
      );
      assert.equal(exact.items.length, 5);
      assert.equal(exact.nextCursor, null);
    });

    it('refuses a bad kind filter, an unknown parameter and a forged cursor', async () => {
      expectError(
        await t.request({ method: 'GET', url: '/v1/locations?kind=depot' }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await t.request({ method: 'GET', url: '/v1/locations?sort=code' }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await t.request({ method: 'GET', url: '/v1/locations?cursor=not-a-cursor' }),
        400,
        'INVALID_CURSOR',
      );
    });
  });
}
