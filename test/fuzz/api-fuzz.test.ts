import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { changedTables, tableFingerprints } from '../helpers/db-fingerprint.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';

/**
 * Issue 10: for every operation in the served OpenAPI document, invalid input generated
 * with fast-check — wrong types, NUL and lone surrogates, huge and fractional numbers,
 * 2^53 and 1e308, oversized strings, invalid dates, unknown fields, bad path ids — never
 * answers 5xx, every refusal has the error shape, and a refused request changes nothing
 * (a hash of the stock, ledger, order and supply tables is equal before and after, but
 * for the writes a domain refusal makes by design: see refusalMayWrite).
 *
 * STOCKROOM_FUZZ_SEED and STOCKROOM_FUZZ_RUNS (requests per database) replay or widen a
 * run; the seed is printed with the counts so a failure can be replayed exactly.
 */
const SEED = Number(process.env.STOCKROOM_FUZZ_SEED ?? 20261205);
const RUNS = Number(process.env.STOCKROOM_FUZZ_RUNS ?? 1000);

type Schema = Record<string, unknown>;
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

interface FuzzOperation {
  method: string;
  path: string;
  parameters: Parameter[];
  bodyType: 'json' | 'csv' | null;
  bodySchema: Schema | null;
  /** Answers an endless event stream when the input is valid: send only sure refusals. */
  streaming: boolean;
}

interface FuzzCase {
  operation: number;
  mutation: Mutation;
  channelKey: boolean;
}

type Mutation =
  | { kind: 'path'; param: number; value: string }
  | { kind: 'query'; name: string | null; value: string }
  | { kind: 'header'; value: string }
  | { kind: 'bodyField'; pick: number; value: unknown }
  | { kind: 'bodyUnknownField'; name: string; value: unknown }
  | { kind: 'bodyWhole'; value: unknown }
  | { kind: 'csv'; text: string };

// --- Invalid values -------------------------------------------------------------------

const HUGE = 'x'.repeat(70_000);
const hostileNumbers = [2 ** 53, 2 ** 53 + 2, 1e308, -1e308, 2 ** 31, -(2 ** 31) - 1, 1.5, -1, 0];
const hostileStrings = [
  '',
  '\u0000',
  'KET-01\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\ud83d',
  HUGE,
  '9999-99-99',
  '10000-01-01',
  '0000-01-01',
  '2026-02-30',
  '1e308',
  '99999999999999999999999',
  '-0',
  'null',
  '<script>',
  "'; drop table stock; --",
];
/** A JSON value that is wrong for almost any field. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...hostileNumbers, ...hostileStrings, null, true, false, [], {}),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.array(fc.constantFrom<unknown>('\u0000', 1e308, null), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.constantFrom<unknown>('\u0000', 2 ** 53)),
);
/** Text as it would appear in a URL: a query value or a path segment. */
const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '1e308',
    '99999999999999999999999',
    String(2 ** 53),
    '-1',
    '0',
    '1.5',
    'abc',
    '%00',
    'a%00',
    '%ED%A0%80',
    '%F0%9F',
    '%',
    '%zz',
    'x'.repeat(3000),
    'true',
    '9999-99-99',
    '0000-01-01',
  ),
  fc.string({ unit: 'binary', maxLength: 12 }).map(encodeLoosely),
);
/** Sure refusals for a streaming operation: a NUL is refused wherever input is validated. */
const streamRefusal: fc.Arbitrary<string> = fc.constantFrom('%00', 'a%00b', '1e308', '-1');

/** encodeURIComponent, which throws on a lone surrogate; send its UTF-8-like bytes instead. */
function encodeLoosely(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}

// --- The document ---------------------------------------------------------------------

function operationsOf(document: OpenApiDocument): FuzzOperation[] {
  const operations: FuzzOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = operation.requestBody?.content ?? {};
      const bodyType = content['application/json'] ? 'json' : content['text/csv'] ? 'csv' : null;
      const produces = Object.values(operation.responses ?? {}).flatMap((r) =>
        Object.keys(r.content ?? {}),
      );
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        bodyType,
        bodySchema: content['application/json']?.schema ?? null,
        streaming: produces.includes('text/event-stream'),
      });
    }
  }
  return operations;
}

