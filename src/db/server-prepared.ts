import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/**
 * PostgreSQL plans an unnamed statement afresh on every run. For the hot reads (a stock
 * read net of lapsed holds, the open-supply union, an order batch's stock picture) the
 * parse and plan took five to ten times longer than the execution (0.3–0.7 ms against
 * 0.02–0.1 ms, read from the server's statement log during the benchmarks), on the same
 * two cores the service needs.
 *
 * So, as PostgreSQL's JDBC driver does (prepareThreshold=5), a parameterised statement
 * whose text has run a few times runs as a named statement from then on: each connection
 * parses it once, and after five runs PostgreSQL keeps a generic plan if it is no costlier
 * than planning afresh. Texts are the query builder's, with every value a parameter, so
 * the set of texts is the set of statement shapes; a cap keeps an unexpected stream of
 * shapes from growing every connection's memory.
 */
const RUNS_BEFORE_NAMING = 3;
const MOST_NAMES = 500;
const MOST_COUNTED = 5_000;

const names = new Map<string, string>();
const runs = new Map<string, number>();
/** Texts whose named statement went stale (see retired): never named again. */
const retired = new Set<string>();

function nameFor(text: string, values: readonly unknown[] | undefined): string | undefined {
  const name = names.get(text);
  if (name !== undefined || !values?.length || names.size >= MOST_NAMES) return name;
  if (retired.has(text)) return undefined;
  const seen = (runs.get(text) ?? 0) + 1;
  if (seen < RUNS_BEFORE_NAMING) {
    if (runs.size >= MOST_COUNTED) runs.clear();
    runs.set(text, seen);
    return undefined;
  }
  runs.delete(text);
  const named = `stockroom_${names.size + 1}`;
  names.set(text, named);
  return named;
}

/** The pool Kysely is given: the same connections, repeated statements run by name. */
export function namedStatementPool(pool: pg.Pool): PostgresPool {
  return {
    async connect() {
      const client = await pool.connect();
      const named: Pick<pg.PoolClient, 'query' | 'release'> = {
        query(text: unknown, values?: unknown[]) {
          // A cursor (a streamed read) goes through unchanged.
          const name = typeof text === 'string' ? nameFor(text, values) : undefined;
          if (name === undefined) return client.query(text as never, values);
          return client.query({ name, text: text as string, values }).catch((error) => {
            if (!isStalePlan(error)) throw error;
            retire(text as string);
            // Outside a transaction the statement simply runs again, unnamed; inside one
            // the transaction has failed, and whoever runs it again runs it unnamed.
            if (client.getTransactionStatus() !== 'I') throw error;
            return client.query(text as string, values);
          });
        },
        release: (destroy?: boolean) => client.release(destroy),
      } as Pick<pg.PoolClient, 'query' | 'release'>;
      return named as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}

/**
 * A table a named statement reads changed shape under it (a migration of a newer release
 * applied while this process runs): PostgreSQL then refuses the statement on every
 * connection that prepared it. The text is not named again, so the process keeps working
 * with a fresh plan each time until it restarts.
 */
function isStalePlan(error: unknown): boolean {
  return (
    (error as { code?: string }).code === '0A000' &&
    /cached plan must not change result type/.test((error as Error).message)
  );
}

function retire(text: string): void {
  names.delete(text);
  retired.add(text);
}
