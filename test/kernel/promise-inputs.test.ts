import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findItemsForPromise } from '../../src/kernel/backorders/promise.repository.js';
import { promiseInputs } from '../../src/kernel/backorders/promise-inputs.js';
import { rulesFor } from '../../src/kernel/backorders/replan.js';
import { incomingSupply } from '../../src/kernel/supply/incoming-supply.js';
import { startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld } from '../helpers/factories.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

/**
 * An item's promise inputs come from one statement (src/kernel/backorders/
 * promise-inputs.repository.ts). It must read what the separate reads it replaced read:
 * the open supply due at the locations in promise order (incomingSupply), the units held
 * of every supply wherever it is due, the lead-time promises, and the rules with the
 * chosen supplier's lead time (rulesFor).
 */
for (const target of testDatabases()) {
  describe(`promise inputs in one statement (${target.kind})`, () => {
    let t: TestApp;
    const ids: Record<string, number> = {};
    before(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'PI', backorderPolicy: 'incoming' });
      await insertItem(t.ctx, { sku: 'NONE', backorderPolicy: 'lead_time' });
      const db = t.ctx.db;
      for (const row of await db.selectFrom('items').select(['id', 'sku']).execute()) {
        ids[row.sku] = row.id;
      }
      for (const row of await db.selectFrom('locations').select(['id', 'code']).execute()) {
        ids[row.code] = row.id;
      }
      const slow = await insertSupplier(t.ctx, 'SLOW');
      const quick = await insertSupplier(t.ctx, 'QUICK');
      // QUICK is quicker, SLOW is preferred: the preferred one is chosen.
      await db
        .insertInto('supplier_items')
        .values([supplierItem(slow.id, ids.PI!, null, 1), supplierItem(quick.id, ids.PI!, 3, 0)])
        .execute();
      const toW1 = await insertPurchaseOrder(t.ctx, {
        supplier: slow,
        location: 'W1',
        state: 'sent',
        lines: [{ sku: 'PI', ordered: 10, received: 2, expectedDate: '2026-12-20' }],
      });
      const toS1 = await insertPurchaseOrder(t.ctx, {
        supplier: slow,
        location: 'S1',
        state: 'confirmed',
        lines: [{ sku: 'PI', ordered: 5, expectedDate: '2026-12-10' }],
      });
      // A draft is no commitment: neither supply nor anything held.
      await insertPurchaseOrder(t.ctx, {
        supplier: quick,
        location: 'W1',
        state: 'draft',
        lines: [{ sku: 'PI', ordered: 50, expectedDate: '2026-12-08' }],
      });
      ids.lineW1 = toW1.lineIds[0]!;
      ids.lineS1 = toS1.lineIds[0]!;
      await db
        .updateTable('purchase_order_lines')
        .set({ quantity_promised: 3 })
        .where('id', '=', ids.lineW1)
        .execute();
      await db
        .updateTable('purchase_order_lines')
        .set({ quantity_promised: 1 })
        .where('id', '=', ids.lineS1)
        .execute();
      const transfer = await db
        .insertInto('transfers')
        .values({
          item_id: ids.PI!,
          from_location_id: ids.S1!,
          to_location_id: ids.W1!,
          quantity: 4,
          quantity_received: 1,
          quantity_promised: 2,
          state: 'in_transit',
          expected_date: '2026-12-12',
          reason: 'rebalance',
          reference: null,
          actor: 'test',
          created_at: TEST_NOW,
          received_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.transfer = transfer.id;
      await db
        .insertInto('item_promises')
        .values({ item_id: ids.PI!, lead_time_promised: 4 })
        .execute();
    });
    after(() => t.close());

    const item = async (sku: string) => (await findItemsForPromise(t.ctx.db, [ids[sku]!]))[0]!;

    it('reads the supply due at the locations, what is held of every supply, and the rules', async () => {
      const pi = await item('PI');
      const inputs = await promiseInputs(t.ctx.db, pi, [ids.W1!]);
      assert.deepEqual(inputs.lines, await incomingSupply(t.ctx.db, pi.id, [ids.W1!]));
      assert.deepEqual(
        inputs.lines.map((l) => [l.source.kind, l.open, l.expectedDate]),
        [
          ['transfer', 3, '2026-12-12'],
          ['purchase_order', 8, '2026-12-20'],
        ],
      );
      assert.deepEqual(
        inputs.promised.held,
        new Map([
          [`po_line:${ids.lineW1}`, 3],
          [`po_line:${ids.lineS1}`, 1],
          [`transfer:${ids.transfer}`, 2],
        ]),
      );
      assert.equal(inputs.promised.leadTime, 4);
      assert.deepEqual(inputs.rules, await rulesFor(t.ctx.db, pi));
      assert.deepEqual([inputs.rules.supplier, inputs.rules.leadTimeDays], ['SLOW', 10]);
    });

    it('sees the supply of every location asked for, and none for no location', async () => {
      const pi = await item('PI');
      const both = await promiseInputs(t.ctx.db, pi, [ids.W1!, ids.S1!]);
      assert.deepEqual(both.lines, await incomingSupply(t.ctx.db, pi.id, [ids.W1!, ids.S1!]));
      assert.equal(both.lines.length, 3);
      const none = await promiseInputs(t.ctx.db, pi, []);
      assert.deepEqual(none.lines, []);
      assert.equal(none.promised.held.size, 3);
    });

    it('an item with nothing coming, held or supplied reads as empty', async () => {
      const nothing = await promiseInputs(t.ctx.db, await item('NONE'), [ids.W1!, ids.S1!]);
      assert.deepEqual(nothing.lines, []);
      assert.deepEqual(nothing.promised, { held: new Map(), leadTime: 0 });
      assert.deepEqual([nothing.rules.supplier, nothing.rules.leadTimeDays], [null, null]);
      assert.equal(nothing.rules.policy, 'lead_time');
    });
  });
}

function supplierItem(
  supplierId: number,
  itemId: number,
  leadTimeDays: number | null,
  preferred: number,
) {
  return {
    supplier_id: supplierId,
    item_id: itemId,
    supplier_sku: null,
    unit_cost_cents: 100,
    lead_time_days: leadTimeDays,
    preferred,
    created_at: TEST_NOW,
    updated_at: TEST_NOW,
  };
}