function resolve(schema: Schema | undefined, document: OpenApiDocument): Schema {
  let current = schema ?? {};
  for (let i = 0; i < 10 && typeof current.$ref === 'string'; i++) {
    const name = (current.$ref as string).split('/').pop()!;
    current = document.components.schemas[name] ?? {};
  }
  return current;
}

/**
 * A plausible value for a schema: its example, default or first choice, else something of
 * its type. Close enough to valid that one mutated field is what a handler sees wrong.
 */
function plausible(schema: Schema | undefined, document: OpenApiDocument, depth = 0): unknown {
  const s = resolve(schema, document);
  if (depth > 6) return null;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = s[key] as Schema[] | undefined;
    if (options?.length) {
      const chosen = options.find((o) => resolve(o, document).type !== 'null') ?? options[0];
      return plausible(chosen, document, depth + 1);
    }
  }
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      const properties = (s.properties ?? {}) as Record<string, Schema>;
      for (const name of (s.required as string[] | undefined) ?? []) {
        value[name] = plausible(properties[name], document, depth + 1);
      }
      return value;
    }
    case 'array': {
      const min = Math.max(1, Number(s.minItems ?? 1));
      return Array.from({ length: min }, () =>
        plausible(s.items as Schema | undefined, document, depth + 1),
      );
    }
    case 'integer':
    case 'number':
      return Math.max(1, Number(s.minimum ?? 1));
    case 'boolean':
      return false;
    case 'string':
      if (s.format === 'date') return '2026-12-10';
      if (s.format === 'date-time') return '2026-12-10T10:00:00Z';
      if (s.format === 'email') return 'ann@example.com';
      if (s.format === 'uri') return 'https://example.com/hook';
      return 'KET-01';
    default:
      return null;
  }
}

/** JSON Pointer-ish paths to every value inside a plausible body, so one can be replaced. */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  const paths: (string | number)[][] = path.length > 0 ? [path] : [];
  if (Array.isArray(value)) {
    for (const [i, child] of value.entries()) paths.push(...leafPaths(child, [...path, i]));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value))
      paths.push(...leafPaths(child, [...path, key]));
  }
  return paths;
}

function replaced(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = replacement;
  return copy;
}

// --- Cases ----------------------------------------------------------------------------

function caseArbitrary(operations: FuzzOperation[]): fc.Arbitrary<FuzzCase> {
  return fc.nat({ max: operations.length - 1 }).chain((index) => {
    const operation = operations[index]!;
    const pathParams = operation.parameters.filter((p) => p.in === 'path');
    const queryNames = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);
    const hasHeader = operation.parameters.some((p) => p.in === 'header');
    const value = operation.streaming ? streamRefusal : hostileText;
    const mutations: fc.Arbitrary<Mutation>[] = [
      fc.record({
        kind: fc.constant('query' as const),
        name: fc.constantFrom<string | null>(null, ...queryNames),
        value,
      }),
    ];
    if (pathParams.length > 0) {
      mutations.push(
        fc.record({
          kind: fc.constant('path' as const),
          param: fc.nat({ max: pathParams.length - 1 }),
          value,
        }),
      );
    }
    if (hasHeader && !operation.streaming) {
      mutations.push(fc.record({ kind: fc.constant('header' as const), value: hostileText }));
    }
    if (operation.bodyType === 'json') {
      mutations.push(
        fc.record({
          kind: fc.constant('bodyField' as const),
          pick: fc.nat(),
          value: hostileValue,
        }),
        fc.record({
          kind: fc.constant('bodyField' as const),
          pick: fc.nat(),
          value: hostileValue,
        }),
        fc.record({
          kind: fc.constant('bodyUnknownField' as const),
          name: fc.constantFrom('unknown', 'Sku', '__proto__', 'a\u0000', '\ud800'),
          value: hostileValue,
        }),
        fc.record({ kind: fc.constant('bodyWhole' as const), value: hostileValue }),
      );
    }
    if (operation.bodyType === 'csv') {
      mutations.push(
        fc.record({
          kind: fc.constant('csv' as const),
          text: fc.constantFrom(
            'supplier,location,reference,sku,quantity\nACME,W1,PO-9,KET-01,4\u0000\n',
            'supplier,location,reference,sku,quantity\nACME,W1,PO-9,KET-01,9007199254740992\n',
            'supplier,location,reference,sku,quantity,expected_date\nACME,W1,PO-9,KET-01,1,10000-01-01\n',
            'supplier,location,reference,sku,quantity\nACME,W1,"PO-9,KET-01,1\n',
            '\ud800',
            '',
          ),
        }),
      );
    }
    return fc.record({
      operation: fc.constant(index),
      mutation: fc.oneof(...mutations),
      // One request in five with a channel key: its refusals must be as clean.
      channelKey: fc.nat({ max: 4 }).map((n) => n === 0),
    });
  });
}

