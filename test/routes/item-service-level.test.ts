import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import type { ErrorBody } from '../helpers/responses.js';

for (const target of testDatabases()) {
  describe(`item service level (${target.kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(target);
    });
    after(async () => {
      await t.close();
    });

    const base = { name: 'Lamp', category: 'lighting', price: 12 };

    it('defaults to null (the ABC default), is set on create and changed or cleared on update', async () => {
      const plain = await t.request({
        method: 'POST',
        url: '/v1/items',
        body: { ...base, sku: 'SL-1' },
      });
      assert.equal(plain.statusCode, 201, plain.body);
      assert.equal(json(plain).serviceLevel, null);

      const set = await t.request({
        method: 'POST',
        url: '/v1/items',
        body: { ...base, sku: 'SL-2', serviceLevel: 0.95 },
      });
      assert.equal(set.statusCode, 201, set.body);
      assert.equal(json(set).serviceLevel, 0.95);

      const changed = await t.request({
        method: 'PATCH',
        url: '/v1/items/SL-2',
        body: { serviceLevel: 0.5 },
      });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.equal(json(changed).serviceLevel, 0.5);

      const cleared = await t.request({
        method: 'PATCH',
        url: '/v1/items/SL-2',
        body: { serviceLevel: null },
      });
      assert.equal(json(cleared).serviceLevel, null);
      const read = await t.request({ method: 'GET', url: '/v1/items/SL-2' });
      assert.equal(json(read).serviceLevel, null);
    });

    it('refuses a service level outside [0.5, 1) with 400 and changes nothing', async () => {
      await t.request({
        method: 'POST',
        url: '/v1/items',
        body: { ...base, sku: 'SL-3', serviceLevel: 0.9 },
      });
      const outside = fc.oneof(
        fc.double({ max: 0.4999, noNaN: true, noDefaultInfinity: true }),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.constantFrom('0.9', true, [0.9]),
      );
      await fc.assert(
        fc.asyncProperty(outside, async (value) => {
          const patched = await t.request({
            method: 'PATCH',
            url: '/v1/items/SL-3',
            body: { serviceLevel: value },
          });
          assert.equal(patched.statusCode, 400, patched.body);
          assert.equal(json<ErrorBody>(patched).error.code, 'VALIDATION_FAILED');
        }),
        { numRuns: 25 },
      );
      const read = await t.request({ method: 'GET', url: '/v1/items/SL-3' });
      assert.equal(json(read).serviceLevel, 0.9);
    });
  });
}
