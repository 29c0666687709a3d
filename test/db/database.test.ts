import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../../src/db/migrate.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';

for (const target of testDatabases()) {
  describe(`database set-up (${target.kind})`, () => {
    it('migrates an up-to-date database without applying anything again', async () => {
      const database = await target.open();
      try {
        assert.deepEqual(await migrateToLatest(database.db), []);
      } finally {
        await database.drop();
      }
    });

    it('refuses a database migrated by a newer release instead of taking it as up to date', async () => {
      const database = await target.open();
      try {
        await sql`insert into kysely_migration (name, timestamp) values ('9999_from_the_future', '2027-01-01T00:00:00.000Z')`.execute(
          database.db,
        );
        await assert.rejects(migrateToLatest(database.db), /9999_from_the_future/);
      } finally {
        await database.drop();
      }
    });

    if (target.kind === 'postgres') {
      // src/db/server-prepared.ts: what the server's own view of the session says.
      const preparedOn = async (database: TestDatabase) => {
        const { rows } = await sql<{ name: string; statement: string }>`
          select name, statement from pg_prepared_statements`.execute(database.db);
        return rows;
      };
      const REPEATED = 'select $1::int + 1 as next';

      it('runs a parameterised statement it has seen a few times as a named statement', async () => {
        const database = await target.open({ poolSize: 1 });
        try {
          for (let n = 0; n < 5; n++) {
            const { rows } = await database.db.executeQuery<{ next: number }>(
              CompiledQuery.raw(REPEATED, [n]),
            );
            assert.equal(rows[0]!.next, n + 1);
          }
          const named = (await preparedOn(database)).filter((r) => r.statement === REPEATED);
          assert.equal(named.length, 1);
          assert.match(named[0]!.name, /^stockroom_\d+$/);
        } finally {
          await database.drop();
        }
      });

      it('names no statement with STOCKROOM_PG_NAMED_STATEMENTS=off', async () => {
        const database = await target.open({ poolSize: 1, pgNamedStatements: false });
        try {
          for (let n = 0; n < 5; n++) {
            await database.db.executeQuery(CompiledQuery.raw(REPEATED, [n]));
          }
          assert.deepEqual(await preparedOn(database), []);
        } finally {
          await database.drop();
        }
      });

      it('keeps working when a table a named statement reads changes shape', async () => {
        const database = await target.open({ poolSize: 1 });
        try {
          await database.alter(() =>
            sql`create table shape_test (id integer)`.execute(database.db),
          );
          await sql`insert into shape_test (id) values (1)`.execute(database.db);
          const SELECT_ALL = 'select * from shape_test where id = $1';
          const read = () =>
            database.db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(SELECT_ALL, [1]));
          for (let n = 0; n < 4; n++) assert.deepEqual((await read()).rows, [{ id: 1 }]);
          assert.ok((await preparedOn(database)).some((r) => r.statement === SELECT_ALL));
          await database.alter(() =>
            sql`alter table shape_test add column note text`.execute(database.db),
          );
          // PostgreSQL refuses the stale named statement; the text runs unnamed from now on.
          assert.deepEqual((await read()).rows, [{ id: 1, note: null }]);
          assert.deepEqual((await read()).rows, [{ id: 1, note: null }]);
        } finally {
          await database.drop();
        }
      });

      it('survives PostgreSQL dropping an idle pooled connection', async () => {
        const database = await target.open({ poolSize: 1 });
        try {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(
            database.db,
          );
          const admin = new pg.Client({
            connectionString: process.env.STOCKROOM_TEST_POSTGRES_URL,
          });
          await admin.connect();
          try {
            await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
          } finally {
            await admin.end();
          }
          // The pool's 'error' event must not end the process, and the next query reconnects.
          await new Promise((resolve) => setTimeout(resolve, 200));
          const after = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(
            database.db,
          );
          assert.notEqual(after.rows[0]!.pid, rows[0]!.pid);
        } finally {
          await database.drop();
        }
      });
    }
  });
}
