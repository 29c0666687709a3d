import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isUniqueViolation } from '../../src/db/errors.js';
import {
  claimWithAnswers,
  IdempotencyKeyReusedError,
  type IdempotentRequest,
  ReplayedRefusal,
  recordAnswer,
  refusalAnswer,
  replay,
  sameRequest,
  unlessRefusal,
} from '../../src/kernel/idempotency/idempotency.service.js';
import { ConflictError } from '../../src/shared/errors.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';

/**
 * The kernel's one idempotency API, as orders (place order), receipts and fulfilments use
 * it: replay a stored answer, store one with the effect, claim a key once.
 */

const NOW = '2026-01-01T00:00:00.000Z';
const request = (key: string, requestHash = 'h1'): IdempotentRequest => ({
  scope: 'key:1',
  key,
  requestHash,
});

describe('sameRequest', () => {
  const conflict = () => new ConflictError('SAME_ID_CONFLICT', 'another request', {});

  it('answers nothing when nothing was recorded', () => {
    assert.equal(sameRequest(undefined, 3, conflict), undefined);
  });

  it('answers the recorded document for the same request, whatever its property order', () => {
    const stored = { request: { a: 1, b: [2, 3] }, id: 7 };
    assert.equal(sameRequest(stored, { b: [2, 3], a: 1 }, conflict), stored);
  });

  it("throws the caller's conflict for another request", () => {
    assert.throws(
      () => sameRequest({ request: 2 }, 3, conflict),
      (e) => e instanceof ConflictError && e.code === 'SAME_ID_CONFLICT',
    );
  });
});

describe('unlessRefusal', () => {
  it('passes a success through and raises a stored refusal with its status', () => {
    const ok = { status: 201, body: { id: 1 } };
    assert.equal(unlessRefusal(ok), ok);
    const refused = refusalAnswer(409, new ConflictError('REFUSED', 'no', { line: 1 }));
    assert.throws(
      () => unlessRefusal(refused),
      (e) =>
        e instanceof ReplayedRefusal &&
        e.storedStatus === 409 &&
        e.code === 'REFUSED' &&
        e.message === 'no' &&
        (e.details as { line: number }).line === 1,
    );
  });
});

for (const target of testDatabases()) {
  describe(`idempotency keys in the kernel (${target.kind})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await target.open();
    });
    after(() => database.drop());

    it('replays an answer recorded with its effect, and refuses the key for another body', async () => {
      const db = database.db;
      assert.equal(await replay(db, request('a')), undefined);
      await db
        .transaction()
        .execute((trx) => recordAnswer(trx, request('a'), { status: 201, body: { n: 1 } }, NOW));
      assert.deepEqual(await replay(db, request('a')), { status: 201, body: { n: 1 } });
      await assert.rejects(replay(db, request('a', 'h2')), IdempotencyKeyReusedError);
    });

    it('fails recording an answer for a key already taken with a unique violation', async () => {
      const db = database.db;
      const answer = { status: 201, body: {} };
      await db.transaction().execute((trx) => recordAnswer(trx, request('b'), answer, NOW));
      await assert.rejects(
        db.transaction().execute((trx) => recordAnswer(trx, request('b'), answer, NOW)),
        (e) => isUniqueViolation(e),
      );
    });

    it('claims a key with its answer once; the first answer stands', async () => {
      const db = database.db;
      const first = { status: 409, body: { code: 'X', message: 'x', details: {} } };
      const claim = (body: unknown) =>
        db
          .transaction()
          .execute((trx) =>
            claimWithAnswers(trx, [{ request: request('c'), answer: { status: 409, body } }], NOW),
          );
      assert.deepEqual(await claim(first.body), [true]);
      assert.deepEqual(await claim({ code: 'Y', message: 'y', details: {} }), [false]);
      assert.deepEqual(await replay(db, request('c')), first);
    });

    it('claims many keys in one statement: each once, the first copy in the list winning', async () => {
      const db = database.db;
      const answer = (code: string) => ({
        status: 409,
        body: { code, message: code, details: {} },
      });
      await db
        .transaction()
        .execute((trx) =>
          claimWithAnswers(trx, [{ request: request('d'), answer: answer('D') }], NOW),
        );
      const claimed = await db.transaction().execute((trx) =>
        claimWithAnswers(
          trx,
          [
            { request: request('f'), answer: answer('F1') },
            { request: request('d'), answer: answer('D2') },
            { request: request('e'), answer: answer('E') },
            { request: request('f'), answer: answer('F2') },
          ],
          NOW,
        ),
      );
      assert.deepEqual(claimed, [true, false, true, false]);
      assert.deepEqual(await replay(db, request('d')), answer('D'));
      assert.deepEqual(await replay(db, request('f')), answer('F1'));
      assert.deepEqual(await replay(db, request('e')), answer('E'));
    });
  });
}
