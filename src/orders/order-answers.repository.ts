import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

/**
 * An order's answer stored under its Idempotency-Key in the very statement that takes the
 * key: placing an order costs one statement for it, not a claim and then an update.
 * Reading an answer back is the kernel's (findAnswer).
 */

export interface OrderAnswer {
  scope: string;
  key: string;
  requestHash: string;
  status: number;
  response: string;
  now: string;
}

const valuesOf = (answer: OrderAnswer) => ({
  scope: answer.scope,
  key: answer.key,
  request_hash: answer.requestHash,
  status_code: answer.status,
  response: answer.response,
  created_at: answer.now,
});

/** A key already taken raises the unique violation its caller answers from. */
export async function recordAnswer(trx: Transaction<DB>, answer: OrderAnswer): Promise<void> {
  await trx.insertInto('idempotency_keys').values(valuesOf(answer)).execute();
}

/**
 * False when the key is taken. On PostgreSQL a copy of the request still running holds the
 * key uncommitted: this waits for it to commit (false) or roll back (the key is claimed).
 */
export async function claimWithAnswer(trx: Transaction<DB>, answer: OrderAnswer): Promise<boolean> {
  const claimed = await trx
    .insertInto('idempotency_keys')
    .values(valuesOf(answer))
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return claimed !== undefined;
}
