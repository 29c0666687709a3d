import type { DatabaseKind } from '../db/database.js';
import type { Db } from '../db/schema.js';
import { type EventFilter, matchesFilter } from '../domain/event-filter.js';
import type { StreamEvent } from './events.repository.js';
import { eventsAfter, eventsWithIds, idsAbove, newestEventId } from './events.repository.js';
import { IdGaps } from './id-gaps.js';
import { createPgListener, type ListenerLog, type PgListener } from './pg-listener.js';

export type { StreamEvent } from './events.repository.js';

/** Rows per query; a wake reads at most ROUNDS of them before letting others run. */
const BATCH = 1000;
const ROUNDS = 10;
/** Ids per `id in (…)` when looking for late commits. */
const GAP_CHUNK = 500;

export interface EventHubOptions {
  db: Db;
  kind: DatabaseKind;
  /**
   * PostgreSQL: the URL to LISTEN with, naming the same database and schema as the pool
   * (a `?options=-c search_path=…` URL is used as it is). Without one the hub polls.
   */
  databaseUrl?: string | undefined;
  /** Milliseconds between reads while clients are connected and no LISTEN wakes the hub. */
  pollMs?: number;
  /** Milliseconds between reads while LISTEN works: a safety net for a lost notification. */
  safetyPollMs?: number;
  /** How long an id skipped while reading is looked for again (a late PostgreSQL commit). */
  gapMs?: number;
  /** Milliseconds between keep-alive comments on each stream (proxies close idle ones). */
  heartbeatMs?: number;
  log?: ListenerLog;
}

/** What the app's options may tune; the database and logger come from the app. */
export type EventStreamOptions = Omit<EventHubOptions, 'db' | 'kind' | 'log'>;

/** One connected client, as the hub sees it. */
export interface Subscriber {
  filter: EventFilter;
  /** Deliver the events after this id (a Last-Event-ID, or the newest id at connect). */
  after: number;
  /**
   * Writes one event. `resumable` is false for a late commit below an id already sent:
   * it must go out without an SSE id, so the client's Last-Event-ID never moves back.
   */
  send(event: StreamEvent, resumable: boolean): void;
  /** False while the client's buffer is full: catching up waits for it (then `wake`). */
  ready(): boolean;
  /** The hub is stopping: end the stream. */
  end(): void;
}

export interface EventHub {
  readonly heartbeatMs: number;
  /** Opens the LISTEN connection (PostgreSQL with a URL); the first subscriber also does. */
  start(): Promise<void>;
  /** Registers a client; returns the function that removes it. */
  subscribe(subscriber: Subscriber): () => void;
  /** Reads what is new now (a notification, a drained client). */
  wake(): void;
  /** Ends every stream, closes the LISTEN connection, waits for a read in progress. */
  stop(): Promise<void>;
}

interface Client {
  subscriber: Subscriber;
  /** Every event up to this id has been sent to the client or did not match its filter. */
  cursor: number;
  /** The highest id sent with an SSE id, i.e. the client's Last-Event-ID. */
  highest: number;
  /** Ids that catching up sent while the hub still looked for them: not to be sent twice. */
  sentEarly: Set<number>;
  gone: boolean;
}

/**
 * Tails the domain_events table for one process and fans each new event out to the live
 * streams connected to it. The table is the source of truth: ids are the SSE ids, a client
 * reconnecting with Last-Event-ID is served from the table, and every process tails it
 * alike, so events reach clients of every process whichever process wrote them.
 *
 * Reads are woken by PostgreSQL NOTIFY (sent at commit by a trigger) with a slow safety
 * poll, or by a short poll on SQLite; reading happens only while clients are connected.
 * One read runs at a time, so each client sees events in id order and each once.
 *
 * Late commits (see IdGaps) are looked for again on every wake for `gapMs` and sent to
 * the clients already past them. The edge left: a client that disconnects, and resumes by
 * Last-Event-ID, after a late commit below that id became visible, does not get it (its
 * resume point says it has everything up to there); a transaction open longer than
 * `gapMs` between writing an event and committing is likewise missed by live clients.
 */
