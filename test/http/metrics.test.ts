import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createKey } from '../../src/access/keys.service.js';
import { buildApp } from '../../src/app/build-app.js';
import type { AppContext } from '../../src/kernel/context.js';
import { enqueueMessages, type NewMessage } from '../../src/kernel/outbox/outbox.repository.js';
import { dispatchOnce } from '../../src/messaging/dispatcher.js';
import { fixedClock } from '../../src/shared/clock.js';
import { TEST_NOW } from '../helpers/app.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { testDispatcher } from '../helpers/messaging.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

/**
 * GET /metrics: who may read it, that it parses as the Prometheus text format, and that
 * its figures are the ones the requests made here should produce.
 */

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

// The text format, line by line (prometheus.io/docs/instrumenting/exposition_formats).
// NaN in any case, as Prometheus reads it (Go's ParseFloat): prom-client writes "Nan".
const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE = new RegExp(
  `^(${NAME})(?:\\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*",?)*)\\})? ((?:[Nn][Aa][Nn])|[+-]Inf|[+-]?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?)(?: -?\\d+)?$`,
);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses an exposition strictly: every line is HELP, TYPE, a sample of a typed family, or blank. */
function parseExposition(text: string): Sample[] {
  assert.ok(text.endsWith('\n'), 'the exposition ends with a newline');
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '' || HELP.test(line)) continue;
    const type = TYPE.exec(line);
    if (type) {
      assert.ok(!types.has(type[1]!), `line ${index + 1}: ${type[1]} typed twice`);
      types.set(type[1]!, type[2]!);
      continue;
    }
    const sample = SAMPLE.exec(line);
    assert.ok(sample, `line ${index + 1} is not valid exposition format: ${JSON.stringify(line)}`);
    const name = sample[1]!;
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count|created)$/, '');
    assert.ok(types.has(family), `line ${index + 1}: ${name} has no # TYPE before it`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (sample[2] ?? '').matchAll(LABEL)) labels[key!] = value!;
    samples.push({ name, labels, value: Number(sample[3]) });
  }
  return samples;
}

