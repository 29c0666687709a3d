import type { DatabaseKind } from '../db/database.js';
import type { Db } from '../db/schema.js';
import { type Client, EventFanout, type Subscriber } from './event-fanout.js';
import { createPgListener, type ListenerLog, type PgListener } from './pg-listener.js';

export type { Subscriber } from './event-fanout.js';
export type { StreamEvent } from './events.repository.js';

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
  return new LiveEventHub(options);
}

const warnByProcess: ListenerLog = {
  warn: (details: { err?: unknown }, message) =>
    process.emitWarning(
      details.err instanceof Error ? `${message}: ${details.err.message}` : message,
      { code: 'STOCKROOM_EVENTS' },
    ),
};

/** When to read: on a wake, while clients are connected, one read at a time. */
class LiveEventHub implements EventHub {
  readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly safetyPollMs: number;
  private readonly log: ListenerLog;
  private readonly fanout: EventFanout;
  private readonly listener: PgListener | null;
  private stopped = false;
  private reading: Promise<void> | null = null;
  private again = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private failing = false;

  constructor(options: EventHubOptions) {
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.pollMs = options.pollMs ?? 250;
    this.safetyPollMs = options.safetyPollMs ?? 5_000;
    this.log = options.log ?? warnByProcess;
    this.fanout = new EventFanout(options.db, options.gapMs ?? 10_000);
    this.listener =
      options.kind === 'postgres' && options.databaseUrl
        ? createPgListener({ url: options.databaseUrl, onNotify: () => this.wake(), log: this.log })
        : null;
  }

  async start(): Promise<void> {
    if (!this.stopped) await this.listener?.start();
  }

  subscribe(subscriber: Subscriber): () => void {
    if (this.stopped) throw new Error('The live event stream is shutting down');
    const client: Client = {
      subscriber,
      cursor: subscriber.after,
      highest: subscriber.after,
      sentEarly: new Set(),
      gone: false,
    };
    const { clients } = this.fanout;
    clients.add(client);
    void this.listener?.start();
    this.wake();
    return () => {
      if (client.gone) return;
      client.gone = true;
      clients.delete(client);
      if (clients.size > 0) return;
      // Nobody to read for: stop polling, and start afresh when someone comes.
      this.fanout.reset();
      clearTimeout(this.pollTimer);
    };
  }

  // A property, not a method: streams pass it as their 'drain' listener.
  readonly wake = (): void => {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    clearTimeout(this.pollTimer);
    this.reading = this.readWhileWanted().finally(() => {
      this.reading = null;
      this.schedulePoll();
    });
  };

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.pollTimer);
    for (const client of this.fanout.clients) {
      client.gone = true;
      client.subscriber.end();
    }
    this.fanout.clients.clear();
    await this.listener?.stop();
    await this.reading;
  }

  private async readWhileWanted(): Promise<void> {
    let more = true;
    while (!this.stopped && (more || this.again)) {
      this.again = false;
      try {
        more = await this.fanout.readOnce();
        this.failing = false;
      } catch (error) {
        // Once per outage, not once per poll.
        if (!this.failing) {
          this.log.warn({ err: error }, 'live events: reading events failed; retrying');
        }
        this.failing = true;
        return;
      }
    }
  }

  private schedulePoll(): void {
    clearTimeout(this.pollTimer);
    if (this.stopped || this.fanout.clients.size === 0) return;
    const listening = this.listener?.listening;
    this.pollTimer = setTimeout(this.wake, listening ? this.safetyPollMs : this.pollMs);
    this.pollTimer.unref();
  }
}
