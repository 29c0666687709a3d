import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { json, startTestApp, type TestApp, type TestRequest } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld } from '../helpers/factories.js';

type Response = Awaited<ReturnType<TestApp['request']>>;

/**
 * Asserts the one failure shape, `{error: {code, message, details, requestId}}` and
 * nothing else, with the status and code expected. Returns the error.
 */
function assertFailure(response: Response, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/json/, response.body);
  const body = json<{ error: Record<string, unknown> }>(response);
  assert.deepEqual(Object.keys(body), ['error'], response.body);
  assert.deepEqual(
    Object.keys(body.error).sort(),
    ['code', 'details', 'message', 'requestId'],
    response.body,
  );
  const { error } = body;
  assert.equal(error.code, code, response.body);
  assert.equal(typeof error.message, 'string', response.body);
  assert.ok((error.message as string).length > 0, response.body);
  assert.equal(typeof error.details, 'object', response.body);
  assert.ok(error.details !== null && !Array.isArray(error.details), response.body);
  assert.equal(typeof error.requestId, 'string', response.body);
  assert.ok((error.requestId as string).length > 0, response.body);
  assert.equal(response.headers['x-request-id'], error.requestId, response.body);
  return error as {
    code: string;
    message: string;
    details: Record<string, unknown>;
    requestId: string;
  };
}

