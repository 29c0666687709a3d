import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createEventHub, type EventHub, type StreamEvent } from '../../src/events/event-hub.js';
import { recordEvent } from '../../src/kernel/events/domain-events.js';
import { TEST_NOW } from '../helpers/app.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';

/** The hub without HTTP: subscribers that record what they are sent. */

interface Recorded {
  events: { event: StreamEvent; resumable: boolean }[];
  ended: boolean;
  /** Ready for more while fewer events than this were sent (a buffer filling up). */
  room: number;
}

function recorder(
  hub: EventHub,
  after: number,
  channel: string | null = null,
  room = Number.POSITIVE_INFINITY,
) {
  const seen: Recorded = { events: [], ended: false, room };
  const unsubscribe = hub.subscribe({
    filter: { types: null, channel },
    after,
    send: (event, resumable) => seen.events.push({ event, resumable }),
    ready: () => seen.events.length < seen.room,
    end: () => {
      seen.ended = true;
    },
  });
  return { seen, unsubscribe };
}

async function until(check: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

let counter = 0;
async function record(database: TestDatabase, channel: string | null = null): Promise<string> {
  const subject = `hub:${++counter}`;
  await database.db.transaction().execute((trx) =>
    recordEvent(trx, {
      type: 'transfer.received',
      subject,
      payload: {},
      actor: 'test',
      now: TEST_NOW,
      channel,
    }),
  );
  return subject;
}

const subjects = (seen: Recorded) => seen.events.map((e) => e.event.subject);

for (const target of testDatabases()) {
  describe(`event hub (${target.kind})`, () => {
    let database: TestDatabase;
    let hub: EventHub;
    beforeEach(async () => {
      database = await target.open();
      hub = createEventHub({
        db: database.db,
        kind: database.kind,
        pollMs: 20,
        safetyPollMs: 600_000,
        log: { warn: () => undefined },
        ...(database.kind === 'postgres' && { databaseUrl: database.url }),
      });
    });
    afterEach(async () => {
      await hub.stop();
      await database.drop();
    });

    it('pauses catching up while a client is not ready, and goes on when woken', async () => {
      const written = [];
      for (let i = 0; i < 6; i++) written.push(await record(database));
      const { seen } = recorder(hub, 0, null, 2);
      await until(() => seen.events.length >= 2, 'the first events');
      await sleep(200);
      assert.equal(seen.events.length, 2, 'sent while not ready');
      seen.room = Number.POSITIVE_INFINITY;
      hub.wake();
      await until(() => seen.events.length >= 6, 'the rest');
      assert.deepEqual(subjects(seen), written);
      assert.ok(seen.events.every((e) => e.resumable));
    });

    it('narrows catching up to the channel asked for', async () => {
      const web = await record(database, 'web');
      await record(database, 'pos');
      await record(database, null);
      const { seen } = recorder(hub, 0, 'web');
      const live = await record(database, 'web');
      await until(() => seen.events.length >= 2, 'two web events');
      await record(database, 'pos');
      const last = await record(database, 'web');
      await until(() => seen.events.length >= 3, 'three web events');
      assert.deepEqual(subjects(seen), [web, live, last]);
    });

    it('stops reading when the last client leaves, and starts afresh for the next', async () => {
      const first = recorder(hub, 0);
      const one = await record(database);
      await until(() => first.seen.events.length >= 1, 'one event');
      first.unsubscribe();
      await record(database);
      await sleep(100);
      assert.deepEqual(subjects(first.seen), [one]);
      const second = recorder(hub, Number.MAX_SAFE_INTEGER - 1);
      const latest = recorder(hub, first.seen.events[0]!.event.id);
      await until(() => latest.seen.events.length >= 1, 'the event missed meanwhile');
      assert.equal(second.seen.events.length, 0);
    });

    it('ends every subscriber when it stops', async () => {
      const a = recorder(hub, 0);
      const b = recorder(hub, 0);
      await hub.stop();
      assert.ok(a.seen.ended && b.seen.ended);
      assert.throws(() => recorder(hub, 0), /shutting down/);
    });

    if (target.kind === 'postgres') {
      it('gets its LISTEN connection back after losing it, delivering meanwhile', async () => {
        const name = `stockroom-events ${process.pid}`;
        const admin = new pg.Client({ connectionString: database.url });
        await admin.connect();
        try {
          const listeners = async () =>
            (
              await admin.query<{ pid: number }>(
                `select pid from pg_stat_activity
                 where application_name = $1 and query ilike 'listen %'`,
                [name],
              )
            ).rows.map((r) => r.pid);
          const { seen } = recorder(hub, 0);
          await hub.start();
          const [before] = await listeners();
          assert.ok(before, 'no LISTEN connection');
          await admin.query('select pg_terminate_backend($1)', [before]);
          const during = await record(database);
          await until(() => seen.events.length >= 1, 'an event while reconnecting');
          for (let waited = 0; ; waited += 50) {
            const now = await listeners();
            if (now.length === 1 && now[0] !== before) break;
            assert.ok(waited < 15_000, `LISTEN connections: ${now}`);
            await sleep(50);
          }
          const after = await record(database);
          await until(() => seen.events.length >= 2, 'an event after reconnecting');
          assert.deepEqual(subjects(seen), [during, after]);
        } finally {
          await admin.end();
        }
      });
    }
  });
}
