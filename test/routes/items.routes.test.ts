import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem } from '../helpers/factories.js';

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
      backorderPolicy: 'incoming',
      handlingDays: 1,
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
  });
}
