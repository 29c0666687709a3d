import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { STATUS_OF_KIND } from '../../../src/http/error-status.js';
import { AppError } from '../../../src/shared/errors.js';
import type { TestDatabase, TestDatabaseTarget } from '../../helpers/databases.js';

// The harness both property suites share, so that they hold only their commands and
// properties: this file runs a property (seed, databases, batches, attempts and what the
// runs reached); world.ts builds the world; stock-, supply- and promise-invariants.ts
// check the rows after the commands; sums.ts groups them.

/**
 * Commands run in batches of BATCH at once. On PostgreSQL the pool has BATCH connections,
 * so a batch really runs in parallel and the conditional updates race each other; on
 * SQLite the one connection serializes them.
 */
export const BATCH = 8;

// STOCKROOM_PROPERTY_SEED=<seed printed in the diagnostics> regenerates the same commands
// (on PostgreSQL their interleaving may still differ from the failing run).
export const SEED = Number(
  process.env.STOCKROOM_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31),
);

/**
 * STOCKROOM_PROPERTY_TOLERATE_DEADLOCKS=1 counts PostgreSQL deadlocks instead of failing
 * on them, to look past one while hunting for everything else.
 */
const TOLERATE_DEADLOCKS = process.env.STOCKROOM_PROPERTY_TOLERATE_DEADLOCKS === '1';

/** What a run saw, by name: refusal codes and outcomes, to show the generator's reach. */
export interface Reach {
  refusals: Record<string, number>;
  outcomes: Record<string, number>;
}

export const emptyReach = (): Reach => ({ refusals: {}, outcomes: {} });

export const count = (record: Record<string, number>, key: string, n = 1) => {
  record[key] = (record[key] ?? 0) + n;
};

/** Adds one run's reach to the property's. */
export function addReach(into: Reach, from: Reach): void {
  for (const [code, n] of Object.entries(from.refusals)) count(into.refusals, code, n);
  for (const [what, n] of Object.entries(from.outcomes)) count(into.outcomes, what, n);
}

export function describeError(error: unknown): string {
  if (error instanceof AppError)
    return `${STATUS_OF_KIND[error.kind]} ${error.code} ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

export type Attempted<T> = { ok: true; value: T } | { ok: false; code: string };

/**
 * Runs a use case. A refusal must be a 4xx AppError this command may legitimately get
 * (`allowed`); anything else (a 5xx, a plain Error, a deadlock) fails the property, naming
 * the command.
 */
export async function attempt<T>(
  what: string,
  reach: Reach,
  allowed: readonly string[] | ((error: AppError) => boolean),
  body: () => Promise<T>,
): Promise<Attempted<T>> {
  try {
    return { ok: true, value: await body() };
  } catch (error) {
    if (TOLERATE_DEADLOCKS && (error as { code?: unknown }).code === '40P01') {
      count(reach.refusals, 'DEADLOCK (tolerated)');
      return { ok: false, code: 'DEADLOCK' };
    }
    const isAllowed = (e: AppError) =>
      typeof allowed === 'function' ? allowed(e) : allowed.includes(e.code);
    if (!(error instanceof AppError) || STATUS_OF_KIND[error.kind] >= 500 || !isAllowed(error)) {
      throw new Error(`Unexpected failure of ${what}: ${describeError(error)}`, { cause: error });
    }
    count(reach.refusals, error.code);
    return { ok: false, code: error.code };
  }
}

/**
 * Promise.all that waits for every promise before failing: a command still running after
 * the property failed would run into the next run's setup.
 */
export async function settled<T>(promises: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** The commands in batches of BATCH, in order. */
export function* batches<T>(commands: readonly T[]): Generator<T[]> {
  for (let start = 0; start < commands.length; start += BATCH) {
    yield commands.slice(start, start + BATCH);
  }
}

/** Where each run gets a clean database with a pool of BATCH connections. */
export interface RunDatabases {
  acquire(): Promise<TestDatabase>;
  release(database: TestDatabase): Promise<void>;
  close(): Promise<void>;
}

/**
 * A clean database for each run. SQLite opens a fresh file (fast). On PostgreSQL,
 * `reuseSchema` migrates one schema for every run and empties it before each (migrating a
 * fresh schema costs seconds); without it each run gets its own.
 */
export function runDatabases(
  target: TestDatabaseTarget,
  options: { reuseSchema: boolean },
): RunDatabases {
  let shared: TestDatabase | undefined;
  return {
    async acquire(): Promise<TestDatabase> {
      if (target.kind === 'sqlite' || !options.reuseSchema) {
        return target.open({ poolSize: BATCH });
      }
      if (!shared) {
        shared = await target.open({ poolSize: BATCH });
        return shared;
      }
      const tables = await sql<{ tablename: string }>`
        select tablename from pg_tables
        where schemaname = current_schema() and tablename not like 'kysely_migration%'`.execute(
        shared.db,
      );
      await sql`truncate ${sql.join(tables.rows.map((r) => sql.id(r.tablename)))} restart identity cascade`.execute(
        shared.db,
      );
      return shared;
    },
    async release(database: TestDatabase): Promise<void> {
      if (database !== shared) await database.drop();
    },
    async close(): Promise<void> {
      await shared?.drop();
    },
  };
}

/**
 * Runs `run` on every scenario the arbitrary generates, each on a clean database, prints
 * the seed and what the runs reached, and returns that reach for the caller's checks.
 */
export async function checkProperty<S>(
  t: TestContext,
  target: TestDatabaseTarget,
  options: {
    scenarios: fc.Arbitrary<S>;
    numRuns: number;
    reuseSchema: boolean;
    /** Runs one scenario; returns what it reached (its tally). */
    run: (database: TestDatabase, scenario: S) => Promise<Reach>;
    /** When the first failure is printed at once as well (shrinking may take long). */
    reportFirstFailure?: boolean;
    parameters?: fc.Parameters<[S]>;
  },
): Promise<Reach> {
  const seed = SEED;
  t.diagnostic(`fast-check seed ${seed} (replay with STOCKROOM_PROPERTY_SEED=${seed})`);
  const reach = emptyReach();
  const started = Date.now();
  const databases = runDatabases(target, { reuseSchema: options.reuseSchema });
  let reportedFailure = false;
  try {
    await fc.assert(
      fc.asyncProperty(options.scenarios, async (scenario) => {
        const database = await databases.acquire();
        try {
          addReach(reach, await options.run(database, scenario));
        } catch (error) {
          if (options.reportFirstFailure && !reportedFailure) {
            reportedFailure = true;
            console.error(`First failure (${database.kind}): ${describeError(error)}`);
          }
          throw error;
        } finally {
          await databases.release(database);
        }
      }),
      { ...options.parameters, numRuns: options.numRuns, seed, includeErrorInReport: true },
    );
  } finally {
    await databases.close();
  }
  t.diagnostic(`took ${Date.now() - started} ms`);
  t.diagnostic(`refusals seen: ${JSON.stringify(reach.refusals)}`);
  t.diagnostic(`outcomes: ${JSON.stringify(reach.outcomes)}`);
  return reach;
}

/**
 * Fails when the runs never reached one of `names`: if the generator stops reaching them,
 * the property silently tests less.
 */
export function assertReached(
  record: Record<string, number>,
  names: readonly string[],
  describe: (name: string) => string,
): void {
  for (const name of names) {
    assert.ok((record[name] ?? 0) > 0, `${describe(name)}: ${JSON.stringify(record)}`);
  }
}
