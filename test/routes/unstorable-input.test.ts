import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { json, startTestApp, type TestApp, type TestRequest } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { databaseFingerprint } from '../helpers/db-fingerprint.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

/**
 * Issue 10, defect 3: input PostgreSQL cannot store or compare (NUL in text, a lone
 * surrogate, ids beyond bigint, counts beyond its integer columns, out-of-range dates)
 * answered 500 there and 4xx on SQLite. Each is now the same 400 VALIDATION_FAILED on
 * both, naming the field, and changes nothing.
 */

interface Issue {
  in: string;
  path: string;
  message: string;
}

for (const target of testDatabases()) {
  describe(`unstorable input is refused (${target.kind})`, () => {
    let t: TestApp;
    let purchaseOrderId: number;
    before(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET-01' });
      await putStock(t.ctx, 'KET-01', 'W1', 10);
      const supplier = await insertSupplier(t.ctx, 'ACME');
      purchaseOrderId = (
        await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'W1',
          state: 'draft',
          lines: [{ sku: 'KET-01', ordered: 5, expectedDate: '2026-12-10' }],
        })
      ).id;
    });
    after(async () => {
      await t.close();
    });

    /** Sends the request and asserts a 400 VALIDATION_FAILED naming `path`, with nothing changed. */
    async function assertRefused(request: TestRequest, where: string, path: string, says: RegExp) {
      const before = await databaseFingerprint(t.ctx);
      const response = await t.request(request);
      assert.equal(response.statusCode, 400, response.body);
      const { error } = json<{ error: { code: string; details: { issues: Issue[] } } }>(response);
      assert.equal(error.code, 'VALIDATION_FAILED', response.body);
      const issue = error.details.issues.find((i) => i.in === where && i.path === path);
      assert.ok(issue, `no issue for ${where} ${path}: ${response.body}`);
      assert.match(issue.message, says, response.body);
      assert.equal(await databaseFingerprint(t.ctx), before, `${response.body} changed the data`);
      return error;
    }

    const NUL = /contains a NUL character \(U\+0000\)/;

    it('refuses a NUL byte in string fields of several routes', async () => {
      await assertRefused(
        {
          method: 'POST',
          url: '/v1/items',
          body: { sku: 'NEW-1', name: 'Kettle\u0000', category: 'kitchen', price: 5 },
        },
        'body',
        '/name',
        NUL,
      );
      await assertRefused(
        {
          method: 'POST',
          url: '/v1/customers',
          body: { name: 'Ann\u0000Lee', preferredChannel: 'none' },
        },
        'body',
        '/name',
        NUL,
      );
      await assertRefused(
        {
          method: 'POST',
          url: '/v1/stock/adjustments',
          body: { sku: 'KET-01', location: 'W1', delta: -1, reason: 'broken\u0000' },
        },
        'body',
        '/reason',
        NUL,
      );
      await assertRefused(
        {
          method: 'POST',
          url: '/v1/orders',
          headers: { 'idempotency-key': 'nul-order-1' },
          body: {
            channel: 'web',
            customer: { name: '\u0000' },
            lines: [{ sku: 'KET-01', quantity: 1 }],
          },
        },
        'body',
        '/customer/name',
        NUL,
      );
      await assertRefused(
        { method: 'PATCH', url: '/v1/locations/W1', body: { name: 'Main\u0000' } },
        'body',
        '/name',
        NUL,
      );
      await assertRefused(
        { method: 'GET', url: '/v1/items?category=kit%00chen' },
        'querystring',
        '/category',
        NUL,
      );
      await assertRefused(
        { method: 'GET', url: '/v1/customers?email=a%00%40example.com' },
        'querystring',
        '/email',
        NUL,
      );
    });

    it('refuses a NUL in a property name, even an unknown one', async () => {
      await assertRefused(
        { method: 'PATCH', url: '/v1/items/KET-01', body: { 'na\u0000me': 'x' } },
        'body',
        '/na\u0000me',
        /has a property name containing a NUL character/,
      );
    });

    it('refuses lone surrogates, and keeps paired ones (emoji)', async () => {
      await assertRefused(
        {
          method: 'POST',
          url: '/v1/items',
          body: { sku: 'NEW-2', name: 'Kettle \ud83d', category: 'kitchen', price: 5 },
        },
        'body',
        '/name',
        /contains a lone surrogate \(U\+D83D\)/,
      );
      await assertRefused(
        {
          method: 'POST',
          url: '/v1/customers',
          body: { name: '\udc00x', preferredChannel: 'none' },
        },
        'body',
        '/name',
        /contains a lone surrogate \(U\+DC00\)/,
      );
      const emoji = await t.request({
        method: 'POST',
        url: '/v1/items',
        body: { sku: 'NEW-3', name: 'Kettle \u{1F375}', category: 'kitchen', price: 5 },
      });
      assert.equal(emoji.statusCode, 201, emoji.body);
      assert.equal(json<{ name: string }>(emoji).name, 'Kettle \u{1F375}');
    });

    it('refuses path ids beyond what an id can be: 1e308 and 99999999999999999999999', async () => {
      await assertRefused(
        { method: 'POST', url: '/v1/keys/1e308/revoke' },
        'params',
        '/id',
        /must be <= 9007199254740991/,
      );
      await assertRefused(
        { method: 'POST', url: '/v1/purchase-orders/99999999999999999999999/send', body: {} },
        'params',
        '/id',
        /must be <= 9007199254740991/,
      );
      await assertRefused(
        { method: 'GET', url: `/v1/orders/${2 ** 53}` },
        'params',
        '/id',
        /must be <= 9007199254740991/,
      );
      await assertRefused(
        { method: 'GET', url: '/v1/customers/1.5' },
        'params',
        '/id',
        /must be integer/,
      );
      // The largest id is valid input: it is simply not there.
      const missing = await t.request({
        method: 'POST',
        url: `/v1/purchase-orders/${Number.MAX_SAFE_INTEGER}/send`,
        body: {},
      });
      assert.equal(missing.statusCode, 404, missing.body);
      const exists = await t.request({
        method: 'GET',
        url: `/v1/purchase-orders/${purchaseOrderId}`,
      });
      assert.equal(exists.statusCode, 200, exists.body);
    });

    it("refuses a count's expected of 2^53 and ids in bodies beyond the limit", async () => {
      await assertRefused(
        {
          method: 'POST',
          url: '/v1/stock/counts',
          body: { sku: 'KET-01', location: 'W1', quantity: 10, expected: 2 ** 53 },
        },
        'body',
        '/expected',
        /must be <= 1000000000/,
      );
      await assertRefused(
        {
          method: 'POST',
          url: '/v1/orders/quote',
          body: { channel: 'web', customerId: 1e308, lines: [{ sku: 'KET-01', quantity: 1 }] },
        },
        'body',
        '/customerId',
        /must be <= 9007199254740991/,
      );
      await assertRefused(
        { method: 'GET', url: '/v1/messages?order=99999999999999999999999' },
        'querystring',
        '/order',
        /must be <= 9007199254740991/,
      );
    });

    it('refuses adjustments that would add up past the stock limit, on both databases alike', async () => {
      await insertItem(t.ctx, { sku: 'BIG-01' });
      const adjust = () =>
        t.request({
          method: 'POST',
          url: '/v1/stock/adjustments',
          body: { sku: 'BIG-01', location: 'W1', delta: 1_000_000_000, reason: 'bulk load' },
        });
      const first = await adjust();
      assert.equal(first.statusCode, 201, first.body);
      const before = await databaseFingerprint(t.ctx);
      // Each delta fits its schema; the sum would not fit what a location may hold (and,
      // further on, PostgreSQL's 32-bit column): a 409 naming the limit, nothing changed.
      const second = await adjust();
      assert.equal(second.statusCode, 409, second.body);
      assert.equal(json<{ error: { code: string } }>(second).error.code, 'STOCK_LIMIT_EXCEEDED');
      assert.equal(await databaseFingerprint(t.ctx), before);
    });

    it('refuses dates outside the years 1900 to 2999', async () => {
      for (const date of ['0001-01-01', '1899-12-31', '3000-01-01']) {
        await assertRefused(
          {
            method: 'PATCH',
            url: '/v1/items/KET-01',
            body: { releaseDate: date },
          },
          'body',
          '/releaseDate',
          /must match pattern/,
        );
      }
    });

    it('refuses a NUL in an imported CSV file, naming its line', async () => {
      const csv = [
        'supplier,location,reference,sku,quantity',
        'ACME,W1,PO-1,KET-01,4',
        'ACME,W1,PO-1\u0000,KET-01,2',
      ].join('\n');
      const before = await databaseFingerprint(t.ctx);
      const response = await t.request({
        method: 'POST',
        url: '/v1/purchase-orders/import',
        rawBody: csv,
        headers: { 'content-type': 'text/csv' },
      });
      assert.equal(response.statusCode, 400, response.body);
      const { error } = json<{
        error: { code: string; message: string; details: { issues: Issue[] } };
      }>(response);
      assert.equal(error.code, 'VALIDATION_FAILED', response.body);
      assert.match(error.message, /NUL character \(U\+0000\) on line 3/, response.body);
      assert.equal(await databaseFingerprint(t.ctx), before);
    });
  });
}
