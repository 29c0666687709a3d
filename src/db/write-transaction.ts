import type { Kysely, Transaction } from 'kysely';
import { isDeadlock } from './errors.js';
import type { DB } from './schema.js';

/** Runs after the first abort; a third deadlock in a row is a fault worth seeing. */
const DEADLOCK_RETRIES = 2;

/**
 * One write transaction, run again when PostgreSQL aborted it to break a lock cycle
 * (40P01): it wrote nothing, so the run is simply made afresh. Writers take stock rows in
 * one fixed order, but some cross other rows on the way (an order's row touched after its
 * stock, an item's promise lock), and a cycle through those must not reach the client as
 * a fault. `run` must keep its effects inside the transaction. SQLite never deadlocks.
 */
export async function writeTransaction<T>(
  db: Kysely<DB>,
  run: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(run);
    } catch (error) {
      if (!isDeadlock(error) || attempt > DEADLOCK_RETRIES) throw error;
    }
  }
}
