import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../src/db/schema.js';
import { writeTransaction } from '../../src/db/write-transaction.js';
import { transactionWithAnswer } from '../../src/kernel/idempotency/idempotency.service.js';
import { systemClock } from '../../src/shared/clock.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';
import { insertWorld } from '../helpers/factories.js';

/**
 * Two transactions that lock the same two rows in opposite orders: PostgreSQL aborts one
 * (40P01), and writeTransaction (which transactionWithAnswer and the stock writers use)
 * runs it again instead of failing the request.
 */
type Transact = <T>(run: (trx: Transaction<DB>) => Promise<T>) => Promise<T>;

for (const target of testDatabases().filter((t) => t.kind === 'postgres')) {
  describe('transactions aborted by a deadlock are run again (postgres)', () => {
    let database: TestDatabase;
    before(async () => {
      database = await target.open({ poolSize: 4 });
      await insertWorld({ db: database.db, dbKind: database.kind, clock: systemClock });
    });
    after(() => database.drop());

    const withAnswer: Transact = (run) =>
      transactionWithAnswer(
        { db: database.db, dbKind: database.kind, clock: systemClock },
        undefined,
        run,
      );
    const plain: Transact = (run) => writeTransaction(database.db, run);
    for (const [name, transact] of [
      ['transactionWithAnswer', withAnswer],
      ['writeTransaction', plain],
    ] as const) {
      it(`${name}: both writers commit; the victim ran twice`, async () => {
        const [first, second] = await database.db
          .selectFrom('locations')
          .select('id')
          .orderBy('id')
          .limit(2)
          .execute();
        let bothHoldOne!: () => void;
        let holding = 0;
        const crossed = new Promise<void>((resolve) => {
          bothHoldOne = resolve;
        });
        const runs = { a: 0, b: 0 };
        const touch = (trx: Transaction<DB>, id: number) =>
          sql`update locations set name = name where id = ${id}`.execute(trx);
        const writer = (name: 'a' | 'b', one: number, other: number) =>
          transact(async (trx) => {
            runs[name]++;
            await touch(trx, one);
            if (++holding === 2) bothHoldOne();
            await crossed;
            await touch(trx, other);
            return name;
          });
        const results = await Promise.all([
          writer('a', first!.id, second!.id),
          writer('b', second!.id, first!.id),
        ]);
        assert.deepEqual(results, ['a', 'b']);
        assert.equal(runs.a + runs.b, 3, `one deadlock victim ran again: ${JSON.stringify(runs)}`);
      });
    }
  });
}
