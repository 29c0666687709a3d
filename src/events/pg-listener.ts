import pg from 'pg';

/** Where the notifications come from: migration 0004's statement trigger on domain_events. */
export const EVENTS_CHANNEL = 'stockroom_events';

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
/** A broken connection may never answer a goodbye; stopping must not wait on it. */
const END_LIMIT_MS = 2_000;

export interface ListenerLog {
  warn(details: object, message: string): void;
}

export interface PgListener {
  /** True while notifications can arrive; the hub polls quickly when it is false. */
  readonly listening: boolean;
  /** Connects (once); failures are logged and retried, never thrown. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A dedicated connection that LISTENs for committed events. It cannot come from the
 * pool: LISTEN belongs to a session, and a pooled connection is handed to other queries.
 * The trigger's payload is the schema the events were written in, so that processes on
 * other schemas of the same database (the tests run one per schema) are not woken.
 * A lost connection is reopened with backoff; `onNotify` runs after each (re)connect,
 * since anything committed meanwhile was announced to nobody.
 */
export function createPgListener(options: {
  url: string;
  onNotify: () => void;
  log: ListenerLog;
}): PgListener {
  let client: pg.Client | null = null;
  let listening = false;
  let stopped = false;
  let started: Promise<void> | null = null;
  let retryMs = FIRST_RETRY_MS;
  let retryTimer: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    if (stopped) return;
    const connection = new pg.Client({
      connectionString: options.url,
      // Shows in pg_stat_activity which process holds it.
      application_name: `stockroom-events ${process.pid}`,
      connectionTimeoutMillis: 10_000,
      // A connection dropped without a word would otherwise leave only the safety poll.
      keepAlive: true,
    });
    client = connection;
    let schema: string | null = null;
    connection.on('notification', (message) => {
      if (message.channel === EVENTS_CHANNEL && message.payload === schema) options.onNotify();
    });
    connection.on('error', (error) => lost(connection, error));
    connection.on('end', () => lost(connection, new Error('connection ended')));
    try {
      await connection.connect();
      const result = await connection.query<{ schema: string }>(
        'select current_schema() as schema',
      );
      schema = result.rows[0]?.schema ?? null;
      await connection.query(`listen ${EVENTS_CHANNEL}`);
    } catch (error) {
      lost(connection, error);
      return;
    }
    if (client !== connection) return;
    listening = true;
    retryMs = FIRST_RETRY_MS;
    options.onNotify();
  }

  function lost(connection: pg.Client, error: unknown): void {
    if (client !== connection) return;
    client = null;
    listening = false;
    void endQuietly(connection);
    if (stopped) return;
    options.log.warn(
      { err: error, retryInMs: retryMs },
      'live events: LISTEN connection lost; polling until it is back',
    );
    retryTimer = setTimeout(() => void connect(), retryMs);
    retryTimer.unref();
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  }

  return {
    get listening() {
      return listening;
    },
    start() {
      started ??= connect();
      return started;
    },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      const connection = client;
      client = null;
      listening = false;
      if (connection) await endQuietly(connection);
    },
  };
}

async function endQuietly(connection: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, END_LIMIT_MS);
  });
  await Promise.race([connection.end().catch(() => undefined), limit]);
  clearTimeout(timer);
}
