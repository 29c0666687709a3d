import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Answer, IdempotentRequest } from '../kernel/idempotency/idempotency.service.js';

/**
 * An order's answer stored under its Idempotency-Key in the very statement that takes the
 * key: placing an order costs one statement for it, not a claim and then an update.
 * Reading an answer back is the kernel's (findAnswer). Same signatures as the kernel's
 * recordAnswer / claimWithAnswer, which are to replace these.
 */

const valuesOf = (request: IdempotentRequest, answer: Answer, now: string) => ({
  scope: request.scope,
  key: request.key,
  request_hash: request.requestHash,
  status_code: answer.status,
  response: JSON.stringify(answer.body),
  created_at: now,
});

/** A key already taken raises the unique violation its caller answers from. */
export async function recordAnswer(
  trx: Transaction<DB>,
  request: IdempotentRequest,
  answer: Answer,
  now: string,
): Promise<void> {
  await trx
    .insertInto('idempotency_keys')
    .values(valuesOf(request, answer, now))
    .execute();
}

/**
 * False when the key is taken. On PostgreSQL a copy of the request still running holds the
 * key uncommitted: this waits for it to commit (false) or roll back (the key is claimed).
 */
export async function claimWithAnswer(
  trx: Transaction<DB>,
  request: IdempotentRequest,
  answer: Answer,
  now: string,
): Promise<boolean> {
  const claimed = await trx
    .insertInto('idempotency_keys')
    .values(valuesOf(request, answer, now))
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return claimed !== undefined;
}
