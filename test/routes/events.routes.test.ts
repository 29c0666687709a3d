import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createKey } from '../../src/access/keys.service.js';
import { buildApp } from '../../src/app/build-app.js';
import type { EventStreamOptions } from '../../src/events/event-hub.js';
import type { AppContext } from '../../src/kernel/context.js';
import { recordEvent } from '../../src/kernel/events/domain-events.js';
import { fixedClock } from '../../src/shared/clock.js';
import { TEST_NOW } from '../helpers/app.js';
import { type TestDatabase, type TestDatabaseTarget, testDatabases } from '../helpers/databases.js';
import { type EventStreamClient, openEventStream } from '../helpers/event-stream.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';

/**
 * The live stream over a real listening socket. On PostgreSQL the hub LISTENs and its
 * safety poll is far beyond the test timeouts, so delivery there proves NOTIFY wakes it.
 */
interface StreamApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: TestDatabase;
  url: string;
  adminKey: string;
  staffKey: string;
  channelKey(channel: string): Promise<string>;
  close(): Promise<void>;
}

async function startStreamApp(
  target: TestDatabaseTarget,
  events: EventStreamOptions = {},
): Promise<StreamApp> {
  const database = await target.open();
  const ctx: AppContext = { db: database.db, dbKind: database.kind, clock: fixedClock(TEST_NOW) };
  const app = await buildApp(ctx, {
    events: {
      pollMs: 50,
      safetyPollMs: 600_000,
      ...(database.kind === 'postgres' && { databaseUrl: database.url }),
      ...events,
    },
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const keyFor = async (role: 'admin' | 'staff' | 'channel', channel?: string) =>
    (await createKey(ctx, { name: `test ${role}`, role, ...(channel && { channel }) })).key;
  const channelKeys = new Map<string, string>();
  return {
    app,
    ctx,
    database,
    url,
    adminKey: await keyFor('admin'),
    staffKey: await keyFor('staff'),
    async channelKey(channel) {
      if (!channelKeys.has(channel)) channelKeys.set(channel, await keyFor('channel', channel));
      return channelKeys.get(channel)!;
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

let subjects = 0;

/** Records one event in its own transaction, as a use case would; returns its subject. */
async function record(
  ctx: AppContext,
  type: string,
  options: { channel?: string | null; payload?: Record<string, unknown> } = {},
): Promise<string> {
  const subject = `test:${++subjects}`;
  await ctx.db.transaction().execute((trx) =>
    recordEvent(trx, {
      type,
      subject,
      payload: options.payload ?? { n: subjects },
      actor: 'test',
      now: TEST_NOW,
      channel: options.channel ?? null,
    }),
  );
  return subject;
}

const subjectsOf = (stream: EventStreamClient) => stream.events.map((e) => e.data.subject);

for (const target of testDatabases()) {
  describe(`GET /v1/events (${target.kind})`, () => {
    let t: StreamApp;
    const streams: EventStreamClient[] = [];
    const open = async (path: string, key: string | null, headers?: Record<string, string>) => {
      const stream = await openEventStream(t.url, path, {
        key,
        ...(headers !== undefined && { headers }),
      });
      streams.push(stream);
      return stream;
    };

    beforeEach(async () => {
      t = await startStreamApp(target);
      await insertWorld(t.ctx);
    });
    afterEach(async () => {
      for (const stream of streams.splice(0)) stream.close();
      await t.close();
    });

    it('streams to a staff key the events committed after it connected, in order', async () => {
      const before = await record(t.ctx, 'purchase_order.received');
      const stream = await open('/v1/events', t.staffKey);
      assert.equal(stream.status, 200, stream.body);
      assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
      assert.equal(stream.headers['cache-control'], 'no-cache, no-transform');
      assert.equal(stream.headers['x-accel-buffering'], 'no');
      // The stream writes its own head; it still carries every answer's security headers.
      assert.equal(stream.headers['x-content-type-options'], 'nosniff');
      assert.match(String(stream.headers['content-security-policy']), /default-src 'none'/);

      const received = await record(t.ctx, 'purchase_order.received', { payload: { lines: 2 } });
      const ready = await record(t.ctx, 'order_line.ready', { channel: 'web' });
      const [first, second] = await stream.waitForEvents(2);
      assert.ok(first && second);
      assert.deepEqual(subjectsOf(stream), [received, ready]);
      assert.ok(!subjectsOf(stream).includes(before));
      assert.equal(first.event, 'po.received');
      assert.equal(first.id, String(first.data.id));
      assert.deepEqual(first.data, {
        id: first.data.id,
        type: 'po.received',
        channel: null,
        subject: received,
        createdAt: TEST_NOW,
        data: { lines: 2 },
      });
      // Domain names are shown by their public names.
      assert.equal(second.event, 'order.ready');
      assert.equal(second.data.channel, 'web');
      assert.ok(second.data.id > first.data.id);
    });

    it('streams what the API causes: a placed order arrives as order.placed', async () => {
      const item = await insertItem(t.ctx);
      await putStock(t.ctx, item.sku, 'W1', 5);
      const stream = await open('/v1/events?types=order.placed', t.adminKey);
      const placed = await t.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: {
          authorization: `Bearer ${t.adminKey}`,
          'content-type': 'application/json',
          'idempotency-key': `events-${Date.now()}`,
        },
        payload: JSON.stringify({ channel: 'web', lines: [{ sku: item.sku, quantity: 2 }] }),
      });
      assert.equal(placed.statusCode, 201, placed.body);
      const orderId = (JSON.parse(placed.body) as { id: number }).id;
      const [event] = await stream.waitForEvents(1);
      assert.equal(event?.event, 'order.placed');
      assert.equal(event?.data.subject, `order:${orderId}`);
      assert.equal(event?.data.channel, 'web');
      assert.equal(event?.data.data.orderId, orderId);
    });

    it('filters by type names and families', async () => {
      const byName = await open('/v1/events?types=po.received', t.staffKey);
      const byFamily = await open('/v1/events?types=order.*,transfer.received', t.staffKey);
      const everything = await open('/v1/events?types=*', t.staffKey);
      const po = await record(t.ctx, 'purchase_order.received');
      const ready = await record(t.ctx, 'order_line.ready', { channel: 'web' });
      const transfer = await record(t.ctx, 'transfer.received');
      await record(t.ctx, 'transfer.dispatched');
      // The last ones match: once they arrive, everything before them has been sent.
      const lastPo = await record(t.ctx, 'purchase_order.received');
      const lastOrder = await record(t.ctx, 'order.placed', { channel: 'pos' });
      await byName.waitForEvents(2);
      await byFamily.waitForEvents(3);
      await everything.waitForEvents(6);
      assert.deepEqual(subjectsOf(byName), [po, lastPo]);
      assert.deepEqual(subjectsOf(byFamily), [ready, transfer, lastOrder]);
      assert.equal(everything.events.length, 6);
    });

    it('scopes a channel key to its own channel and lets staff choose one', async () => {
      const posKey = await t.channelKey('pos');
      const own = await open('/v1/events', posKey);
      const ownByName = await open('/v1/events?channel=pos', posKey);
      const staffWeb = await open('/v1/events?channel=web', t.staffKey);
      assert.equal(own.status, 200, own.body);
      assert.equal(ownByName.status, 200, ownByName.body);

      await record(t.ctx, 'order.placed', { channel: 'web' });
      await record(t.ctx, 'purchase_order.received');
      const pos = await record(t.ctx, 'order.placed', { channel: 'pos' });
      const web = await record(t.ctx, 'order.cancelled', { channel: 'web' });
      const lastPos = await record(t.ctx, 'order.cancelled', { channel: 'pos' });
      await own.waitForEvents(2);
      await ownByName.waitForEvents(2);
      await staffWeb.waitForEvents(2);
      assert.deepEqual(subjectsOf(own), [pos, lastPos]);
      assert.deepEqual(subjectsOf(ownByName), [pos, lastPos]);
      assert.equal(subjectsOf(staffWeb)[1], web);

      const other = await open('/v1/events?channel=web', posKey);
      assert.equal(other.status, 403, other.body);
      assert.equal(JSON.parse(other.body).error.code, 'FORBIDDEN');
      const unknown = await open('/v1/events?channel=nowhere', t.staffKey);
      assert.equal(unknown.status, 404, unknown.body);
      assert.equal(JSON.parse(unknown.body).error.code, 'CHANNEL_NOT_FOUND');
    });

    it('resumes after Last-Event-ID or ?after, delivering each missed event once', async () => {
      const first = await open('/v1/events', t.staffKey);
      await record(t.ctx, 'order.placed', { channel: 'web' });
      await record(t.ctx, 'order.placed', { channel: 'web' });
      const seen = await first.waitForEvents(2);
      const lastSeen = seen[1]!.id!;
      first.close();
      await first.ended;

      const missedA = await record(t.ctx, 'order.cancelled', { channel: 'web' });
      const missedB = await record(t.ctx, 'purchase_order.received');
      const resumed = await open('/v1/events', t.staffKey, { 'last-event-id': lastSeen });
      const byQuery = await open(`/v1/events?after=${lastSeen}`, t.staffKey);
      // Last-Event-ID (an EventSource reconnecting) wins over the ?after of the first URL.
      const both = await open('/v1/events?after=0', t.staffKey, { 'last-event-id': lastSeen });
      await resumed.waitForEvents(2);
      const live = await record(t.ctx, 'order.placed', { channel: 'pos' });
      for (const stream of [resumed, byQuery, both]) {
        await stream.waitForEvents(3);
        assert.deepEqual(subjectsOf(stream), [missedA, missedB, live]);
        assert.ok(stream.events.every((e) => e.id === String(e.data.id)));
      }
      // Nothing comes twice, even after further reads.
      const marker = await record(t.ctx, 'order.placed', { channel: 'pos' });
      await resumed.waitForEvents(4);
      assert.deepEqual(subjectsOf(resumed), [missedA, missedB, live, marker]);
    });

    it('refuses a request without a key, and bad filters, before streaming', async () => {
      const anonymous = await open('/v1/events', null);
      assert.equal(anonymous.status, 401, anonymous.body);
      for (const [path, code] of [
        ['/v1/events?types=order.nope', 'UNKNOWN_EVENT_TYPE'],
        ['/v1/events?types=order.placed,bogus.*', 'UNKNOWN_EVENT_TYPE'],
        ['/v1/events?after=-1', 'VALIDATION_FAILED'],
        ['/v1/events?channel=bad%20code', 'VALIDATION_FAILED'],
        ['/v1/events?surprise=1', 'VALIDATION_FAILED'],
      ] as const) {
        const refused = await open(path, t.staffKey);
        assert.equal(refused.status, 400, `${path}: ${refused.body}`);
        assert.equal(JSON.parse(refused.body).error.code, code, path);
      }
      const badResume = await open('/v1/events', t.staffKey, { 'last-event-id': 'abc' });
      assert.equal(badResume.status, 400, badResume.body);
      const unknown = JSON.parse((await open('/v1/events?types=nope', t.staffKey)).body);
      assert.deepEqual(unknown.error.details.unknown, ['nope']);
    });

    it('ends open streams when the app closes, without holding the shutdown up', async () => {
      const stream = await open('/v1/events', t.staffKey);
      const started = Date.now();
      await t.app.close();
      await stream.ended;
      assert.ok(Date.now() - started < 5_000, `closing took ${Date.now() - started} ms`);
    });
  });

  describe(`GET /v1/events heartbeats and late commits (${target.kind})`, () => {
    it('sends a comment line every heartbeat interval', async () => {
      const t = await startStreamApp(target, { heartbeatMs: 40 });
      try {
        const stream = await openEventStream(t.url, '/v1/events', { key: t.staffKey });
        await stream.waitFor(() => stream.comments >= 4, 'heartbeats', 5_000);
        assert.equal(stream.events.length, 0);
        stream.close();
      } finally {
        await t.close();
      }
    });

    if (target.kind === 'postgres') {
      it('delivers an event committed after a higher id, without an SSE id', async () => {
        const t = await startStreamApp(target);
        try {
          const stream = await openEventStream(t.url, '/v1/events', { key: t.staffKey });
          let inserted!: () => void;
          let commit!: () => void;
          const insertedEarly = new Promise<void>((resolve) => {
            inserted = resolve;
          });
          const mayCommit = new Promise<void>((resolve) => {
            commit = resolve;
          });
          let slowSubject = '';
          const slow = t.ctx.db.transaction().execute(async (trx) => {
            slowSubject = 'test:slow';
            await recordEvent(trx, {
              type: 'order.placed',
              subject: slowSubject,
              payload: {},
              actor: 'test',
              now: TEST_NOW,
              channel: 'web',
            });
            inserted();
            await mayCommit;
          });
          await insertedEarly;
          const fast = await record(t.ctx, 'order.cancelled', { channel: 'web' });
          const [first] = await stream.waitForEvents(1);
          assert.equal(first?.data.subject, fast);
          commit();
          await slow;
          const [, late] = await stream.waitForEvents(2);
          assert.equal(late?.data.subject, slowSubject);
          assert.ok(late!.data.id < first!.data.id, 'the late commit has the lower id');
          // Without an id line, the client's Last-Event-ID stays at the higher one.
          assert.equal(late?.id, null);
          const after = await record(t.ctx, 'order.placed', { channel: 'web' });
          await stream.waitForEvents(3);
          assert.deepEqual(subjectsOf(stream), [fast, slowSubject, after]);
          stream.close();
        } finally {
          await t.close();
        }
      });
    }
  });
}