// --- The run --------------------------------------------------------------------------

interface World {
  /** A valid value for each path parameter, by operation path prefix and parameter name. */
  pathValue(path: string, name: string): string;
}

async function seed(t: TestApp): Promise<World> {
  await insertWorld(t.ctx);
  await insertItem(t.ctx, { sku: 'KET-01' });
  await insertItem(t.ctx, { sku: 'TOA-02' });
  await insertItem(t.ctx, { sku: 'OUT-03' });
  await putStock(t.ctx, 'KET-01', 'W1', 50);
  await putStock(t.ctx, 'TOA-02', 'S1', 20);
  const ok = async (method: 'POST' | 'PUT', url: string, body: unknown, headers = {}) => {
    const response = await t.request({ method, url, body, headers });
    assert.ok(response.statusCode < 300, `${method} ${url}: ${response.body}`);
    return json<Record<string, unknown>>(response);
  };
  await ok('POST', '/v1/suppliers', {
    code: 'ACME',
    name: 'Acme',
    email: 'po@acme.test',
    leadTimeDays: 7,
  });
  await ok('PUT', '/v1/suppliers/ACME/items/KET-01', { unitCost: 4.5 });
  const po = await ok('POST', '/v1/purchase-orders', {
    supplier: 'ACME',
    location: 'W1',
    lines: [{ sku: 'KET-01', quantity: 10, expectedDate: '2026-12-10' }],
  });
  const customer = await ok('POST', '/v1/customers', {
    name: 'Ann Lee',
    email: 'ann@example.com',
    preferredChannel: 'email',
    channel: 'web',
  });
  const order = await ok(
    'POST',
    '/v1/orders',
    { channel: 'web', customerId: customer.id, lines: [{ sku: 'KET-01', quantity: 2 }] },
    { 'idempotency-key': 'fuzz-seed-order' },
  );
  const transfer = await ok('POST', '/v1/transfers', {
    sku: 'KET-01',
    from: 'W1',
    to: 'S1',
    quantity: 3,
    expectedDate: '2026-12-01',
  });
  const subscription = await ok('POST', '/v1/subscriptions', {
    sku: 'OUT-03',
    channel: 'web',
    email: 'bob@example.com',
    preferredChannel: 'email',
  });
  const webhook = await ok('POST', '/v1/webhooks', {
    url: 'https://example.com/hooks/stockroom',
    events: ['*'],
  });
  // A key of its own, so a valid revoke in the run cannot revoke the run's admin key.
  const key = await ok('POST', '/v1/keys', { name: 'fuzz spare', role: 'staff' });
  await ok('POST', '/v1/items/KET-01/links', { linkedSku: 'TOA-02', kind: 'substitute' }).catch(
    () => undefined,
  );
  const messages = await t.request({ method: 'GET', url: '/v1/messages?limit=1' });
  const messageId = json<{ items: { id: number }[] }>(messages).items[0]?.id ?? 1;
  const poLines = (po.lines as { id: number }[] | undefined) ?? [];

  const ids: [string, unknown][] = [
    ['/v1/purchase-orders', po.id],
    ['/v1/orders', order.id],
    ['/v1/customers', customer.id],
    ['/v1/transfers', transfer.id],
    ['/v1/subscriptions', (subscription.subscription as { id?: number } | undefined)?.id ?? 1],
    ['/v1/webhooks', webhook.id],
    ['/v1/keys', (key.apiKey as { id: number }).id],
    ['/v1/messages', messageId],
  ];
  return {
    pathValue(path, name) {
      switch (name) {
        case 'sku':
          return 'KET-01';
        case 'linkedSku':
          return 'TOA-02';
        case 'location':
          return 'W1';
        case 'kind':
          return 'delay';
        case 'token':
          return String(subscription.token ?? 'AAAAAAAAAAAAAAAAAAAAAA');
        case 'line':
          return String(poLines[0]?.id ?? 1);
        case 'code':
          if (path.startsWith('/v1/suppliers')) return 'ACME';
          if (path.startsWith('/v1/channels')) return 'web';
          return 'W1';
        case 'id':
          return String(ids.find(([prefix]) => path.startsWith(prefix))?.[1] ?? 1);
        default:
          return '1';
      }
    },
  };
}

