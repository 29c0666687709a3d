import { CompiledQuery } from 'kysely';
import type { DatabaseKind } from './database.js';
import { createPgListen } from './pg-listen.js';
import type { Db } from './schema.js';

/** What changes the caches follow: migration 0016's triggers announce them. */
export type ChangeTopic = 'keys' | 'channels';
const TOPICS: readonly ChangeTopic[] = ['keys', 'channels'];

export interface ChangeLog {
  warn(details: object, message: string): void;
}

/**
 * Tells the per-process caches of API keys and channels whether what they hold is still
 * current. Two equal generations of a topic mean nothing in it changed between the two
 * calls; null means changes cannot be followed right now, so nothing cached may be used.
 */
export interface ChangeWatch {
  generation(topic: ChangeTopic): Promise<number | null>;
  /** Where a topic stands before a write this process is about to make (see settle). */
  mark(topic: ChangeTopic): number;
  /**
   * After this process committed a change to a topic: resolves once this process has
   * seen it (at once on SQLite; on PostgreSQL once its own NOTIFY has come back, at most
   * SETTLE_LIMIT_MS). Every process's listener is woken by the same commit, so a response
   * sent after this finds the others informed too, barring a listener PostgreSQL has not
   * yet scheduled.
   */
  settle(topic: ChangeTopic, mark: number): Promise<void>;
  /** Opens the LISTEN connection (PostgreSQL with a URL); never throws. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createChangeWatch(options: {
  db: Db;
  kind: DatabaseKind;
  /** PostgreSQL: the URL to LISTEN on (same database and schema as the pool). */
  listenUrl?: string | undefined;
  log: ChangeLog;
}): ChangeWatch {
  if (options.kind === 'sqlite') return sqliteWatch(options.db);
  if (options.listenUrl === undefined) return uncached;
  return postgresWatch(options.listenUrl, options.log);
}

/** PostgreSQL without a LISTEN URL (some tests): every look-up reads the database. */
const uncached: ChangeWatch = {
  generation: async () => null,
  mark: () => 0,
  settle: async () => undefined,
  start: async () => undefined,
  close: async () => undefined,
};

const GENERATION = 'select generation from access_generations where topic = ?';

/**
 * SQLite: the counter row the triggers bump in the writing transaction, read with one
 * prepared statement (the driver keeps it prepared). It sees this process's writes and
 * another process's alike, at the next look-up after their commit.
 */
function sqliteWatch(db: Db): ChangeWatch {
  const queries = new Map(TOPICS.map((t) => [t, CompiledQuery.raw(GENERATION, [t])]));
  return {
    async generation(topic) {
      const { rows } = await db.executeQuery<{ generation: number }>(queries.get(topic)!);
      return rows[0]?.generation ?? 0;
    },
    // The counter row moved in the writing transaction: committed is seen.
    mark: () => 0,
    settle: async () => undefined,
    start: async () => undefined,
    close: async () => undefined,
  };
}

const SETTLE_LIMIT_MS = 2_000;

/**
 * PostgreSQL: generations are counted here, one step per notification, on a dedicated
 * LISTEN connection. While that connection is down nothing is trusted (null), and every
 * (re)connect or loss moves every topic on, since whatever was committed meanwhile was
 * announced to nobody.
 *
 * A look-up first lets the event loop finish its poll phase (setImmediate): a
 * notification that reached this process's socket before the request did is then
 * applied before the cache is read. So a key revoked in another process is refused here
 * from the first request sent after the revocation's response, unless PostgreSQL itself
 * has not yet delivered the notification (it does so at commit, before that response).
 */
function postgresWatch(url: string, log: ChangeLog): ChangeWatch {
  const generations = new Map<ChangeTopic, number>(TOPICS.map((t) => [t, 0]));
  const channelTopic = new Map(TOPICS.map((t) => [`stockroom_${t}`, t]));
  const waiting = new Set<() => void>();
  const bump = (topics: readonly ChangeTopic[]) => {
    for (const t of topics) generations.set(t, generations.get(t)! + 1);
    for (const wake of waiting) wake();
  };
  const listen = createPgListen({
    url,
    channels: [...channelTopic.keys()],
    applicationName: 'stockroom-access',
    onNotify: (channel) => bump([channelTopic.get(channel)!]),
    onConnected: () => bump(TOPICS),
    onLost: () => bump(TOPICS),
    lostMessage:
      'key and channel caches: LISTEN connection lost; reading the database until it is back',
    firstRetryMs: 500,
    maxRetryMs: 10_000,
    log,
  });

  return {
    async generation(topic) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return listen.listening ? generations.get(topic)! : null;
    },
    mark: (topic) => generations.get(topic)!,
    async settle(topic, mark) {
      let timer: NodeJS.Timeout | undefined;
      let wake!: () => void;
      const done = new Promise<void>((resolve) => {
        wake = () => {
          if (!listen.listening || generations.get(topic)! > mark) resolve();
        };
        timer = setTimeout(resolve, SETTLE_LIMIT_MS);
      });
      waiting.add(wake);
      wake();
      try {
        await done;
      } finally {
        clearTimeout(timer);
        waiting.delete(wake);
        // Whatever the wait's outcome, this process does not trust what it held before.
        generations.set(topic, generations.get(topic)! + 1);
      }
    },
    start: () => listen.start(),
    close: () => listen.stop(),
  };
}
