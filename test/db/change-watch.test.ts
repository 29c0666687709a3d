import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createChangeWatch } from '../../src/db/change-watch.js';
import { systemClock } from '../../src/shared/clock.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';
import { insertWorld } from '../helpers/factories.js';

/**
 * On SQLite the key and channel caches follow a counter row that migration 0016's
 * triggers bump in the writing transaction (src/db/change-watch.ts). A read of it must see
 * what was committed and nothing a transaction of this process might still roll back: a
 * counter seen moving and then moving back could later match data read before a real
 * change.
 */
for (const target of testDatabases().filter((t) => t.kind === 'sqlite')) {
  describe('the SQLite change watch', () => {
    let database: TestDatabase;
    before(async () => {
      database = await target.open();
      await insertWorld({ db: database.db, dbKind: database.kind, clock: systemClock });
    });
    after(() => database.drop());

    const touchChannels = (db: TestDatabase['db']) =>
      db.updateTable('channels').set({ name: 'Renamed' }).where('code', '=', 'web').execute();

    it('moves on a committed change to channels, for both topics', async () => {
      const watch = createChangeWatch({ db: database.db, kind: 'sqlite', log: { warn() {} } });
      const keys = await watch.generation('keys');
      const channels = await watch.generation('channels');
      await touchChannels(database.db);
      assert.ok((await watch.generation('keys'))! > keys!);
      assert.ok((await watch.generation('channels'))! > channels!);
    });

    it('never reports a bump still inside an open transaction, which then rolls back', async () => {
      const watch = createChangeWatch({ db: database.db, kind: 'sqlite', log: { warn() {} } });
      const committed = await watch.generation('keys');
      let seen: Promise<number | null> | undefined;
      await assert.rejects(
        database.db.transaction().execute(async (trx) => {
          await touchChannels(trx);
          // Asked while the bump is uncommitted; answered only once the transaction is over.
          seen = watch.generation('keys');
          throw new Error('roll back');
        }),
        /roll back/,
      );
      assert.equal(await seen, committed);
      assert.equal(await watch.generation('keys'), committed);
    });
  });
}