export function createEventHub(options: EventHubOptions): EventHub {
  const { db } = options;
  const pollMs = options.pollMs ?? 250;
  const safetyPollMs = options.safetyPollMs ?? 5_000;
  const log: ListenerLog = options.log ?? {
    warn: (details: { err?: unknown }, message) =>
      process.emitWarning(
        details.err instanceof Error ? `${message}: ${details.err.message}` : message,
        { code: 'STOCKROOM_EVENTS' },
      ),
  };
  const gaps = new IdGaps(options.gapMs ?? 10_000);
  const clients = new Set<Client>();
  const listener: PgListener | null =
    options.kind === 'postgres' && options.databaseUrl
      ? createPgListener({ url: options.databaseUrl, onNotify: () => wake(), log })
      : null;
  /** The id read up to. Set afresh when the first client arrives after none were connected. */
  let last = 0;
  let primed = false;
  let stopped = false;
  let reading: Promise<void> | null = null;
  let again = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let failing = false;

  function send(client: Client, event: StreamEvent): void {
    if (client.gone || !matchesFilter(event, client.subscriber.filter)) return;
    const resumable = event.id > client.highest;
    client.subscriber.send(event, resumable);
    if (resumable) client.highest = event.id;
  }

  /** Starts from the newest event, with the recent ids not (yet) visible as gaps. */
  async function prime(): Promise<void> {
    const newest = await newestEventId(db);
    const from = Math.max(0, newest - BATCH);
    const recent = await idsAbove(db, from, 2 * BATCH);
    gaps.clear();
    for (const client of clients) client.sentEarly.clear();
    gaps.noteRead(from, recent, Date.now());
    last = recent.at(-1) ?? newest;
    primed = true;
  }

  async function fillGaps(): Promise<void> {
    const expired = gaps.expire(Date.now());
    for (const client of clients) for (const id of expired) client.sentEarly.delete(id);
    const wanted = gaps.pending();
    for (let i = 0; i < wanted.length; i += GAP_CHUNK) {
      for (const event of await eventsWithIds(db, wanted.slice(i, i + GAP_CHUNK))) {
        gaps.delete(event.id);
        for (const client of clients) {
          if (client.sentEarly.delete(event.id)) continue;
          // Clients not yet past it will read it while catching up.
          if (client.cursor >= event.id) send(client, event);
        }
      }
    }
  }

  /** Serves clients that start behind the hub (a resume); returns whether any has more. */
  async function catchUp(): Promise<boolean> {
    let more = false;
    for (const client of [...clients]) {
      if (client.gone || client.cursor >= last || !client.subscriber.ready()) continue;
      const upTo = last;
      const events = await eventsAfter(db, client.cursor, {
        upTo,
        channel: client.subscriber.filter.channel,
        limit: BATCH,
      });
      let paused = false;
      for (const event of events) {
        if (client.gone) break;
        send(client, event);
        if (gaps.has(event.id)) client.sentEarly.add(event.id);
        client.cursor = event.id;
        if (!client.subscriber.ready()) {
          paused = true;
          break;
        }
      }
      if (paused || client.gone) continue;
      if (events.length < BATCH) client.cursor = Math.max(client.cursor, upTo);
      else more = true;
    }
    return more;
  }

  /** Reads what was committed since the last read and fans it out; true if more is left. */
  async function readNew(): Promise<boolean> {
    for (let round = 0; round < ROUNDS; round++) {
      const events = await eventsAfter(db, last, { limit: BATCH });
      if (events.length === 0) return false;
      const before = last;
      gaps.noteRead(
        before,
        events.map((e) => e.id),
        Date.now(),
      );
      last = events.at(-1)!.id;
      for (const client of clients) {
        // A client still catching up reads these itself.
        if (client.gone || client.cursor < before) continue;
        for (const event of events) if (event.id > client.cursor) send(client, event);
        client.cursor = Math.max(client.cursor, last);
      }
      if (events.length < BATCH) return false;
    }
    return true;
  }

  async function readOnce(): Promise<boolean> {
    if (clients.size === 0) return false;
    if (!primed) await prime();
    await fillGaps();
    const behind = await catchUp();
    const ahead = await readNew();
    return behind || ahead;
  }

  async function readWhileWanted(): Promise<void> {
    let more = true;
    while (!stopped && (more || again)) {
      again = false;
      try {
        more = await readOnce();
        failing = false;
      } catch (error) {
        // Once per outage, not once per poll.
        if (!failing) log.warn({ err: error }, 'live events: reading events failed; retrying');
        failing = true;
        return;
      }
    }
  }

  function schedulePoll(): void {
    clearTimeout(pollTimer);
    if (stopped || clients.size === 0) return;
    pollTimer = setTimeout(wake, listener?.listening ? safetyPollMs : pollMs);
    pollTimer.unref();
  }

  function wake(): void {
    if (stopped) return;
    if (reading) {
      again = true;
      return;
    }
    clearTimeout(pollTimer);
    reading = readWhileWanted().finally(() => {
      reading = null;
      schedulePoll();
    });
  }

  return {
    heartbeatMs: options.heartbeatMs ?? 15_000,
    async start() {
      if (!stopped) await listener?.start();
    },
    subscribe(subscriber) {
      if (stopped) throw new Error('The live event stream is shutting down');
      const client: Client = {
        subscriber,
        cursor: subscriber.after,
        highest: subscriber.after,
        sentEarly: new Set(),
        gone: false,
      };
      clients.add(client);
      void listener?.start();
      wake();
      return () => {
        if (client.gone) return;
        client.gone = true;
        clients.delete(client);
        if (clients.size > 0) return;
        // Nobody to read for: stop polling, and start afresh when someone comes.
        primed = false;
        clearTimeout(pollTimer);
      };
    },
    wake,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(pollTimer);
      for (const client of clients) {
        client.gone = true;
        client.subscriber.end();
      }
      clients.clear();
      await listener?.stop();
      await reading;
    },
  };
}
