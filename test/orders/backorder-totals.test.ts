import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { up as itemPromisesUp } from '../../src/db/migrations/0012_item_promises.js';
import type * as stock from '../../src/inventory/stock.schemas.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { orderKit } from '../helpers/orders.js';
import type { Body } from '../helpers/responses.js';
import { insertSupplier } from '../helpers/supply-factories.js';

/**
 * Issue 14: each item's lead-time promises are a running total (item_promises) moved with
 * its pegs, so a new backorder does not sum the queue. These tests hold the total to the
 * sum of the pegs through every path that moves lead-time pegs, and the audit to
 * reporting any counter that drifts from its pegs.
 */

type Audit = Body<typeof stock.AuditReport>;

for (const target of testDatabases()) {
  describe(`backorder running totals (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, {
        sku: 'LT',
        backorderPolicy: 'lead_time',
        backorderCap: 10,
        handlingDays: 1,
      });
      await insertSupplier(t.ctx, 'SLOW');
      await supplies('SLOW', 'LT', 7);
    });
    afterEach(async () => {
      await t.close();
    });

    const { placed, cancel, supplies, refusedOrder, supplierPo } = orderKit(() => t);
    const backorder = (quantity: number) =>
      placed({ channel: 'web', lines: [{ sku: 'LT', quantity, acceptBackorder: true }] });

    async function itemId(): Promise<number> {
      const row = await t.ctx.db
        .selectFrom('items')
        .select('id')
        .where('sku', '=', 'LT')
        .executeTakeFirstOrThrow();
      return row.id;
    }

    /** The stored total and the sum of the item's lead-time pegs. */
    async function totals(): Promise<{ recorded: number; pegged: number }> {
      const id = await itemId();
      const row = await t.ctx.db
        .selectFrom('item_promises')
        .select('lead_time_promised')
        .where('item_id', '=', id)
        .executeTakeFirst();
      const pegs = await t.ctx.db
        .selectFrom('backorder_pegs')
        .select('quantity')
        .where('item_id', '=', id)
        .where('purchase_order_line_id', 'is', null)
        .where('transfer_id', 'is', null)
        .execute();
      return {
        recorded: row?.lead_time_promised ?? 0,
        pegged: pegs.reduce((s, p) => s + p.quantity, 0),
      };
    }

    async function audit(): Promise<Audit> {
      const response = await t.request({ method: 'GET', url: '/v1/stock/audit' });
      assert.equal(response.statusCode, 200, response.body);
      return json<Audit>(response);
    }

    it('moves with placing, the cap, cancelling and an arrival, and the audit stays clean', async () => {
      const first = await backorder(3);
      await backorder(4);
      assert.deepEqual(await totals(), { recorded: 7, pegged: 7 });
      // The cap counts the total: 4 more would pass the cap of 10.
      await refusedOrder({
        channel: 'web',
        lines: [{ sku: 'LT', quantity: 4, acceptBackorder: true }],
      });
      assert.deepEqual(await totals(), { recorded: 7, pegged: 7 });

      const response = await cancel(first.id, { lines: [{ line: 1, quantity: 2 }] });
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(await totals(), { recorded: 5, pegged: 5 });

      // Units found at W1 fill the oldest waiting lines, taking their lead-time pegs.
      await putStock(t.ctx, 'LT', 'W1', 2);
      assert.deepEqual(await totals(), { recorded: 3, pegged: 3 });
      await backorder(7);
      assert.deepEqual(await totals(), { recorded: 10, pegged: 10 });
      assert.deepEqual((await audit()).promiseDrift, []);
      assert.equal((await audit()).ok, true);
    });

    it('never goes below zero: the CHECK constraint refuses it', async () => {
      await backorder(2);
      await assert.rejects(
        t.ctx.db
          .updateTable('item_promises')
          .set((eb) => ({ lead_time_promised: eb('lead_time_promised', '-', 3) }))
          .where('item_id', '=', await itemId())
          .execute(),
        /check/i,
      );
    });

    it('the audit reports an item total or a PO line that drifted from its pegs', async () => {
      await backorder(2);
      await t.ctx.db
        .updateTable('item_promises')
        .set({ lead_time_promised: 5 })
        .where('item_id', '=', await itemId())
        .execute();
      const po = await supplierPo('W1', [{ sku: 'LT', ordered: 5, expectedDate: '2026-12-20' }]);
      await t.ctx.db
        .updateTable('purchase_order_lines')
        .set({ quantity_promised: 1 })
        .where('id', '=', po.lineIds[0]!)
        .execute();
      const report = await audit();
      assert.equal(report.ok, false);
      assert.deepEqual(report.drift, []);
      assert.deepEqual(report.promiseDrift, [
        { counter: 'lead_time', id: null, sku: 'LT', recorded: 5, pegged: 2 },
        { counter: 'purchase_order_line', id: po.lineIds[0], sku: 'LT', recorded: 1, pegged: 0 },
      ]);
    });

    it('the migration backfills each total from the pegs already there', async () => {
      await backorder(3);
      await backorder(2);
      await t.database.alter(() => sql`drop table item_promises`.execute(t.ctx.db));
      await t.database.alter(() => itemPromisesUp(t.ctx.db as never));
      assert.deepEqual(await totals(), { recorded: 5, pegged: 5 });
    });
  });
}