let requestCounter = 0;

interface Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

function buildRequest(
  operation: FuzzOperation,
  mutation: Mutation,
  world: World,
  document: OpenApiDocument,
): Request {
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  let url = operation.path;
  pathParams.forEach((param, i) => {
    const value =
      mutation.kind === 'path' && mutation.param === i
        ? mutation.value
        : encodeURIComponent(world.pathValue(operation.path, param.name));
    url = url.replace(`{${param.name}}`, value);
  });
  if (mutation.kind === 'query') {
    url += `?${mutation.name ?? 'unknownParameter'}=${mutation.value}`;
  }
  const headers: Record<string, string> = {};
  for (const param of operation.parameters.filter((p) => p.in === 'header')) {
    headers[param.name] = mutation.kind === 'header' ? mutation.value : `fuzz-${++requestCounter}`;
  }
  if (operation.bodyType === 'csv') {
    headers['content-type'] = 'text/csv';
    return {
      method: operation.method,
      url,
      headers,
      payload: mutation.kind === 'csv' ? mutation.text : 'supplier\n',
    };
  }
  if (operation.bodyType !== 'json') return { method: operation.method, url, headers };
  headers['content-type'] = 'application/json';
  const body = plausible(operation.bodySchema ?? undefined, document);
  let sent: unknown = body;
  if (mutation.kind === 'bodyField') {
    const paths = leafPaths(body);
    sent =
      paths.length > 0
        ? replaced(body, paths[mutation.pick % paths.length]!, mutation.value)
        : mutation.value;
  } else if (mutation.kind === 'bodyUnknownField') {
    sent =
      body !== null && typeof body === 'object' && !Array.isArray(body)
        ? { ...body, [mutation.name]: mutation.value }
        : mutation.value;
  } else if (mutation.kind === 'bodyWhole') {
    sent = mutation.value;
  }
  return { method: operation.method, url, headers, payload: JSON.stringify(sent) ?? 'null' };
}

/**
 * The writes a refusal makes by design: a refused order records the demand it lost, and a
 * write sent with an Idempotency-Key keeps its domain refusal (409, 422) so a retry gets
 * the same answer. A 400 — input refused before any use case ran — writes nothing.
 */
function refusalMayWrite(status: number, code: string, table: string): boolean {
  if (code === 'ORDER_REFUSED' && table === 'lost_demand') return true;
  return (status === 409 || status === 422) && table === 'idempotency_keys';
}

