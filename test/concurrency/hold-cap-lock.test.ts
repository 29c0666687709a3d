import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../../src/db/schema.js';
import { lockChannelCap } from '../../src/holds/holds.repository.js';
import type { AppContext } from '../../src/kernel/context.js';
import { orderRequest } from '../../src/orders/order-answers.js';
import { placeBatch } from '../../src/orders/place-batch.js';
import { fixedClock } from '../../src/shared/clock.js';
import { TEST_NOW } from '../helpers/app.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';
import { ADMIN_PRINCIPAL, insertItem, insertWorld, putStock } from '../helpers/factories.js';

/**
 * A hold locks its channel's row to check the channel's cap, then reserves stock. An order
 * reserves stock, then inserts its row, whose foreign key takes a KEY SHARE lock on the
 * same channel row. Had the hold locked it FOR UPDATE, the order would wait for the hold
 * while holding the stock the hold wants next: a deadlock (seen in the orders property on
 * PostgreSQL). The hold's lock must leave the order's foreign-key check free.
 */
for (const target of testDatabases().filter((t) => t.kind === 'postgres')) {
  describe('a hold checking its channel cap does not block orders for the channel (postgres)', () => {
    let database: TestDatabase;
    let ctx: AppContext;
    before(async () => {
      database = await target.open({ poolSize: 4 });
      ctx = { db: database.db, dbKind: target.kind, clock: fixedClock(TEST_NOW) };
      await insertWorld(ctx);
      await insertItem(ctx, { sku: 'A' });
      await putStock(ctx, 'A', 'W1', 5);
    });
    after(() => database.drop());

    it('a batch of orders commits while a hold holds the channel lock', async () => {
      const web = await ctx.db
        .selectFrom('channels')
        .select('id')
        .where('code', '=', 'web')
        .executeTakeFirstOrThrow();
      const body = { channel: 'web', lines: [{ sku: 'A', quantity: 1 }] };
      const first = await ctx.db.transaction().execute(async (hold) => {
        await lockChannelCap(hold, web.id);
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(hold);
        const placing = placeBatch(
          ctx,
          ['a', 'b'].map((key) => ({
            input: body,
            existingCustomer: null,
            request: orderRequest(ADMIN_PRINCIPAL.scope, key, body),
            actor: ADMIN_PRINCIPAL.actor,
          })),
        );
        const watch = { done: false };
        const outcome = await Promise.race([
          placing.then(() => 'placed' as const),
          blockedBy(ctx.db, rows[0]!.pid, watch).then(() => 'blocked by the hold' as const),
        ]);
        watch.done = true;
        // Either way the batch finishes once the hold's transaction ends.
        void placing.catch(() => {});
        return outcome;
      });
      assert.equal(first, 'placed');
      const orders = await ctx.db.selectFrom('orders').select('id').execute();
      assert.equal(orders.length, 2);
    });
  });
}

/** Resolves once some backend waits for a lock held by backend `pid` (or when told to stop). */
async function blockedBy(db: Db, pid: number, watch: { done: boolean }): Promise<void> {
  while (!watch.done) {
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from pg_stat_activity where ${pid} = any(pg_blocking_pids(pid))`.execute(
      db,
    );
    if (Number(rows[0]!.n) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
