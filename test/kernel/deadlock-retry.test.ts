import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { transactionWithAnswer } from '../../src/kernel/idempotency/idempotency.service.js';
import { systemClock } from '../../src/shared/clock.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';
import { insertWorld } from '../helpers/factories.js';

/**
 * Two transactions that lock the same two rows in opposite orders: PostgreSQL aborts one
 * (40P01), and transactionWithAnswer runs it again instead of failing the request.
 */
for (const target of testDatabases().filter((t) => t.kind === 'postgres')) {
  describe('transactions aborted by a deadlock are run again (postgres)', () => {
    let database: TestDatabase;
    before(async () => {
      database = await target.open({ poolSize: 4 });
    });
    after(() => database.drop());

    it('both writers commit; the victim ran twice', async () => {
      const ctx = { db: database.db, dbKind: database.kind, clock: systemClock };
      await insertWorld(ctx);
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
      const touch = (trx: Parameters<Parameters<typeof transactionWithAnswer>[2]>[0], id: number) =>
        sql`update locations set name = name where id = ${id}`.execute(trx);
      const writer = (name: 'a' | 'b', one: number, other: number) =>
        transactionWithAnswer(ctx, undefined, async (trx) => {
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
  });
}