for (const target of testDatabases()) {
  describe(`error responses (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET-01' });
    });
    afterEach(async () => {
      await t.close();
    });

    const itemSkus = async () => {
      const response = await t.request({ method: 'GET', url: '/v1/items' });
      assert.equal(response.statusCode, 200, response.body);
      return json<{ items: { sku: string }[] }>(response).items.map((i) => i.sku);
    };

    const validItem = { sku: 'NEW-1', name: 'New', category: 'kitchen', price: 5 };

    describe('every failure has the same shape', () => {
      const failures: [
        string,
        number,
        string,
        TestRequest | ((t: TestApp) => Promise<TestRequest>),
      ][] = [
        [
          'a validation failure',
          400,
          'VALIDATION_FAILED',
          { method: 'POST', url: '/v1/items', body: { ...validItem, price: -1 } },
        ],
        [
          'a query validation failure',
          400,
          'VALIDATION_FAILED',
          { method: 'GET', url: '/v1/items?limit=0' },
        ],
        [
          'a path validation failure',
          400,
          'VALIDATION_FAILED',
          { method: 'GET', url: '/v1/items/-x' },
        ],
        [
          'a bad cursor',
          400,
          'INVALID_CURSOR',
          { method: 'GET', url: '/v1/items?cursor=nonsense' },
        ],
        [
          'a domain 400',
          400,
          'INVALID_TIME_ZONE',
          {
            method: 'POST',
            url: '/v1/locations',
            body: { code: 'X1', name: 'X', kind: 'store', timeZone: 'Nowhere/Land' },
          },
        ],
        [
          'malformed JSON',
          400,
          'MALFORMED_JSON',
          { method: 'POST', url: '/v1/items', rawBody: '{"sku": "A",' },
        ],
        ['a missing key', 401, 'UNAUTHORIZED', { method: 'GET', url: '/v1/items', key: null }],
        [
          'a role refusal',
          403,
          'FORBIDDEN',
          async (t) => ({ method: 'GET', url: '/v1/items', key: await t.channelKey('web') }),
        ],
        ['an unknown item', 404, 'ITEM_NOT_FOUND', { method: 'GET', url: '/v1/items/NOPE' }],
        ['an unknown route', 404, 'ROUTE_NOT_FOUND', { method: 'GET', url: '/v1/nothing' }],
        ['a malformed URL', 400, 'MALFORMED_URL', { method: 'GET', url: '/v1/items/%ZZ' }],
        [
          'a duplicate',
          409,
          'DUPLICATE_SKU',
          { method: 'POST', url: '/v1/items', body: { ...validItem, sku: 'KET-01' } },
        ],
        [
          'insufficient stock',
          409,
          'INSUFFICIENT_STOCK',
          {
            method: 'POST',
            url: '/v1/stock/adjustments',
            body: { sku: 'KET-01', location: 'W1', delta: -1, reason: 'broken' },
          },
        ],
        [
          'an unsupported media type',
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          {
            method: 'POST',
            url: '/v1/items',
            rawBody: JSON.stringify(validItem),
            headers: { 'content-type': 'text/plain' },
          },
        ],
        [
          'a body over the limit',
          413,
          'BODY_TOO_LARGE',
          {
            method: 'POST',
            url: '/v1/items',
            rawBody: JSON.stringify({ ...validItem, name: 'x'.repeat(1024 * 1024) }),
          },
        ],
      ];
      for (const [what, status, code, request] of failures) {
        it(`for ${what} (${status} ${code})`, async () => {
          const req = typeof request === 'function' ? await request(t) : request;
          assertFailure(await t.request(req), status, code);
          assert.deepEqual(await itemSkus(), ['KET-01']);
        });
      }
    });

    it('lists every problem of a body at once, with its path', async () => {
      const response = await t.request({
        method: 'POST',
        url: '/v1/items',
        body: { sku: 'bad sku', name: '', price: '5', extra: 1 },
      });
      const error = assertFailure(response, 400, 'VALIDATION_FAILED');
      const issues = error.details.issues as { in: string; path: string; message: string }[];
      assert.ok(Array.isArray(issues), response.body);
      for (const issue of issues) assert.equal(issue.in, 'body', response.body);
      const paths = issues.map((i) => i.path);
      for (const path of ['/sku', '/name', '/price']) {
        assert.ok(paths.includes(path), `${path} missing from ${response.body}`);
      }
      assert.ok(
        issues.some((i) => i.path === '/' && /"extra"/.test(i.message)),
        response.body,
      );
      assert.ok(
        issues.some((i) => i.path === '/' && /"category"/.test(i.message)),
        response.body,
      );
    });

    describe('malformed and empty bodies', () => {
      for (const rawBody of [
        '{"sku": "A",',
        '{sku: "A"}',
        "{'sku':'A'}",
        'undefined',
        '{"a":1}}',
      ]) {
        it(`refuses ${JSON.stringify(rawBody)} with 400 MALFORMED_JSON and creates nothing`, async () => {
          const items = await t.request({ method: 'POST', url: '/v1/items', rawBody });
          assertFailure(items, 400, 'MALFORMED_JSON');
          const locations = await t.request({ method: 'POST', url: '/v1/locations', rawBody });
          assertFailure(locations, 400, 'MALFORMED_JSON');
          assert.deepEqual(await itemSkus(), ['KET-01']);
          const list = await t.request({ method: 'GET', url: '/v1/locations' });
          assert.equal(json<{ items: unknown[] }>(list).items.length, 2, list.body);
        });
      }

      it('refuses prototype-poisoning keys with 400 and creates nothing', async () => {
        for (const rawBody of [
          JSON.stringify(validItem).replace('{', '{"__proto__":{"admin":true},'),
          JSON.stringify(validItem).replace('{', '{"constructor":{"prototype":{"admin":true}},'),
        ]) {
          const response = await t.request({ method: 'POST', url: '/v1/items', rawBody });
          assertFailure(response, 400, 'MALFORMED_JSON');
        }
        assert.deepEqual(await itemSkus(), ['KET-01']);
      });

      it('refuses an empty body sent as JSON with 400', async () => {
        const response = await t.request({
          method: 'POST',
          url: '/v1/items',
          rawBody: '',
          headers: { 'content-type': 'application/json' },
        });
        assertFailure(response, 400, 'MALFORMED_JSON');
        const patch = await t.request({
          method: 'PATCH',
          url: '/v1/items/KET-01',
          rawBody: '',
          headers: { 'content-type': 'application/json' },
        });
        assertFailure(patch, 400, 'MALFORMED_JSON');
        assert.deepEqual(await itemSkus(), ['KET-01']);
      });

      it('refuses a POST with no body at all with 400', async () => {
        const response = await t.request({ method: 'POST', url: '/v1/items' });
        assertFailure(response, 400, 'VALIDATION_FAILED');
        assert.deepEqual(await itemSkus(), ['KET-01']);
      });

      for (const rawBody of ['null', '[]', '"text"', '42', 'true']) {
        it(`refuses the JSON value ${rawBody} where an object is expected`, async () => {
          const response = await t.request({ method: 'POST', url: '/v1/items', rawBody });
          assertFailure(response, 400, 'VALIDATION_FAILED');
          assert.deepEqual(await itemSkus(), ['KET-01']);
        });
      }
    });

    describe('content types', () => {
      for (const contentType of [
        'text/plain',
        'text/plain; charset=utf-8',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
      ]) {
        it(`refuses ${contentType} on POST with 415 and creates nothing`, async () => {
          const response = await t.request({
            method: 'POST',
            url: '/v1/items',
            rawBody: JSON.stringify(validItem),
            headers: { 'content-type': contentType },
          });
          assertFailure(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
          assert.deepEqual(await itemSkus(), ['KET-01']);
        });
      }

      it('refuses text/plain on PATCH with 415 and changes nothing', async () => {
        const response = await t.request({
          method: 'PATCH',
          url: '/v1/items/KET-01',
          rawBody: JSON.stringify({ name: 'Changed' }),
          headers: { 'content-type': 'text/plain' },
        });
        assertFailure(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
        const read = await t.request({ method: 'GET', url: '/v1/items/KET-01' });
        assert.equal(json(read).name, 'Test item', read.body);
      });

      it('accepts application/json with a charset', async () => {
        const response = await t.request({
          method: 'POST',
          url: '/v1/items',
          rawBody: JSON.stringify(validItem),
          headers: { 'content-type': 'application/json; charset=utf-8' },
        });
        assert.equal(response.statusCode, 201, response.body);
        assert.deepEqual(await itemSkus(), ['KET-01', 'NEW-1']);
      });
    });

    describe('unknown routes', () => {
      for (const [method, url] of [
        ['GET', '/v1/nothing'],
        ['GET', '/'],
        ['DELETE', '/v1/items/KET-01'],
        ['PUT', '/v1/items/KET-01'],
        ['POST', '/v1/items/KET-01'],
      ] as const) {
        it(`answers ${method} ${url} with 404 ROUTE_NOT_FOUND, with or without a key`, async () => {
          for (const key of [t.adminKey, null]) {
            const response = await t.request({ method, url, key });
            const error = assertFailure(response, 404, 'ROUTE_NOT_FOUND');
            assert.deepEqual(error.details, { method, url }, response.body);
          }
          assert.deepEqual(await itemSkus(), ['KET-01']);
        });
      }
    });

    describe('request ids', () => {
      it('echoes the client’s x-request-id as requestId and in the response header', async () => {
        const requestId = 'client-trace-42';
        for (const req of [
          { method: 'GET', url: '/v1/items/NOPE' },
          { method: 'GET', url: '/v1/nothing' },
          { method: 'GET', url: '/v1/items', key: null },
          { method: 'POST', url: '/v1/items', rawBody: '{' },
        ] as TestRequest[]) {
          const response = await t.request({ ...req, headers: { 'x-request-id': requestId } });
          const error = assertFailure(
            response,
            response.statusCode,
            json<{ error: { code: string } }>(response).error.code,
          );
          assert.equal(error.requestId, requestId, response.body);
        }
        const ok = await t.request({
          method: 'GET',
          url: '/v1/items',
          headers: { 'x-request-id': requestId },
        });
        assert.equal(ok.statusCode, 200, ok.body);
        assert.equal(ok.headers['x-request-id'], requestId);
      });

      it('gives each request its own id when the client sends none', async () => {
        const a = assertFailure(
          await t.request({ method: 'GET', url: '/v1/items/NOPE' }),
          404,
          'ITEM_NOT_FOUND',
        );
        const b = assertFailure(
          await t.request({ method: 'GET', url: '/v1/items/NOPE' }),
          404,
          'ITEM_NOT_FOUND',
        );
        assert.match(a.requestId, /^[0-9a-f-]{36}$/);
        assert.notEqual(a.requestId, b.requestId);
      });
    });

    it('answers an unexpected failure with 500 INTERNAL_ERROR, in the same shape, revealing nothing', async () => {
      // Break the database under the app: the tags table is read on every item listing.
      await t.database.alter(() => sql`drop table item_tags`.execute(t.ctx.db));
      const response = await t.request({ method: 'GET', url: '/v1/items' });
      const error = assertFailure(response, 500, 'INTERNAL_ERROR');
      assert.deepEqual(error.details, {}, response.body);
      assert.doesNotMatch(response.body, /item_tags|sqlite|relation|stack/i);
    });
  });
}
