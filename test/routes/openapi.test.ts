import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';

interface Operation {
  summary?: string;
  security?: unknown[];
  parameters?: { in: string; name: string; required?: boolean }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<
    string,
    { description?: string; content?: Record<string, { schema?: unknown }> }
  >;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  security?: unknown[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The /v1 contract this codebase implements today (DESIGN.md §10 plus keys and audit). */
/** Outside /health, the operations that need no API key (their token is the credential). */
const PUBLIC_OPERATIONS = new Set([
  'DELETE /v1/subscriptions/by-token/{token}',
  'GET /v1/unsubscribe/{token}',
  'POST /v1/unsubscribe/{token}',
  'POST /v1/session',
]);

const EXPECTED_OPERATIONS = [
  'GET /health',
  'GET /health/ready',
  'POST /v1/items',
  'GET /v1/items',
  'GET /v1/items/{sku}',
  'PATCH /v1/items/{sku}',
  'GET /v1/categories',
  'POST /v1/locations',
  'GET /v1/locations',
  'GET /v1/locations/{code}',
  'PATCH /v1/locations/{code}',
  'POST /v1/channels',
  'GET /v1/channels',
  'GET /v1/channels/{code}',
  'PATCH /v1/channels/{code}',
  'POST /v1/stock/adjustments',
  'POST /v1/stock/counts',
  'POST /v1/stock/transfers',
  'POST /v1/stock/set-quantities',
  'GET /v1/stock',
  'GET /v1/stock/ledger',
  'GET /v1/stock/audit',
  'GET /v1/stock/overview',
  'GET /v1/stock/overview.csv',
  'GET /v1/stock/{sku}/{location}',
  'PATCH /v1/stock/{sku}/{location}',
  'POST /v1/transfers',
  'GET /v1/transfers',
  'GET /v1/transfers/{id}',
  'PATCH /v1/transfers/{id}',
  'POST /v1/transfers/{id}/receipts',
  'GET /v1/availability/{sku}',
  'GET /v1/availability',
  'GET /v1/availability.csv',
  'GET /v1/supply',
  'GET /v1/supply.csv',
  'POST /v1/keys',
  'GET /v1/keys',
  'POST /v1/keys/{id}/revoke',
  'POST /v1/session',
  'GET /v1/session',
  'DELETE /v1/session',
  'POST /v1/users',
  'GET /v1/users',
  'PATCH /v1/users/{id}',
  'POST /v1/suppliers',
  'GET /v1/suppliers',
  'GET /v1/suppliers/{code}',
  'PATCH /v1/suppliers/{code}',
  'GET /v1/suppliers/{code}/items',
  'PUT /v1/suppliers/{code}/items/{sku}',
  'DELETE /v1/suppliers/{code}/items/{sku}',
  'GET /v1/items/{sku}/suppliers',
  'GET /v1/suppliers/{code}/performance',
  'POST /v1/purchase-orders',
  'GET /v1/purchase-orders',
  'GET /v1/purchase-orders/{id}',
  'POST /v1/purchase-orders/{id}/send',
  'POST /v1/purchase-orders/{id}/confirm',
  'POST /v1/purchase-orders/{id}/cancel',
  'POST /v1/purchase-orders/{id}/lines',
  'PATCH /v1/purchase-orders/{id}/lines/{line}',
  'POST /v1/purchase-orders/{id}/lines/{line}/preview',
  'DELETE /v1/purchase-orders/{id}/lines/{line}',
  'POST /v1/purchase-orders/{id}/receipts',
  'GET /v1/purchase-orders/{id}/history',
  'POST /v1/purchase-orders/{id}/lines/{line}/returns',
  'GET /v1/purchase-orders/{id}/returns',
  'POST /v1/purchase-orders/import',
  'POST /v1/history',
  'GET /v1/items/{sku}/links',
  'PUT /v1/items/{sku}/links/{linkedSku}',
  'DELETE /v1/items/{sku}/links/{linkedSku}',
  'GET /v1/items/{sku}/alternatives',
  'POST /v1/orders/quote',
  'POST /v1/orders',
  'GET /v1/orders',
  'GET /v1/orders/{id}',
  'POST /v1/orders/{id}/cancel',
  'POST /v1/orders/{id}/lines/{line}/keep-waiting',
  'POST /v1/orders/{id}/lines/{line}/priority',
  'POST /v1/orders/{id}/fulfilments',
  'POST /v1/orders/{id}/lines/{line}/increase',
  'POST /v1/orders/{id}/lines',
  'POST /v1/orders/{id}/lines/{line}/move',
  'POST /v1/orders/{id}/lines/{line}/uncancel',
  'POST /v1/orders/{id}/lines/{line}/returns',
  'GET /v1/orders/{id}/returns',
  'GET /v1/orders/{id}/promise-changes',
  'POST /v1/holds',
  'GET /v1/holds/{id}',
  'POST /v1/holds/{id}/extend',
  'POST /v1/holds/{id}/release',
  'POST /v1/holds/{id}/convert',
  'GET /v1/order-lines/waiting',
  'GET /v1/lost-demand',
  'GET /v1/reports/stockouts',
  'GET /v1/reports/lost-demand',
  'GET /v1/reports/repeat-stockouts',
  'GET /v1/reports/backorder-waits',
  'GET /v1/reports/excess-stock',
  'GET /v1/reports/best-sellers',
  'GET /v1/reports/emerging',
  'GET /v1/reports/seasonality',
  'GET /v1/reports/supplier-scorecards',
  'POST /v1/customers',
  'GET /v1/customers',
  'GET /v1/customers/{id}',
  'PATCH /v1/customers/{id}',
  'GET /v1/customers/{id}/messages',
  'GET /v1/messages',
  'GET /v1/messages/{id}',
  'POST /v1/messages/{id}/retry',
  'GET /v1/message-templates',
  'GET /v1/message-templates/{kind}',
  'PUT /v1/message-templates/{kind}',
  'DELETE /v1/message-templates/{kind}',
  'POST /v1/message-templates/{kind}/preview',
  'GET /v1/events',
  'GET /v1/forecasts/{sku}',
  'POST /v1/subscriptions',
  'GET /v1/subscriptions',
  'GET /v1/subscriptions/{id}',
  'DELETE /v1/subscriptions/by-token/{token}',
  'GET /v1/unsubscribe/{token}',
  'POST /v1/unsubscribe/{token}',
  'GET /v1/alerts',
  'GET /v1/alerts/counts',
  'GET /v1/alerts/{id}',
  'POST /v1/webhooks',
  'GET /v1/webhooks',
  'GET /v1/webhooks/{id}',
  'PATCH /v1/webhooks/{id}',
  'DELETE /v1/webhooks/{id}',
  'POST /v1/webhooks/{id}/rotate-secret',
  'GET /v1/webhooks/{id}/deliveries',
  'GET /v1/replenishment/reorder-points',
  'POST /v1/replenishment/suggestions/refresh',
  'GET /v1/replenishment/suggestions',
  'GET /v1/replenishment/suggestions/{id}',
  'POST /v1/replenishment/suggestions/{id}/purchase-order',
  'POST /v1/replenishment/suggestions/{id}/dismiss',
];

/**
 * Operations with two success answers: a replay (200), a dry run (200) or an update of
 * what exists (200) beside 201.
 */
const TWO_SUCCESS_OPERATIONS = [
  'POST /v1/purchase-orders/{id}/receipts',
  'POST /v1/transfers/{id}/receipts',
  'POST /v1/purchase-orders/import',
  'PUT /v1/items/{sku}/links/{linkedSku}',
  'POST /v1/orders/{id}/fulfilments',
  'POST /v1/subscriptions',
];

/**
 * The routes the app really registered, from Fastify's own route tree, as "METHOD /path"
 * with OpenAPI-style parameters. HEAD is Fastify's automatic companion of GET.
 */
function registeredOperations(app: TestApp['app']): string[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const operations: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    const path = `${stack.join('')}${match[2]}`;
    stack.push(match[2] ?? '');
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) {
      if (method === 'HEAD') continue;
      operations.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return operations;
}

/** Every `$ref` in a JSON document, with where it was found. */
function collectRefs(node: unknown, at = '#', found: [string, string][] = []): [string, string][] {
  if (Array.isArray(node)) {
    node.forEach((child, i) => {
      collectRefs(child, `${at}/${i}`, found);
    });
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push([at, value]);
      else collectRefs(value, `${at}/${key}`, found);
    }
  }
  return found;
}

function resolvePointer(document: unknown, ref: string): unknown {
  assert.ok(ref.startsWith('#/'), `only local references are expected, got ${ref}`);
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

// The document does not depend on the data, so one app per database is enough.
for (const target of testDatabases()) {
  describe(`OpenAPI document (${target.kind})`, () => {
    let t: TestApp;
    let doc: OpenApiDocument;
    let raw: string;
    before(async () => {
      t = await startTestApp(target);
      const response = await t.request({ method: 'GET', url: '/openapi.json', key: null });
      assert.equal(response.statusCode, 200, response.body);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      raw = response.body;
      doc = json<OpenApiDocument>(response);
    });
    after(async () => {
      await t.close();
    });

    const operations = () =>
      Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([method]) => HTTP_METHODS.includes(method))
          .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, path, method, op })),
      );

    it('is OpenAPI 3.1.0 with a title, a version and bearer security', () => {
      assert.equal(doc.openapi, '3.1.0');
      assert.equal(doc.info.title, 'Stockroom API');
      assert.ok(doc.info.version);
      assert.deepEqual(doc.components.securitySchemes.apiKey, {
        type: 'http',
        scheme: 'bearer',
        description: 'Authorization: Bearer <key>',
      });
      assert.deepEqual(doc.security, [{ apiKey: [] }, { staffSession: [] }]);
    });

    it('documents exactly the operations the app registers', () => {
      const registered = registeredOperations(t.app)
        .filter((op) => / \/(v1|health)\b/.test(op))
        .sort();
      const documented = operations()
        .map((o) => o.key)
        .sort();
      assert.ok(registered.length >= 20, `route tree not understood: ${t.app.printRoutes()}`);
      assert.deepEqual(documented, registered);
      assert.deepEqual(documented, [...EXPECTED_OPERATIONS].sort());
    });

    it('hides its own plumbing: /openapi.json and /docs are not operations', () => {
      for (const path of Object.keys(doc.paths)) {
        assert.ok(!path.startsWith('/docs') && path !== '/openapi.json', path);
      }
    });

    it('gives every operation a summary, a tag and a success response with a schema', () => {
      for (const { key, op } of operations()) {
        assert.equal(typeof op.summary, 'string', key);
        assert.ok((op.summary ?? '').length > 5, `${key} has no real summary`);
        assert.ok(
          Array.isArray((op as { tags?: unknown }).tags) && (op as { tags: unknown[] }).tags.length,
          `${key} has no tag`,
        );
        const responses = op.responses ?? {};
        const success = Object.entries(responses).filter(([status]) => /^2\d\d$/.test(status));
        const expected = TWO_SUCCESS_OPERATIONS.includes(key) ? ['200', '201'] : undefined;
        if (expected) assert.deepEqual(success.map(([status]) => status).sort(), expected, key);
        else assert.equal(success.length, 1, `${key}: ${JSON.stringify(Object.keys(responses))}`);
        const [status, response] = success.at(-1)!;
        const content = response.content ?? {};
        const media = Object.keys(content);
        // 204 No Content is the one success with no body to document.
        if (status === '204') {
          assert.deepEqual(media, [], `${key} documents a body for 204`);
          continue;
        }
        assert.ok(media.length > 0, `${key} documents no response body`);
        for (const type of media) assert.ok(content[type]?.schema, `${key} ${type} has no schema`);
      }
    });

    it('documents the error shape on every /v1 operation', () => {
      for (const { key, path, op } of operations()) {
        if (!path.startsWith('/v1/')) continue;
        for (const status of ['400', '401', '403', '404']) {
          const schema = op.responses?.[status]?.content?.['application/json']?.schema;
          assert.deepEqual(
            schema,
            { $ref: '#/components/schemas/ErrorResponse' },
            `${key} ${status}: ${JSON.stringify(op.responses?.[status])}`,
          );
        }
      }
    });

    it('marks public operations as needing no key and the rest as needing one', () => {
      for (const { key, path, op } of operations()) {
        if (path.startsWith('/health') || PUBLIC_OPERATIONS.has(key)) {
          assert.deepEqual(op.security, [], key);
        } else assert.equal(op.security, undefined, `${key} overrides the global security`);
      }
    });

    it('documents path parameters, query parameters and JSON request bodies', () => {
      for (const { key, path, method, op } of operations()) {
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const documented = (op.parameters ?? []).filter((p) => p.in === 'path');
        assert.deepEqual(
          documented.map((p) => p.name).sort(),
          [...inPath].sort(),
          `${key}: ${JSON.stringify(op.parameters)}`,
        );
        for (const p of documented) assert.equal(p.required, true, `${key} ${p.name}`);
        if (method === 'post' || method === 'patch') {
          // One-click unsubscribe takes any body and reads none: the signed token decides.
          const bodyless = ['POST /v1/keys/{id}/revoke', 'POST /v1/unsubscribe/{token}'].includes(
            key,
          );
          const csv = ['POST /v1/purchase-orders/import', 'POST /v1/history'].includes(key);
          const media = csv ? 'text/csv' : 'application/json';
          const schema = op.requestBody?.content?.[media]?.schema;
          if (bodyless) assert.equal(op.requestBody, undefined, key);
          else assert.ok(schema, `${key} documents no ${media} body`);
        }
      }
      const query = (key: string) =>
        operations()
          .find((o) => o.key === key)
          ?.op.parameters?.filter((p) => p.in === 'query')
          .map((p) => p.name)
          .sort();
      assert.deepEqual(query('GET /v1/items'), [
        'category',
        'cursor',
        'limit',
        'status',
        'tag',
        'updatedSince',
      ]);
      assert.deepEqual(query('GET /v1/availability/{sku}'), ['channel', 'location', 'quantity']);
      assert.deepEqual(query('GET /v1/locations'), ['cursor', 'kind', 'limit']);
    });

    it('documents the Idempotency-Key header and the order document on the order routes', () => {
      const place = doc.paths['/v1/orders']?.post;
      assert.ok(place, JSON.stringify(Object.keys(doc.paths)));
      const header = (place.parameters ?? []).find((p) => p.in === 'header');
      assert.deepEqual(
        [header?.name, header?.required],
        ['idempotency-key', true],
        JSON.stringify(place.parameters),
      );
      assert.deepEqual(place.responses?.['201']?.content?.['application/json']?.schema, {
        $ref: '#/components/schemas/Order',
      });
      for (const status of ['409', '422']) {
        assert.deepEqual(
          place.responses?.[status]?.content?.['application/json']?.schema,
          { $ref: '#/components/schemas/ErrorResponse' },
          status,
        );
      }
      const order = doc.components.schemas.Order as { properties?: Record<string, unknown> };
      assert.deepEqual(Object.keys(order.properties ?? {}).sort(), [
        'channel',
        'createdAt',
        'customer',
        'id',
        'lines',
        'pickupLocation',
        'reference',
        'state',
        'updatedAt',
      ]);
    });

    it('documents the CSV feed as text/csv while its errors stay JSON', () => {
      const op = doc.paths['/v1/availability.csv']?.get;
      assert.ok(op, JSON.stringify(Object.keys(doc.paths)));
      assert.deepEqual(Object.keys(op.responses?.['200']?.content ?? {}), ['text/csv']);
      for (const status of ['400', '401', '403', '404']) {
        assert.deepEqual(
          Object.keys(op.responses?.[status]?.content ?? {}),
          ['application/json'],
          `${status}: ${JSON.stringify(op.responses?.[status])}`,
        );
      }
    });

    it('lists the shared schemas under components', () => {
      for (const name of [
        'Item',
        'Location',
        'Channel',
        'StockLevel',
        'LedgerEntry',
        'ItemAvailability',
        'ApiKey',
        'ErrorResponse',
      ]) {
        const schema = doc.components.schemas[name] as { type?: string; properties?: object };
        assert.ok(schema, `components.schemas.${name} is missing`);
        assert.equal(schema.type, 'object', name);
        assert.ok(Object.keys(schema.properties ?? {}).length > 0, name);
      }
      const error = doc.components.schemas.ErrorResponse as {
        properties: { error: { required: string[] } };
      };
      assert.deepEqual([...error.properties.error.required].sort(), [
        'code',
        'details',
        'message',
        'requestId',
      ]);
    });

    it('uses the shared schemas by reference where routes return them', () => {
      const ref = (key: string, status: string) =>
        operations().find((o) => o.key === key)?.op.responses?.[status]?.content?.[
          'application/json'
        ]?.schema;
      assert.deepEqual(ref('GET /v1/items/{sku}', '200'), { $ref: '#/components/schemas/Item' });
      assert.deepEqual(ref('POST /v1/locations', '201'), {
        $ref: '#/components/schemas/Location',
      });
      assert.deepEqual(ref('GET /v1/channels/{code}', '200'), {
        $ref: '#/components/schemas/Channel',
      });
      assert.deepEqual(ref('GET /v1/stock/{sku}/{location}', '200'), {
        $ref: '#/components/schemas/StockLevel',
      });
      assert.deepEqual(ref('GET /v1/availability/{sku}', '200'), {
        $ref: '#/components/schemas/ItemAvailability',
      });
      assert.deepEqual(ref('POST /v1/keys/{id}/revoke', '200'), {
        $ref: '#/components/schemas/ApiKey',
      });
      const ledger = ref('GET /v1/stock/ledger', '200') as {
        properties: { items: { items: unknown } };
      };
      assert.deepEqual(ledger.properties.items.items, {
        $ref: '#/components/schemas/LedgerEntry',
      });
    });

    it('resolves every $ref to an existing component', () => {
      const refs = collectRefs(doc);
      assert.ok(refs.length > 20, `expected many references, found ${refs.length}`);
      for (const [at, ref] of refs) {
        assert.match(ref, /^#\/components\/schemas\/[A-Za-z]+$/, `${at} → ${ref}`);
        assert.ok(resolvePointer(doc, ref) !== undefined, `${at} → ${ref} does not resolve`);
      }
      // No leftovers of the internal schema ids Fastify would otherwise emit.
      assert.doesNotMatch(raw, /"def-\d+"|#\/definitions\//);
    });

    it('is the same document at /docs/json', async () => {
      const response = await t.request({ method: 'GET', url: '/docs/json', key: null });
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(json(response), doc);
    });
  });
}
