import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppContext } from '../../src/kernel/context.js';
import { GroupCommit } from '../../src/kernel/group-commit/group-commit.js';
import { replay } from '../../src/kernel/idempotency/idempotency.service.js';
import { orderRequest } from '../../src/orders/order-answers.js';
import { type OrderBatcher, orderBatcher } from '../../src/orders/order-batcher.js';
import type { PlaceOrderBody } from '../../src/orders/orders.schemas.js';
import { placeOrder } from '../../src/orders/place-order.js';
import type { RefusalRecord } from '../../src/orders/record-refusals.js';
import { fixedClock } from '../../src/shared/clock.js';
import { AppError } from '../../src/shared/errors.js';
import { TEST_NOW } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { ADMIN_PRINCIPAL, insertItem, insertWorld, putStock } from '../helpers/factories.js';

/**
 * Refusals recorded in batches (src/orders/record-refusals.ts): when the batch that would
 * write a refusal fails as a whole, the refusal is still recorded, alone, and answered.
 */

const settings = { maxBatch: 64, maxWaitMs: 0, maxInFlight: 1 };
const tooMany: PlaceOrderBody = { channel: 'web', lines: [{ sku: 'A', quantity: 5 }] };

for (const target of testDatabases()) {
  describe(`refusals recorded in batches on ${target.kind}`, () => {
    it('records a refusal alone when its batch fails as a whole', async () => {
      const database = await target.open();
      const ctx: AppContext = {
        db: database.db,
        dbKind: target.kind,
        clock: fixedClock(TEST_NOW),
      };
      try {
        await insertWorld(ctx);
        await insertItem(ctx, { sku: 'A' });
        await putStock(ctx, 'A', 'W1', 2);
        const failing = new GroupCommit<RefusalRecord, boolean | undefined>(
          async () => {
            throw new Error('connection lost');
          },
          settings,
          (records) => records.map(() => undefined),
        );
        const batcher: OrderBatcher = { ...orderBatcher(ctx, settings), refusals: failing };
        const refusal = await placeOrder(ctx, tooMany, 'alone', ADMIN_PRINCIPAL, batcher).then(
          () => assert.fail('placed'),
          (error: unknown) => error,
        );
        assert.ok(refusal instanceof AppError);
        assert.equal(refusal.code, 'ORDER_REFUSED');
        assert.equal(failing.stats.failed, 1, 'the refusal batch failed');
        const stored = await replay(ctx.db, orderRequest(ADMIN_PRINCIPAL.scope, 'alone', tooMany));
        assert.equal(stored?.status, 409, 'the refusal is stored as the key’s answer');
        const lost = await ctx.db.selectFrom('lost_demand').select(['quantity']).execute();
        assert.deepEqual(lost, [{ quantity: 5 }]);
      } finally {
        await database.drop();
      }
    });
  });
}
