import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type * as items from '../../src/catalogue/items.schemas.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem } from '../helpers/factories.js';
import type { Body, ErrorBody } from '../helpers/responses.js';

type ItemBody = Body<typeof items.Item>;
type ItemPage = Body<typeof items.ItemPage>;

for (const target of testDatabases()) {
  describe(`items routes (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
    });
    afterEach(async () => {
      await t.close();
    });

    const kettle = {
      sku: 'KET-01',
      name: 'Kettle',
      category: 'kitchen',
      price: 40,
      lowStockThreshold: 3,
      backorderPolicy: 'incoming' as const,
      handlingDays: 1,
    };

    const readKettle = async () => {
      const read = await t.request({ method: 'GET', url: '/v1/items/KET-01' });
      assert.equal(read.statusCode, 200, read.body);
      return json<ItemBody>(read);
    };
    const listAll = async () => {
      const list = await t.request({ method: 'GET', url: '/v1/items?limit=1000' });
      assert.equal(list.statusCode, 200, list.body);
      return json<ItemPage>(list).items;
    };
    const expectError = (
      response: Awaited<ReturnType<TestApp['request']>>,
      status: number,
      code: string,
    ) => {
      assert.equal(response.statusCode, status, response.body);
      assert.equal(json<ErrorBody>(response).error.code, code, response.body);
      return json<ErrorBody>(response).error;
    };

    it('creates an item with defaults and reads it back', async () => {
      const created = await t.request({
        method: 'POST',
        url: '/v1/items',
        body: { ...kettle, tags: ['electric'] },
      });
      assert.equal(created.statusCode, 201, created.body);
      const body = json(created);
      assert.equal(body.sku, 'KET-01');
      assert.equal(body.status, 'active');
      assert.deepEqual(body.tags, ['electric']);
      assert.equal(body.backorderCap, null);

      const read = await t.request({ method: 'GET', url: '/v1/items/KET-01' });
      assert.equal(read.statusCode, 200, read.body);
      assert.deepEqual(json(read), body);
    });

    it('refuses a duplicate SKU with 409 and keeps the first item', async () => {
      await t.request({ method: 'POST', url: '/v1/items', body: kettle });
      const again = await t.request({
        method: 'POST',
        url: '/v1/items',
        body: { ...kettle, name: 'Other' },
      });
      assert.equal(again.statusCode, 409, again.body);
      assert.equal(json<{ error: { code: string } }>(again).error.code, 'DUPLICATE_SKU');
      const read = json(await t.request({ method: 'GET', url: '/v1/items/KET-01' }));
      assert.equal(read.name, 'Kettle');
    });

    it('lists the categories in use with their item counts', async () => {
      const empty = await t.request({ method: 'GET', url: '/v1/categories' });
      assert.equal(empty.statusCode, 200, empty.body);
      assert.deepEqual(json(empty), { items: [] });
      await insertItem(t.ctx, { category: 'lighting' });
      await insertItem(t.ctx, { category: 'kitchen' });
      await insertItem(t.ctx, { category: 'kitchen', status: 'discontinued' });
      const list = await t.request({ method: 'GET', url: '/v1/categories', key: t.staffKey });
      assert.equal(list.statusCode, 200, list.body);
      assert.deepEqual(json(list), {
        items: [
          { category: 'kitchen', items: 2 },
          { category: 'lighting', items: 1 },
        ],
      });
    });

    it('answers 404 ITEM_NOT_FOUND for an unknown SKU', async () => {
      const response = await t.request({ method: 'GET', url: '/v1/items/NOPE' });
      assert.equal(response.statusCode, 404, response.body);
      assert.equal(json<{ error: { code: string } }>(response).error.code, 'ITEM_NOT_FOUND');
    });

    it('pages through items with a cursor', async () => {
      for (let i = 0; i < 5; i++) await insertItem(t.ctx, { sku: `P-${i}` });
      const first = json<{ items: { sku: string }[]; nextCursor: string }>(
        await t.request({ method: 'GET', url: '/v1/items?limit=3' }),
      );
      assert.deepEqual(
        first.items.map((i) => i.sku),
        ['P-0', 'P-1', 'P-2'],
      );
      const second = json<{ items: { sku: string }[]; nextCursor: string | null }>(
        await t.request({ method: 'GET', url: `/v1/items?limit=3&cursor=${first.nextCursor}` }),
      );
      assert.deepEqual(
        second.items.map((i) => i.sku),
        ['P-3', 'P-4'],
      );
      assert.equal(second.nextCursor, null);
    });

    describe('PATCH /v1/items/{sku}', () => {
      it('changes only the fields sent, replaces the tags and stores the new price', async () => {
        await insertItem(t.ctx, { ...kettle, tags: ['a', 'b'] });
        const before = await readKettle();
        t.clock.set('2026-11-27T08:30:00.000Z');

        const patched = await t.request({
          method: 'PATCH',
          url: '/v1/items/KET-01',
          body: { price: 12.34, tags: ['c', 'a'], name: 'Steel kettle' },
        });
        assert.equal(patched.statusCode, 200, patched.body);
        const body = json<ItemBody>(patched);
        assert.equal(body.price, 12.34, patched.body);
        assert.equal(body.name, 'Steel kettle', patched.body);
        assert.deepEqual([...body.tags].sort(), ['a', 'c'], patched.body);
        assert.equal(body.updatedAt, '2026-11-27T08:30:00.000Z', patched.body);
        // Untouched fields keep their values.
        assert.equal(body.category, before.category, patched.body);
        assert.equal(body.lowStockThreshold, before.lowStockThreshold, patched.body);
        assert.equal(body.handlingDays, before.handlingDays, patched.body);
        assert.equal(body.createdAt, before.createdAt, patched.body);

        const read = await readKettle();
        assert.deepEqual(read, body);
        // The new tags are what the tag filter sees: "b" is gone, "c" is there.
        const byB = json<ItemPage>(await t.request({ method: 'GET', url: '/v1/items?tag=b' }));
        assert.deepEqual(byB.items, []);
        const byC = json<ItemPage>(await t.request({ method: 'GET', url: '/v1/items?tag=c' }));
        assert.deepEqual(
          byC.items.map((i) => i.sku),
          ['KET-01'],
        );
      });

      it('clears tags with an empty list and nullable fields with null', async () => {
        await insertItem(t.ctx, {
          ...kettle,
          backorderPolicy: 'lead_time',
          backorderCap: 5,
          releaseDate: '2026-12-24',
          tags: ['x'],
        });
        const patched = await t.request({
          method: 'PATCH',
          url: '/v1/items/KET-01',
          body: { tags: [], backorderCap: null, releaseDate: null },
        });
        assert.equal(patched.statusCode, 200, patched.body);
        const read = await readKettle();
        assert.deepEqual(read.tags, [], JSON.stringify(read));
        assert.equal(read.backorderCap, null, JSON.stringify(read));
        assert.equal(read.releaseDate, null, JSON.stringify(read));
        assert.equal(read.backorderPolicy, 'lead_time', JSON.stringify(read));
      });

      it('answers 404 ITEM_NOT_FOUND for an unknown SKU and creates nothing', async () => {
        const response = await t.request({
          method: 'PATCH',
          url: '/v1/items/NOPE',
          body: { name: 'Ghost' },
        });
        const error = expectError(response, 404, 'ITEM_NOT_FOUND');
        assert.deepEqual(error.details, { sku: 'NOPE' }, response.body);
        assert.deepEqual(await listAll(), []);
      });

      it('refuses an empty body with 400 and changes nothing', async () => {
        await insertItem(t.ctx, kettle);
        const before = await readKettle();
        t.clock.set('2026-11-27T08:30:00.000Z');
        const response = await t.request({ method: 'PATCH', url: '/v1/items/KET-01', body: {} });
        expectError(response, 400, 'VALIDATION_FAILED');
        assert.deepEqual(await readKettle(), before);
      });

      const badPatches: [string, Record<string, unknown>, string][] = [
        ['an unknown field', { colour: 'red' }, 'colour'],
        ['a fractional cent price', { price: 1.234 }, '/price'],
        ['a negative price', { price: -1 }, '/price'],
        ['a price sent as a string', { price: '5' }, '/price'],
        ['a negative lowStockThreshold', { lowStockThreshold: -1 }, '/lowStockThreshold'],
        ['a fractional lowStockThreshold', { lowStockThreshold: 1.5 }, '/lowStockThreshold'],
        ['an unknown status', { status: 'gone' }, '/status'],
        ['an upper-case tag', { tags: ['Electric'] }, '/tags/0'],
        ['duplicate tags', { tags: ['a', 'a'] }, '/tags'],
        ['an attempt to change the SKU', { sku: 'KET-02' }, 'sku'],
        ['a valid field beside a bad one', { name: 'Changed', price: -5 }, '/price'],
      ];
      for (const [what, body, mentioned] of badPatches) {
        it(`refuses ${what} with 400 VALIDATION_FAILED and changes nothing`, async () => {
          await insertItem(t.ctx, { ...kettle, tags: ['electric'] });
          const before = await readKettle();
          t.clock.set('2026-11-27T08:30:00.000Z');
          const response = await t.request({ method: 'PATCH', url: '/v1/items/KET-01', body });
          const error = expectError(response, 400, 'VALIDATION_FAILED');
          assert.match(error.message, new RegExp(mentioned.replace(/[/]/g, '\\/')), response.body);
          assert.deepEqual(await readKettle(), before);
          assert.equal((await listAll()).length, 1);
        });
      }
    });

    describe('POST /v1/items bad input', () => {
      const badCreates: [string, Record<string, unknown>][] = [
        ['an unknown field', { ...kettle, colour: 'red' }],
        ['a fractional cent price', { ...kettle, price: 1.234 }],
        ['a negative price', { ...kettle, price: -0.01 }],
        ['a price sent as a string', { ...kettle, price: '5' }],
        ['a negative lowStockThreshold', { ...kettle, lowStockThreshold: -3 }],
        ['a SKU with a space', { ...kettle, sku: 'KET 01' }],
        ['a SKU starting with a dash', { ...kettle, sku: '-KET' }],
        ['a SKU longer than 64 characters', { ...kettle, sku: 'K'.repeat(65) }],
        ['a missing name', { sku: 'KET-01', category: 'kitchen', price: 40 }],
        ['an empty name', { ...kettle, name: '' }],
        ['an unknown backorder policy', { ...kettle, backorderPolicy: 'always' }],
        ['an impossible release date', { ...kettle, releaseDate: '2026-02-30' }],
      ];
      for (const [what, body] of badCreates) {
        it(`refuses ${what} with 400 VALIDATION_FAILED and creates nothing`, async () => {
          await insertItem(t.ctx, { sku: 'EXISTING' });
          const response = await t.request({ method: 'POST', url: '/v1/items', body });
          expectError(response, 400, 'VALIDATION_FAILED');
          assert.deepEqual(
            (await listAll()).map((i) => i.sku),
            ['EXISTING'],
          );
        });
      }

      it('accepts two-decimal prices that are not exact in binary', async () => {
        const response = await t.request({
          method: 'POST',
          url: '/v1/items',
          body: { ...kettle, price: 0.07 },
        });
        assert.equal(response.statusCode, 201, response.body);
        assert.equal((await readKettle()).price, 0.07);
        const patched = await t.request({
          method: 'PATCH',
          url: '/v1/items/KET-01',
          body: { price: 19.99 },
        });
        assert.equal(patched.statusCode, 200, patched.body);
        assert.equal((await readKettle()).price, 19.99);
      });

      it('refuses a bad SKU in the path with 400', async () => {
        const response = await t.request({ method: 'GET', url: '/v1/items/-bad' });
        expectError(response, 400, 'VALIDATION_FAILED');
      });
    });

    describe('GET /v1/items filters', () => {
      beforeEach(async () => {
        await insertItem(t.ctx, { sku: 'K1', category: 'kitchen', tags: ['electric', 'steel'] });
        await insertItem(t.ctx, { sku: 'K2', category: 'kitchen', tags: ['manual'] });
        await insertItem(t.ctx, {
          sku: 'G1',
          category: 'garden',
          tags: ['electric'],
          status: 'discontinued',
        });
        await insertItem(t.ctx, { sku: 'G2', category: 'garden' });
      });
      const skus = async (query: string) => {
        const response = await t.request({ method: 'GET', url: `/v1/items${query}` });
        assert.equal(response.statusCode, 200, response.body);
        return json<ItemPage>(response).items.map((i) => i.sku);
      };

      it('filters by category', async () => {
        assert.deepEqual(await skus('?category=kitchen'), ['K1', 'K2']);
        assert.deepEqual(await skus('?category=garden'), ['G1', 'G2']);
        assert.deepEqual(await skus('?category=toys'), []);
      });

      it('filters by status', async () => {
        assert.deepEqual(await skus('?status=discontinued'), ['G1']);
        assert.deepEqual(await skus('?status=active'), ['K1', 'K2', 'G2']);
      });

      it('filters by tag, and returns all of a matching item’s tags', async () => {
        assert.deepEqual(await skus('?tag=electric'), ['K1', 'G1']);
        assert.deepEqual(await skus('?tag=manual'), ['K2']);
        assert.deepEqual(await skus('?tag=none'), []);
        const page = json<ItemPage>(await t.request({ method: 'GET', url: '/v1/items?tag=steel' }));
        assert.deepEqual(page.items[0]?.tags, ['electric', 'steel']);
      });

      it('combines filters', async () => {
        assert.deepEqual(await skus('?category=kitchen&tag=electric'), ['K1']);
        assert.deepEqual(await skus('?category=garden&status=active'), ['G2']);
        assert.deepEqual(await skus('?category=garden&tag=electric&status=active'), []);
      });

      it('pages through a filtered list', async () => {
        const first = json<ItemPage>(
          await t.request({ method: 'GET', url: '/v1/items?status=active&limit=2' }),
        );
        assert.deepEqual(
          first.items.map((i) => i.sku),
          ['K1', 'K2'],
        );
        assert.ok(first.nextCursor, JSON.stringify(first));
        const second = json<ItemPage>(
          await t.request({
            method: 'GET',
            url: `/v1/items?status=active&limit=2&cursor=${first.nextCursor}`,
          }),
        );
        assert.deepEqual(
          second.items.map((i) => i.sku),
          ['G2'],
        );
        assert.equal(second.nextCursor, null);
      });

      it('refuses an unknown status, an unknown query parameter and a bad limit with 400', async () => {
        for (const query of [
          '?status=gone',
          '?colour=red',
          '?limit=0',
          '?limit=1001',
          '?limit=x',
        ]) {
          const response = await t.request({ method: 'GET', url: `/v1/items${query}` });
          expectError(response, 400, 'VALIDATION_FAILED');
        }
      });

      it('refuses a cursor it did not issue with 400 INVALID_CURSOR', async () => {
        const forged = Buffer.from('k:1:2').toString('base64url');
        for (const cursor of ['garbage', forged, Buffer.from('k:-1').toString('base64url')]) {
          const response = await t.request({ method: 'GET', url: `/v1/items?cursor=${cursor}` });
          const error = expectError(response, 400, 'INVALID_CURSOR');
          assert.equal(error.details.cursor, cursor, response.body);
        }
        assert.equal((await listAll()).length, 4);
      });
    });
  });
}
