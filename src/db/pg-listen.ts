import pg from 'pg';

/** A broken connection may never answer a goodbye; stopping must not wait on it. */
const END_LIMIT_MS = 2_000;

export interface ListenLog {
  warn(details: object, message: string): void;
}

export interface PgListen {
  /** True while notifications can arrive. */
  readonly listening: boolean;
  /** Connects (once); failures are logged and retried, never thrown. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface PgListenOptions {
  url: string;
  channels: readonly string[];
  /** Shows in pg_stat_activity, with the pid, which process holds the connection. */
  applicationName: string;
  /** A notification on one of the channels, from a writer on this connection's schema. */
  onNotify(channel: string): void;
  /** After each (re)connect: anything committed while down was announced to nobody. */
  onConnected(): void;
  /** The connection is gone; a reconnect is scheduled unless stopping. */
  onLost?(): void;
  /** Logged, with the error and the retry delay, when the connection is lost. */
  lostMessage: string;
  firstRetryMs: number;
  maxRetryMs: number;
  log: ListenLog;
}

/**
 * A dedicated connection that LISTENs. It cannot come from the pool: LISTEN belongs to
 * a session, and a pooled connection is handed to other queries. The triggers' payload
 * is the schema they fired in, so that processes on other schemas of the same database
 * (the tests run one per schema) are not woken. A lost connection is reopened with
 * doubling backoff.
 */
export function createPgListen(options: PgListenOptions): PgListen {
  let client: pg.Client | null = null;
  let listening = false;
  let stopped = false;
  let started: Promise<void> | null = null;
  let retryMs = options.firstRetryMs;
  let retryTimer: NodeJS.Timeout | undefined;
  const channels = new Set(options.channels);

  async function connect(): Promise<void> {
    if (stopped) return;
    const connection = new pg.Client({
      connectionString: options.url,
      application_name: `${options.applicationName} ${process.pid}`,
      connectionTimeoutMillis: 10_000,
      // A connection dropped without a word would otherwise go unnoticed.
      keepAlive: true,
    });
    client = connection;
    let schema: string | null = null;
    connection.on('notification', (message) => {
      if (channels.has(message.channel) && message.payload === schema) {
        options.onNotify(message.channel);
      }
    });
    connection.on('error', (error) => lost(connection, error));
    connection.on('end', () => lost(connection, new Error('connection ended')));
    try {
      await connection.connect();
      const result = await connection.query<{ schema: string }>(
        'select current_schema() as schema',
      );
      schema = result.rows[0]?.schema ?? null;
      await connection.query(options.channels.map((c) => `listen ${c}`).join('; '));
    } catch (error) {
      lost(connection, error);
      return;
    }
    if (client !== connection) return;
    listening = true;
    retryMs = options.firstRetryMs;
    options.onConnected();
  }

  function lost(connection: pg.Client, error: unknown): void {
    if (client !== connection) return;
    client = null;
    listening = false;
    options.onLost?.();
    void endQuietly(connection);
    if (stopped) return;
    options.log.warn({ err: error, retryInMs: retryMs }, options.lostMessage);
    retryTimer = setTimeout(() => void connect(), retryMs);
    retryTimer.unref();
    retryMs = Math.min(retryMs * 2, options.maxRetryMs);
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
