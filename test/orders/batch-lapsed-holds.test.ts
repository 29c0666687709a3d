import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHold } from '../../src/holds/create-hold.js';
import type { AppContext } from '../../src/kernel/context.js';
import { orderRequest } from '../../src/orders/order-answers.js';
import { placeBatch } from '../../src/orders/place-batch.js';
import { fixedClock } from '../../src/shared/clock.js';
import { TEST_NOW } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { ADMIN_PRINCIPAL, insertItem, insertWorld, putStock } from '../helpers/factories.js';

/**
 * A batch of orders (src/orders/place-batch.ts) on stock rows where a hold has lapsed: its
 * picture counts the lapsed units free, so the batch starts over, gives them back first
 * (the hold becomes expired) and then reserves them.
 */

for (const target of testDatabases()) {
  describe(`a batch meeting lapsed holds on ${target.kind}`, () => {
    it('releases the lapsed hold, then places the orders on its units', async () => {
      const database = await target.open();
      const ctx: AppContext = { db: database.db, dbKind: target.kind, clock: fixedClock(TEST_NOW) };
      try {
        await insertWorld(ctx);
        await insertItem(ctx, { sku: 'A' });
        await putStock(ctx, 'A', 'W1', 3);
        const hold = await createHold(
          ctx,
          { channel: 'web', lines: [{ sku: 'A', quantity: 3 }] },
          'test',
          undefined,
        );
        const past = new Date(Date.parse(TEST_NOW) - 1000).toISOString();
        await ctx.db.updateTable('holds').set({ expires_at: past }).execute();
        await ctx.db.updateTable('hold_lines').set({ expires_at: past }).execute();

        // Straight to the batch: an answer of undefined would mean "place it alone".
        const body = { channel: 'web', lines: [{ sku: 'A', quantity: 1 }] };
        const answers = await placeBatch(
          ctx,
          ['a', 'b', 'c'].map((key) => ({
            input: body,
            existingCustomer: null,
            request: orderRequest(ADMIN_PRINCIPAL.scope, key, body),
            actor: ADMIN_PRINCIPAL.actor,
          })),
        );
        assert.deepEqual(
          answers.map((a) => (a && 'placed' in a ? a.placed.order.lines[0]!.allocations : a)),
          [1, 2, 3].map(() => [{ location: 'W1', quantity: 1 }]),
        );
        const status = await ctx.db
          .selectFrom('holds')
          .select('status')
          .where('id', '=', hold.id)
          .executeTakeFirstOrThrow();
        assert.equal(status.status, 'expired');
        const held = await ctx.db.selectFrom('hold_lines').select('held').execute();
        assert.deepEqual(held, [{ held: 0 }]);
        const stock = await ctx.db.selectFrom('stock').select(['on_hand', 'reserved']).execute();
        assert.deepEqual(stock, [{ on_hand: 3, reserved: 3 }]);
      } finally {
        await database.drop();
      }
    });
  });
}
