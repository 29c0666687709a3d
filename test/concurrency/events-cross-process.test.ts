import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { AppContext } from '../../src/kernel/context.js';
import { systemClock } from '../../src/shared/clock.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';
import { type EventStreamClient, openEventStream } from '../helpers/event-stream.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { type ServerProcess, startServer } from './servers.js';

/**
 * Live events across processes: two real server processes on one PostgreSQL database,
 * each LISTENing for the trigger's NOTIFY. An order placed through one reaches the event
 * streams of both, once each. SQLite serves one process, so it has no counterpart here.
 */
const ADMIN_KEY = 'sk_test_events_admin_key_0123456789abcdef';
/** Guards against a hang, not a latency assertion. */
const DELIVERY_LIMIT_MS = 20_000;

const target = testDatabases().find((d) => d.kind === 'postgres');

describe('live events across server processes (postgres)', {
  skip: target
    ? false
    : 'STOCKROOM_TEST_POSTGRES_URL is unset (run through `npm test` with PostgreSQL reachable)',
}, () => {
  let database: TestDatabase;
  const servers: ServerProcess[] = [];
  const streams: EventStreamClient[] = [];

  before(async () => {
    database = await target!.open();
    const ctx: AppContext = { db: database.db, dbKind: database.kind, clock: systemClock };
    await insertWorld(ctx);
    await insertItem(ctx, { sku: 'KET', name: 'Copper kettle' });
    await putStock(ctx, 'KET', 'W1', 50);
  });
  after(async () => {
    for (const stream of streams) stream.close();
    for (const server of servers) await server.stop();
    await database.drop();
  });

  // Only the live stream moves here: no background job writes events of its own.
  const env = {
    STOCKROOM_WATCH_INTERVAL_MS: '0',
    STOCKROOM_ALERT_INTERVAL_MINUTES: '0',
    STOCKROOM_DISPATCH_INTERVAL_MS: '0',
    STOCKROOM_REPROMISE_INTERVAL_MINUTES: '0',
  };

  async function placeOrder(server: ServerProcess, key: string): Promise<number> {
    const response = await fetch(`${server.url}/v1/orders`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ADMIN_KEY}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify({ channel: 'web', lines: [{ sku: 'KET', quantity: 1 }] }),
    });
    const body = await response.text();
    assert.equal(response.status, 201, body);
    return (JSON.parse(body) as { id: number }).id;
  }

  /** The LISTEN connections the server processes hold, by their application_name. */
  async function listeningPids(): Promise<number[]> {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ name: string }>(
        `select application_name as name from pg_stat_activity
         where datname = current_database() and application_name like 'stockroom-events %'`,
      );
      return rows.map((r) => Number(r.name.split(' ')[1]));
    } finally {
      await admin.end();
    }
  }

  it('an order placed through one process reaches the streams of both, once each', async () => {
    servers.push(await startServer(database.url, ADMIN_KEY, env));
    servers.push(await startServer(database.url, ADMIN_KEY, env));
    const [a, b] = servers as [ServerProcess, ServerProcess];
    for (const server of [a, b]) {
      const stream = await openEventStream(server.url, '/v1/events?types=order.*', {
        key: ADMIN_KEY,
      });
      assert.equal(stream.status, 200, stream.body);
      streams.push(stream);
    }
    const [atA, atB] = streams as [EventStreamClient, EventStreamClient];

    // A stream's first client opens its process's LISTEN connection.
    const pids = [a.child.pid, b.child.pid];
    for (let waited = 0; ; waited += 100) {
      const listening = await listeningPids();
      if (pids.every((pid) => listening.includes(pid!))) break;
      assert.ok(waited < DELIVERY_LIMIT_MS, `LISTEN connections: ${listening} (servers ${pids})`);
      await sleep(100);
    }

    const first = await placeOrder(a, 'events-a-1');
    for (const stream of [atA, atB]) {
      const [event] = await stream.waitForEvents(1, DELIVERY_LIMIT_MS);
      assert.equal(event?.event, 'order.placed');
      assert.equal(event?.data.subject, `order:${first}`);
    }

    // And the other way round; the second event also shows the first came only once.
    const second = await placeOrder(b, 'events-b-1');
    for (const stream of [atA, atB]) {
      await stream.waitForEvents(2, DELIVERY_LIMIT_MS);
      assert.deepEqual(
        stream.events.map((e) => e.data.subject),
        [`order:${first}`, `order:${second}`],
      );
    }
    for (const server of [a, b]) {
      assert.doesNotMatch(server.stderr(), /live events/, server.stderr());
    }
  });
});
