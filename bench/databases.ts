import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, openDatabase } from '../src/db/database.js';

/**
 * The databases the benchmarks run on: a fresh SQLite file in a temporary folder, or a
 * fresh PostgreSQL database created through BENCH_DATABASE_URL's server and dropped after.
 */

export const pgAdminUrl =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface Target {
  kind: 'sqlite' | 'postgres';
  open(): Promise<{
    database: Database;
    /** What openDatabase was given: bare-driver ceilings open their own connection to it. */
    url: string;
    describe: string;
    cleanup(): Promise<void>;
  }>;
}

export const sqliteTarget: Target = {
  kind: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'stockroom-bench-'));
    const file = join(dir, 'bench.db');
    const database = openDatabase(`file:${file}`);
    return {
      database,
      url: `file:${file}`,
      describe: `SQLite file ${file}`,
      async cleanup() {
        const mb = statSync(file).size / 1e6;
        process.stdout.write(`  (database file was ${mb.toFixed(1)} MB)\n`);
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/** BENCH_DATABASE_PREFIX lets parallel runs on one server tell their databases apart. */
const databasePrefix = process.env.BENCH_DATABASE_PREFIX ?? 'stockroom_bench';
if (!/^[a-z_][a-z0-9_]*$/.test(databasePrefix)) {
  throw new Error('BENCH_DATABASE_PREFIX takes lower-case letters, digits and _');
}

export async function adminQuery(text: string, values: unknown[] = [], server = pgAdminUrl) {
  const client = new pg.Client({ connectionString: server, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * The pool's end() resolves before its sockets have closed. Dropping the database `with
 * (force)` at that moment terminates them, and the pool (which has no 'error' listener, see
 * src/db/database.ts) would crash the process; so wait until they are gone.
 */
export async function waitForNoConnections(name: string, server = pgAdminUrl) {
  for (let i = 0; i < 50; i++) {
    const [row] = await adminQuery(
      'select count(*)::int as n from pg_stat_activity where datname = $1',
      [name],
      server,
    );
    if (row?.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const postgresTarget: Target = {
  kind: 'postgres',
  async open() {
    const name = `${databasePrefix}_${Date.now()}_${randomBytes(3).toString('hex')}`;
    await adminQuery(`create database ${name}`);
    const url = new URL(pgAdminUrl);
    url.pathname = `/${name}`;
    const database = openDatabase(url.toString());
    return {
      database,
      url: url.toString(),
      describe: `PostgreSQL database ${name} at ${url.host}`,
      async cleanup() {
        await database.close();
        await waitForNoConnections(name);
        await adminQuery(`drop database if exists ${name} with (force)`);
      },
    };
  },
};

async function postgresReachable(): Promise<string | null> {
  try {
    await adminQuery('select 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * The targets `--only` asks for (both when not given). PostgreSQL is left out, with a
 * notice, when its server cannot be reached, so the SQLite half still runs.
 */
export async function chosenTargets(only: string | undefined): Promise<Target[]> {
  const targets: Target[] = [];
  if (only === undefined || only === 'sqlite') targets.push(sqliteTarget);
  if (only === undefined || only === 'postgres') {
    const unreachable = await postgresReachable();
    if (unreachable === null) targets.push(postgresTarget);
    else {
      process.stdout.write(
        `\nNOTICE: PostgreSQL at ${pgAdminUrl.replace(/:[^:@/]*@/, ':***@')} is unreachable (${unreachable}); its half is SKIPPED.\n`,
      );
    }
  }
  return targets;
}

/** Other work on the machine skews every figure; print the load so a reader can tell. */
export const loadNow = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** "Node v20…, 2 × AMD EPYC …; load average …": the line every benchmark starts with. */
export const machineLine = () =>
  `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; load average ${loadNow()}`;