function errorShapeProblem(response: LightMyRequestResponse): string | null {
  if (!String(response.headers['content-type']).startsWith('application/json'))
    return `content-type ${response.headers['content-type']}`;
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return 'body is not JSON';
  }
  const error = (body as { error?: Record<string, unknown> }).error;
  if (!error || Object.keys(body as object).length !== 1) return 'not {error}';
  if (Object.keys(error).sort().join() !== 'code,details,message,requestId') return 'error keys';
  if (typeof error.code !== 'string' || typeof error.message !== 'string') return 'code/message';
  if (typeof error.details !== 'object' || error.details === null) return 'details';
  if (typeof error.requestId !== 'string') return 'requestId';
  return null;
}

for (const target of testDatabases()) {
  describe(`API fuzz (${target.kind})`, () => {
    let t: TestApp;
    let world: World;
    let document: OpenApiDocument;
    before(async () => {
      t = await startTestApp(target);
      world = await seed(t);
      const response = await t.request({ method: 'GET', url: '/openapi.json', key: null });
      assert.equal(response.statusCode, 200, response.body);
      document = json<OpenApiDocument>(response);
    });
    after(async () => {
      await t.close();
    });

    it(`answers ${RUNS} invalid requests without a 5xx, each refusal in the error shape and changing nothing (seed ${SEED})`, async () => {
      const operations = operationsOf(document);
      assert.ok(operations.length > 50, `only ${operations.length} operations in the document`);
      const cases = fc.sample(caseArbitrary(operations), { seed: SEED, numRuns: RUNS });
      // Every operation is sent at least once, whatever the draw.
      operations.forEach((_, operation) => {
        cases.push({
          operation,
          mutation: { kind: 'query', name: null, value: '%00' },
          channelKey: false,
        });
      });
      const channelKey = await t.channelKey('web');

      const counts = { requests: 0, accepted: 0, refused: 0, serverErrors: 0 };
      const byStatusAndCode = new Map<string, number>();
      const touched = new Set<string>();
      const failures: string[] = [];
      let fingerprint = await tableFingerprints(t.ctx);
      for (const fuzzCase of cases) {
        const operation = operations[fuzzCase.operation]!;
        const request = buildRequest(operation, fuzzCase.mutation, world, document);
        request.headers.authorization = `Bearer ${fuzzCase.channelKey ? channelKey : t.adminKey}`;
        const response = await t.app.inject({
          method: request.method as 'GET',
          url: request.url,
          headers: request.headers,
          ...(request.payload !== undefined ? { payload: request.payload } : {}),
        });
        counts.requests++;
        touched.add(`${operation.method} ${operation.path}`);
        const what = `${request.method} ${request.url.slice(0, 200)} ${String(request.payload ?? '').slice(0, 300)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
        const after = await tableFingerprints(t.ctx);
        if (response.statusCode >= 500) {
          counts.serverErrors++;
          failures.push(`5xx: ${what}`);
        } else if (response.statusCode >= 400) {
          counts.refused++;
          const code = json<{ error?: { code?: string } }>(response).error?.code ?? '?';
          const key = `${response.statusCode} ${code}`;
          byStatusAndCode.set(key, (byStatusAndCode.get(key) ?? 0) + 1);
          const shape = errorShapeProblem(response);
          if (shape) failures.push(`error shape (${shape}): ${what}`);
          const changed = changedTables(fingerprint, after).filter(
            (table) => !refusalMayWrite(response.statusCode, code, table),
          );
          if (changed.length > 0)
            failures.push(`refused but changed ${changed.join(', ')}: ${what}`);
        } else {
          counts.accepted++;
        }
        fingerprint = after;
      }

      console.log(
        `API fuzz (${target.kind}), seed ${SEED}: ${counts.requests} requests over ${touched.size} operations; ` +
          `${counts.refused} refused, ${counts.accepted} accepted, ${counts.serverErrors} 5xx`,
      );
      console.log(
        `  refusals by status and code: ${[...byStatusAndCode]
          .sort((a, b) => b[1] - a[1])
          .map(([key, n]) => `${key}: ${n}`)
          .join(', ')}`,
      );
      assert.equal(touched.size, operations.length, 'every operation was exercised');
      assert.deepEqual(failures.slice(0, 10), [], `${failures.length} failures`);
      assert.equal(counts.serverErrors, 0);
    });
  });
}
