import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB, Db } from '../../db/schema.js';
import { writeTransaction } from '../../db/write-transaction.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import { AppError } from '../../shared/errors.js';
import type { AppContext } from '../context.js';
import * as repo from './idempotency.repository.js';

/**
 * One write request that carried an Idempotency-Key, as the HTTP layer hands it to a use
 * case. `scope` is whose key it is (one API key's), so two integrators never share a key.
 */
export interface IdempotentRequest {
  scope: string;
  key: string;
  /** Hash of method, route pattern, path parameters and canonical body. */
  requestHash: string;
}

/** What a request was answered: replayed as is for a retry with the same key. */
export interface Answer {
  status: number;
  body: unknown;
}

/**
 * Thrown when a copy of the same request committed its answer while this one waited for
 * the key: the HTTP layer answers with it (see src/http/idempotency.ts).
 */
export class AnswerReplayed extends Error {
  constructor(readonly answer: Answer) {
    super('answered by an earlier request with the same Idempotency-Key');
  }
}

export class IdempotencyKeyReusedError extends AppError {
  constructor(key: string) {
    // Same code and wording as orders (src/orders/orders.service.ts) use.
    super(
      'unprocessable',
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for a different request',
      {
        idempotencyKey: key,
      },
    );
  }
}

/**
 * A refusal stored as a key's answer, raised again for a retry with the same key and body:
 * answered with the stored status, whatever kind of failure it was first.
 */
export class ReplayedRefusal extends AppError {
  readonly replayed = true;
  constructor(
    readonly storedStatus: number,
    code: string,
    message: string,
    details: Record<string, unknown>,
  ) {
    super('conflict', code, message, details);
  }
}

/** Key order in the body does not matter; anything else that differs is another request. */
export function hashRequest(request: {
  method: string;
  route: string;
  params: unknown;
  body: unknown;
}): string {
  return createHash('sha256')
    .update(
      canonicalJson([request.method, request.route, request.params ?? {}, request.body ?? null]),
    )
    .digest('hex');
}

function answerOf(row: repo.StoredAnswerRow, request: IdempotentRequest): Answer {
  if (row.request_hash !== request.requestHash) throw new IdempotencyKeyReusedError(request.key);
  return { status: row.status_code, body: JSON.parse(row.response) as unknown };
}

/**
 * The answer stored for this request's key, if any; 422 (IdempotencyKeyReusedError) if the
 * key was used for another request. Any status is returned as stored: a use case that
 * stores refusals raises them again with `unlessRefusal`.
 */
export async function replay(db: Db, request: IdempotentRequest): Promise<Answer | undefined> {
  const row = await repo.findAnswer(db, request.scope, request.key);
  return row ? answerOf(row, request) : undefined;
}

/**
 * The answer already stored for this key, if any (422 if the key was used for another
 * request). Read before running a use case so that most retries cost one look-up.
 */
export function storedAnswer(
  ctx: AppContext,
  request: IdempotentRequest,
): Promise<Answer | undefined> {
  return replay(ctx.db, request);
}

/** A refusal as a key's answer: what the error handler would send, to send again. */
export function refusalAnswer(status: number, error: AppError): Answer {
  return { status, body: { code: error.code, message: error.message, details: error.details } };
}

/** A stored refusal (status 400 or more) raised again as a ReplayedRefusal; any other answer as is. */
export function unlessRefusal(answer: Answer): Answer {
  if (answer.status < 400) return answer;
  const error = answer.body as { code: string; message: string; details: object };
  throw new ReplayedRefusal(answer.status, error.code, error.message, { ...error.details });
}

const rowOf = (request: IdempotentRequest, answer: Answer, now: string): repo.AnswerRow => ({
  ...request,
  now,
  status: answer.status,
  response: JSON.stringify(answer.body),
});

/**
 * Stores the answer with the key, in the transaction of the effect it answers. A key
 * already taken (by a concurrent copy that committed first) fails with a unique violation
 * (isUniqueViolation): the caller rolls back and replays the stored answer.
 */
export function recordAnswer(
  trx: Transaction<DB>,
  request: IdempotentRequest,
  answer: Answer,
  now: string,
): Promise<void> {
  return repo.insertAnswer(trx, rowOf(request, answer, now));
}

/**
 * Stores each answer with its key unless the key is taken, all in one statement: for each
 * request, false when its key was taken (by a concurrent copy, or by an earlier copy in the
 * same list), and the stored answer stands (read it with `replay`). For answers whose side
 * effects must happen once, e.g. a refusal counted as lost demand: write those only for the
 * requests that got true. Keys are inserted in one order, so two such lists never deadlock.
 */
