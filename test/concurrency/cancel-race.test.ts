import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

/**
 * A receipt that fills a waiting line while the line's order is being cancelled. Found by
 * test/concurrency/orders-concurrency.test.ts (a cancel answered 409 CONSTRAINT_VIOLATION
 * on PostgreSQL with three servers). The cancel must act on the line as the receipt left
 * it. PostgreSQL only: SQLite runs one write transaction at a time from its first
 * statement (BEGIN IMMEDIATE), so nothing can commit in between there.
 *
 * To commit the receipt at the right moment, another connection holds the lock of the
 * order's first item: cancelling the whole order locks the order and reads its lines, then
 * waits for that lock; meanwhile the receipt, which needs only the second item, fills
 * line 2 and commits.
 */
for (const target of testDatabases().filter((d) => d.kind === 'postgres')) {
  describe(`cancelling while a receipt fills the line on ${target.kind}`, () => {
    let t: TestApp;
    let holder: pg.Client;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      holder = new pg.Client({ connectionString: t.database.url });
      await holder.connect();
    });
    afterEach(async () => {
      await holder.end();
      await t.close();
    });

    it('cancels the units the receipt has just reserved, and releases them', async () => {
      const first = await insertItem(t.ctx, { sku: 'FIRST' });
      await insertItem(t.ctx, { sku: 'SECOND', backorderPolicy: 'incoming' });
      await putStock(t.ctx, 'FIRST', 'W1', 1);
      const po = await insertPurchaseOrder(t.ctx, {
        supplier: await insertSupplier(t.ctx),
        location: 'W1',
        state: 'sent',
        lines: [{ sku: 'SECOND', ordered: 5, expectedDate: '2026-12-10' }],
      });
      const placed = await t.request({
        method: 'POST',
        url: '/v1/orders',
        headers: { 'idempotency-key': 'race-1' },
        body: {
          channel: 'web',
          lines: [
            { sku: 'FIRST', quantity: 1 },
            { sku: 'SECOND', quantity: 2, acceptBackorder: true },
          ],
        },
      });
      assert.equal(placed.statusCode, 201, placed.body);
      const orderId = json<{ id: number }>(placed).id;
      const firstId = (
        await t.ctx.db
          .selectFrom('items')
          .select('id')
          .where('sku', '=', first.sku)
          .executeTakeFirstOrThrow()
      ).id;

      await holder.query('begin');
      await holder.query('update items set updated_at = updated_at where id = $1', [firstId]);
      const cancelling = t.request({
        method: 'POST',
        url: `/v1/orders/${orderId}/cancel`,
        body: {},
      });
      // Until the cancel waits for the item lock the holder has.
      for (let i = 0; ; i++) {
        const { rows } = await holder.query(
          `select count(*)::int as n from pg_stat_activity
           where wait_event_type = 'Lock' and datname = current_database() and pid <> pg_backend_pid()`,
        );
        if (rows[0].n > 0) break;
        if (i > 500) throw new Error('the cancel never waited for the item lock');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const receipt = await t.request({
        method: 'POST',
        url: `/v1/purchase-orders/${po.id}/receipts`,
        key: t.staffKey,
        body: { receiptId: 'r1', lines: [{ line: po.lineIds[0], quantity: 2 }] },
      });
      assert.equal(receipt.statusCode, 201, receipt.body);
      await holder.query('commit');

      const cancelled = await cancelling;
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      const line = json<{
        lines: { line: number; allocated: number; backordered: number; cancelled: number }[];
      }>(cancelled).lines[1]!;
      assert.deepEqual(
        { allocated: line.allocated, backordered: line.backordered, cancelled: line.cancelled },
        { allocated: 0, backordered: 0, cancelled: 2 },
      );
      const stock = await t.ctx.db.selectFrom('stock').select('reserved').execute();
      assert.deepEqual(
        stock.map((r) => r.reserved),
        stock.map(() => 0),
        'nothing stays reserved for a cancelled order',
      );
    });
  });
}
