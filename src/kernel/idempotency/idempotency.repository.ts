import type { Transaction } from 'kysely';
import type { DB, Db } from '../../db/schema.js';

export interface StoredAnswerRow {
  request_hash: string;
  status_code: number;
  response: string;
}

export function findAnswer(
  db: Db,
  scope: string,
  key: string,
): Promise<StoredAnswerRow | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status_code', 'response'])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
}

export interface AnswerRow {
  scope: string;
  key: string;
  requestHash: string;
  now: string;
  /** Left out to claim the key before the answer is known (storeAnswer fills it in). */
  status?: number;
  response?: string;
}

/** The idempotency_keys row of an answer. */
export const answerValues = (row: AnswerRow) => ({
  scope: row.scope,
  key: row.key,
  request_hash: row.requestHash,
  // Never seen by anyone when left out: the answer replaces it in the same transaction.
  status_code: row.status ?? 0,
  response: row.response ?? '',
  created_at: row.now,
});

/**
 * Inserts the key (with its answer, or none yet), or does nothing if it is taken. On
 * PostgreSQL a copy of the request still running holds the row uncommitted: this statement
 * waits for it to commit (and then does nothing) or roll back (and then claims the key).
 */
export async function claimKey(trx: Transaction<DB>, row: AnswerRow): Promise<boolean> {
  const claimed = await trx
    .insertInto('idempotency_keys')
    .values(answerValues(row))
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return claimed !== undefined;
}

/** Inserts the key with its answer; a key already taken fails with a unique violation. */
export async function insertAnswer(trx: Transaction<DB>, row: AnswerRow): Promise<void> {
  await trx.insertInto('idempotency_keys').values(answerValues(row)).execute();
}

export async function storeAnswer(
  trx: Transaction<DB>,
  row: { scope: string; key: string; status: number; response: string },
): Promise<void> {
  await trx
    .updateTable('idempotency_keys')
    .set({ status_code: row.status, response: row.response })
    .where('scope', '=', row.scope)
    .where('key', '=', row.key)
    .execute();
}

/**
 * Stores many keys with their answers in one statement, skipping keys already taken
 * (committed, or on PostgreSQL held by a transaction still running, which this waits for).
 * Returns the keys it stored, as `scope key`.
 */
export async function claimKeys(
  trx: Transaction<DB>,
  rows: readonly AnswerRow[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const claimed = await trx
    .insertInto('idempotency_keys')
    .values(rows.map(answerValues))
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning(['scope', 'key'])
    .execute();
  return new Set(claimed.map((r) => `${r.scope} ${r.key}`));
}