export async function claimWithAnswers(
  trx: Transaction<DB>,
  answered: readonly { request: IdempotentRequest; answer: Answer }[],
  now: string,
): Promise<boolean[]> {
  const keyOf = (r: IdempotentRequest) => `${r.scope} ${r.key}`;
  const firsts = new Map<string, number>();
  for (const [i, { request }] of answered.entries()) {
    if (!firsts.has(keyOf(request))) firsts.set(keyOf(request), i);
  }
  const rows = [...firsts.values()]
    .map((i) => rowOf(answered[i]!.request, answered[i]!.answer, now))
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const stored = await repo.claimKeys(trx, rows);
  return answered.map(
    ({ request }, i) => firsts.get(keyOf(request)) === i && stored.has(keyOf(request)),
  );
}

/** The requests whose keys were already taken: their answers stand, and nothing of theirs may commit. */
export class KeysTaken extends Error {
  constructor(readonly requests: readonly IdempotentRequest[]) {
    super('Idempotency-Keys already taken');
  }
}

/**
 * Stores each request's answer with its key, all in one statement, in the transaction of
 * the effects they answer (a batch of orders). If any key was taken meanwhile, throws
 * KeysTaken naming them: the caller rolls back and writes the batch again without them.
 */
export async function recordAnswers(
  trx: Transaction<DB>,
  answered: readonly { request: IdempotentRequest; answer: Answer }[],
  now: string,
): Promise<void> {
  const stored = await repo.claimKeys(
    trx,
    answered.map(({ request, answer }) => rowOf(request, answer, now)),
  );
  throwIfTaken(
    answered.map((a) => a.request),
    stored,
  );
}

/** The idempotency_keys rows recordAnswers writes, for a caller that writes them itself. */
export function answerRows(
  answered: readonly { request: IdempotentRequest; answer: Answer }[],
  now: string,
) {
  return answered.map(({ request, answer }) => repo.answerValues(rowOf(request, answer, now)));
}

/** KeysTaken for the requests whose keys are not among those stored (`scope key`). */
export function throwIfTaken(
  requests: readonly IdempotentRequest[],
  stored: ReadonlySet<string>,
): void {
  const taken = requests.filter((r) => !stored.has(`${r.scope} ${r.key}`));
  if (taken.length > 0) throw new KeysTaken(taken);
}

/**
 * A document id the client chose (a receipt id, a fulfilment id) sent again: with the same
 * request it gets what was recorded, with another one the caller's conflict error. Requests
 * compare as canonical JSON, so property order does not matter.
 */
export function sameRequest<S extends { request: unknown }>(
  stored: S | undefined,
  request: unknown,
  conflict: (stored: S) => Error,
): S | undefined {
  if (stored === undefined) return undefined;
  if (canonicalJson(stored.request) !== canonicalJson(request)) throw conflict(stored);
  return stored;
}

/**
 * Runs a use case's effect in one transaction and, when the request carried a key,
 * records its answer in that same transaction: the effect and the key commit together
 * or not at all. The key is claimed first, so a concurrent copy of the request waits for
 * this one and then replays its answer (AnswerReplayed) instead of applying the effect
 * again. A use case that fails rolls back and leaves no key: a retry runs it afresh, and
 * a deadlock victim is run again at once (writeTransaction).
 *
 * `answer` turns the result into what the route sends; by default 201 with the result.
 */
export function transactionWithAnswer<T>(
  ctx: AppContext,
  request: IdempotentRequest | undefined,
  run: (trx: Transaction<DB>) => Promise<T>,
  answer: (result: T) => Answer = (result) => ({ status: 201, body: result }),
): Promise<T> {
  return writeTransaction(ctx.db, async (trx) => {
    if (!request) return run(trx);
    const { scope, key } = request;
    const claimed = await repo.claimKey(trx, { ...request, now: ctx.clock.now().toISOString() });
    if (!claimed) {
      // Committed by the copy we waited for (a new statement sees it on PostgreSQL).
      const row = await repo.findAnswer(trx, scope, key);
      if (!row) throw new Error(`Idempotency-Key ${key} neither claimed nor answered`);
      throw new AnswerReplayed(answerOf(row, request));
    }
    const result = await run(trx);
    const { status, body } = answer(result);
    await repo.storeAnswer(trx, { scope, key, status, response: JSON.stringify(body) });
    return result;
  });
}