/** The value of the one sample with this name and (at least) these labels; undefined if none. */
function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}) {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  assert.ok(found.length <= 1, `${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
  return found[0]?.value;
}

const message = (i: number, transport: 'email' | 'sms'): NewMessage => ({
  dedupeKey: `metrics-test:${i}`,
  audience: 'customer',
  transport,
  template: 'back_in_stock',
  recipient: transport === 'email' ? `c${i}@example.test` : `+4477009000${i}`,
  data: { customerName: `C${i}`, sku: 'KET', channel: 'web', available: 2, subscriptionId: i },
});

for (const target of testDatabases()) {
  describe(`GET /metrics (${target.kind})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let ctx: AppContext;
    let adminKey: string;
    const clock = fixedClock(TEST_NOW);

    beforeEach(async () => {
      clock.set(TEST_NOW);
      database = await target.open();
      ctx = { db: database.db, dbKind: database.kind, clock };
      // As src/http/server.ts builds it: with the pool, whose usage is reported.
      app = await buildApp(ctx, { pool: database.pool });
      adminKey = (await createKey(ctx, { name: 'metrics admin', role: 'admin' })).key;
    });
    afterEach(async () => {
      await app.close();
      await database.drop();
    });

    const request = (
      method: 'GET' | 'POST',
      url: string,
      options: { body?: unknown; key?: string | null; idempotencyKey?: string } = {},
    ) => {
      const headers: Record<string, string> = {};
      const key = options.key === undefined ? adminKey : options.key;
      if (key !== null) headers.authorization = `Bearer ${key}`;
      if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      return app.inject({
        method,
        url,
        headers,
        ...(options.body !== undefined && { payload: JSON.stringify(options.body) }),
      });
    };
    const expectStatus = (response: LightMyRequestResponse, status: number) =>
      assert.equal(response.statusCode, status, response.body);

    async function scrape(): Promise<Sample[]> {
      const response = await request('GET', '/metrics');
      expectStatus(response, 200);
      assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      return parseExposition(response.body);
    }

    it('needs an admin key: 401 without one, 403 for staff, in the error shape', async () => {
      const anonymous = await request('GET', '/metrics', { key: null });
      expectStatus(anonymous, 401);
      assert.equal(JSON.parse(anonymous.body).error.code, 'UNAUTHORIZED');
      const staffKey = (await createKey(ctx, { name: 'metrics staff', role: 'staff' })).key;
      const staff = await request('GET', '/metrics', { key: staffKey });
      expectStatus(staff, 403);
      assert.equal(JSON.parse(staff.body).error.code, 'FORBIDDEN');
    });

    it('counts requests by route pattern and status, and orders placed, backordered and refused', async () => {
      await insertWorld(ctx);
      await insertItem(ctx, { sku: 'KET', handlingDays: 1 });
      await putStock(ctx, 'KET', 'W1', 2);
      const supplier = await insertSupplier(ctx);
      await insertPurchaseOrder(ctx, {
        supplier,
        location: 'W1',
        state: 'confirmed',
        lines: [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-05' }],
      });
      const order = (quantity: number, key: string, acceptBackorder = false) =>
        request('POST', '/v1/orders', {
          body: { channel: 'web', lines: [{ sku: 'KET', quantity, acceptBackorder }] },
          idempotencyKey: key,
        });
      expectStatus(await order(1, 'o1'), 201);
      expectStatus(await order(3, 'o2', true), 201); // 1 from stock, 2 on the purchase order
      expectStatus(await order(9, 'o3'), 409); // refused...
      expectStatus(await order(9, 'o3'), 409); // ...and retried: still one refusal
      expectStatus(await order(1, 'o1'), 201); // a replay places nothing new
      expectStatus(await request('GET', '/v1/orders/424242'), 404);
      expectStatus(await request('GET', '/v1/orders/434343'), 404);
      expectStatus(await request('POST', '/v1/orders', { body: { channel: 'web' } }), 400);
      expectStatus(await request('GET', '/no/such/path/9'), 404);
      expectStatus(await request('GET', '/v1/availability/KET?channel=web'), 200);
      expectStatus(await request('GET', '/v1/availability/NOPE?channel=web'), 404);

      const samples = await scrape();
      assert.equal(sampleValue(samples, 'stockroom_orders_placed_total', { channel: 'web' }), 2);
      assert.equal(
        sampleValue(samples, 'stockroom_orders_backordered_total', { channel: 'web' }),
        1,
      );
      assert.equal(sampleValue(samples, 'stockroom_orders_refused_total'), 1);
      // Five order requests reached the batcher one at a time (the 400 stopped at validation).
      assert.equal(sampleValue(samples, 'stockroom_order_batch_requests_total'), 5);
      assert.equal(sampleValue(samples, 'stockroom_order_batches_total'), 5);
      assert.equal(sampleValue(samples, 'stockroom_order_batch_failures_total'), 0);
      // Three refusals reached the refusal batcher, one at a time: o3, its retry, and the
      // replay of o1, assessed again against the stock left now. Only o3 claimed its key;
      // the other two found theirs taken and answered as first answered.
      assert.equal(sampleValue(samples, 'stockroom_refusal_batch_requests_total'), 3);
      assert.equal(sampleValue(samples, 'stockroom_refusal_batches_total'), 3);
      assert.equal(sampleValue(samples, 'stockroom_refusal_batch_failures_total'), 0);
      // On PostgreSQL look-ups are batched too (one at a time here); SQLite runs each alone.
      const lookups = sampleValue(samples, 'stockroom_lookup_batch_requests_total');
      assert.equal(lookups, target.kind === 'postgres' ? 2 : undefined);
      const requests = (route: string, method: string, status: string) =>
        sampleValue(samples, 'stockroom_http_requests_total', { route, method, status });
      assert.equal(requests('/v1/orders', 'POST', '201'), 3);
      assert.equal(requests('/v1/orders', 'POST', '409'), 2);
      assert.equal(requests('/v1/orders', 'POST', '400'), 1);
      assert.equal(requests('/v1/orders/:id', 'GET', '404'), 2, 'one series for the pattern');
      assert.equal(requests('unmatched', 'GET', '404'), 1);
      assert.ok(
        !samples.some((s) => /424242|no\/such/.test(s.labels.route ?? '')),
        'no raw URL becomes a label',
      );
      const latency = (suffix: string, labels: Record<string, string> = {}) =>
        sampleValue(samples, `stockroom_http_request_duration_seconds_${suffix}`, {
          route: '/v1/orders',
          method: 'POST',
          status: '201',
          ...labels,
        });
      assert.equal(latency('count'), 3);
      assert.equal(latency('bucket', { le: '+Inf' }), 3);
      assert.ok(latency('sum')! > 0);
      // A scrape is counted once it has answered, so the next one shows it.
      const again = await scrape();
      assert.equal(
        sampleValue(again, 'stockroom_http_requests_total', {
          route: '/metrics',
          method: 'GET',
          status: '200',
        }),
        1,
      );
      assert.ok(sampleValue(again, 'process_cpu_user_seconds_total')! >= 0, 'process metrics');
      assert.ok(sampleValue(again, 'nodejs_heap_size_used_bytes')! > 0);
    });

    it('reports outbox depth and age by kind, dead letters and dispatcher failures', async () => {
      const enqueue = (messages: NewMessage[]) =>
        enqueueMessages(ctx.db, messages, clock.now().toISOString());
      await enqueue([message(1, 'email'), message(2, 'email')]);
      // Nothing listens on port 1: each attempt fails, and one attempt is all they get.
      const dispatcher = testDispatcher({
        smtpUrl: 'smtp://127.0.0.1:1',
        config: { maxAttempts: 1 },
      });
      try {
        assert.equal((await dispatchOnce(ctx, dispatcher)).dead, 2);
      } finally {
        dispatcher.close();
      }
      clock.set('2026-11-26T10:00:30.000Z');
      await enqueue([message(3, 'sms'), message(4, 'email')]);
      clock.set('2026-11-26T10:01:30.000Z');
      await enqueue([message(5, 'email')]);

      const samples = await scrape();
      const byKind = (transport: string) => ({ transport, kind: 'back_in_stock' });
      const pending = (transport: string) =>
        sampleValue(samples, 'stockroom_outbox_pending_messages', byKind(transport));
      const age = (transport: string) =>
        sampleValue(samples, 'stockroom_outbox_oldest_pending_age_seconds', byKind(transport));
      const dead = (transport: string) =>
        sampleValue(samples, 'stockroom_outbox_dead_letters', byKind(transport));
      assert.equal(pending('email'), 2);
      assert.equal(pending('sms'), 1);
      assert.equal(age('email'), 60, 'the oldest of the two, queued at 10:00:30');
      assert.equal(age('sms'), 60);
      assert.equal(dead('email'), 2);
      assert.equal(dead('sms'), undefined);
      assert.equal(
        sampleValue(samples, 'stockroom_dispatcher_failed_attempts_total', { via: 'smtp' }),
        2,
      );
    });

    it('reports the connection pool on PostgreSQL only', async () => {
      const samples = await scrape();
      const pool = (state: string) =>
        sampleValue(samples, 'stockroom_db_pool_connections', { state });
      if (target.kind === 'sqlite') {
        assert.equal(pool('total'), undefined);
        return;
      }
      assert.ok(pool('total')! >= 1, 'the scrape itself used a connection');
      assert.ok(pool('idle')! <= pool('total')!);
      assert.equal(pool('waiting'), 0);
    });
  });
}
