import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';
import { namedStatementPool } from './server-prepared.js';

/**
 * The one file that knows how each engine is set up. Everything above it runs the same
 * Kysely queries on both.
 */
export type DatabaseKind = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** Where it lives, with any password removed: safe to log. */
  location: string;
  /** The PostgreSQL connection pool (absent on SQLite): GET /metrics reports its usage. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export const DEFAULT_DATABASE_URL = 'file:./data/stockroom.db';
/** How long opening a PostgreSQL connection may take before the query fails (503). */
export const DEFAULT_PG_CONNECT_TIMEOUT_MS = 5_000;
/** How long a SQLite write waits for another process's write lock before SQLITE_BUSY. */
export const DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 5_000;

export interface OpenOptions {
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** PostgreSQL schema to use instead of public; the tests isolate themselves this way. */
  schema?: string;
  /** STOCKROOM_PG_CONNECT_TIMEOUT_MS. */
  pgConnectTimeoutMs?: number;
  /** STOCKROOM_SQLITE_BUSY_TIMEOUT_MS. */
  sqliteBusyTimeoutMs?: number;
  /**
   * STOCKROOM_PG_NAMED_STATEMENTS (default on): repeated statements run as named prepared
   * statements (src/db/server-prepared.ts). Off for a pooler that cannot keep them, such as
   * PgBouncer in transaction mode before 1.21.
   */
  pgNamedStatements?: boolean;
}

export function openDatabase(url: string = DEFAULT_DATABASE_URL, options: OpenOptions = {}) {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options);
  if (url.startsWith('file:')) return openSqlite(url.slice('file:'.length), options);
  throw new Error(`DATABASE_URL must start with postgres:// or file: (got ${JSON.stringify(url)})`);
}

function openSqlite(path: string, options: OpenOptions): Database {
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  // WAL lets readers run beside the writer; synchronous=FULL makes an acknowledged
  // write survive a power cut, not only a crash. busy_timeout covers a second process
  // (the CLI beside a running server) holding the write lock for a moment.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  const busyTimeout = Math.round(options.sqliteBusyTimeoutMs ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MS);
  sqlite.pragma(`busy_timeout = ${busyTimeout}`);
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<DB>({
    dialect: immediateSqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return {
    db,
    kind: 'sqlite',
    location: `file:${file}`,
    close: () => db.destroy(),
  };
}

/**
 * Kysely's SQLite driver prepares every statement afresh, which costs more than running
 * most of ours (50–400 µs against tens). The same SQL text is prepared once and reused:
 * the order and stock paths repeat a few dozen statement shapes. Bounded, least recently
 * used first out; a statement still iterating (a streamed read) is never handed out twice.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, capacity = 500) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > capacity) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}

/**
 * SQLite's plain BEGIN takes the write lock only at the first write, and a transaction
 * that read first and then finds another writer got there fails with SQLITE_BUSY
 * without waiting. BEGIN IMMEDIATE takes the lock up front, so busy_timeout applies.
 */
function immediateSqliteDialect(config: SqliteDialectConfig): Dialect {
  const base = new SqliteDialect(config);
  return {
    createAdapter: () => new TransactionalDdlSqliteAdapter(),
    createDriver: () => new ImmediateSqliteDriver(config),
    createIntrospector: (db) => base.createIntrospector(db),
    createQueryCompiler: () => base.createQueryCompiler(),
  };
}

/**
 * SQLite runs DDL inside transactions; saying so makes Kysely's migrator wrap the pending
 * migrations in one (BEGIN IMMEDIATE) transaction. A failed migration then leaves no
 * half-made schema, and a second process starting at the same moment waits its turn.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

function openPostgres(url: string, options: OpenOptions): Database {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      // bigint (ids, count(*)) and numeric (sum of integers) come back as numbers: every
      // quantity here is far below 2^53.
      if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return Number;
      return pg.types.getTypeParser(oid, format);
    },
  } as pg.CustomTypesConfig;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    // Without a limit a connect to an unreachable host waits for the OS (minutes) and the
    // request with it; with one it fails fast and answers 503 DATABASE_UNAVAILABLE.
    connectionTimeoutMillis: options.pgConnectTimeoutMs ?? DEFAULT_PG_CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  // A connection can drop at any moment (a server restart, a failover,
  // pg_terminate_backend). pg reports it as an 'error' event, and an 'error' event nobody
  // listens to ends the process. Idle clients report on the pool; a client checked out by
  // a request reports on itself when the drop falls between its queries (a query running
  // at that moment fails instead, and the request answers 503). Either way the pool
  // discards the client and the next query opens a fresh connection, so the process
  // serves again as soon as PostgreSQL answers.
  const warnLost = onceInAWhile((error: Error) => {
    process.emitWarning(`PostgreSQL connection lost: ${error.message}`, {
      code: 'STOCKROOM_PG_CONNECTION_LOST',
    });
  });
  pool.on('error', warnLost);
  pool.on('connect', (client) => {
    client.on('error', warnLost);
  });
  const named = options.pgNamedStatements !== false;
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: named ? namedStatementPool(pool) : pool }),
  });
  const safe = new URL(url);
  if (safe.password) safe.password = '***';
  return {
    db,
    kind: 'postgres',
    location: safe.toString(),
    pool,
    close: () => db.destroy(),
  };
}

/** Many connections drop together in one outage: one warning for them, not one each. */
const LOST_WARNING_GAP_MS = 10_000;

function onceInAWhile(warn: (error: Error) => void): (error: Error) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (error) => {
    const now = Date.now();
    if (now - last < LOST_WARNING_GAP_MS) return;
    last = now;
    warn(error);
  };
}
