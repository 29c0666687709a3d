import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';

/**
 * Changes to orders racing for the same free units: two moves and a new order for the one
 * unit free at a store, two increases for the one unit free at the warehouse. Each unit
 * goes to exactly one of them, the others are refused, and stock.reserved stays the sum
 * of the allocations. On PostgreSQL the requests really run at once (a pool); on SQLite
 * the writer lock runs them one after the other, and the outcome must be the same.
 */

let keys = 0;
const key = () => ({ 'idempotency-key': `race-edit-${++keys}` });

for (const target of testDatabases()) {
  describe(`order changes racing for the same units (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Kettle' });
    });
    afterEach(async () => {
      await t.close();
    });

    async function order(channel: string, quantity: number): Promise<number> {
      const response = await t.request({
        method: 'POST',
        url: '/v1/orders',
        headers: key(),
        body: { channel, lines: [{ sku: 'KET', quantity }] },
      });
      assert.equal(response.statusCode, 201, response.body);
      return json<{ id: number }>(response).id;
    }

    async function assertReservedIsAllocated() {
      const stock = await t.ctx.db.selectFrom('stock').selectAll().execute();
      const allocations = await t.ctx.db.selectFrom('allocations').selectAll().execute();
      for (const row of stock) {
        const held = allocations
          .filter((a) => a.item_id === row.item_id && a.location_id === row.location_id)
          .reduce((s, a) => s + a.quantity, 0);
        assert.equal(row.reserved, held, JSON.stringify(row));
        assert.ok(row.reserved <= row.on_hand, JSON.stringify(row));
      }
    }

    it('gives the one free unit at S1 to one move or order, refusing the others', async () => {
      await putStock(t.ctx, 'KET', 'W1', 2);
      const first = await order('web', 1);
      const second = await order('web', 1);
      await putStock(t.ctx, 'KET', 'S1', 1);
      const move = (id: number) =>
        t.request({
          method: 'POST',
          url: `/v1/orders/${id}/lines/1/move`,
          headers: key(),
          body: { from: 'W1', to: 'S1', quantity: 1 },
        });
      const responses = await Promise.all([
        move(first),
        move(second),
        t.request({
          method: 'POST',
          url: '/v1/orders',
          headers: key(),
          body: { channel: 'pos', lines: [{ sku: 'KET', quantity: 1 }] },
        }),
      ]);
      const won = responses.filter((r) => r.statusCode === 200 || r.statusCode === 201);
      assert.equal(won.length, 1, responses.map((r) => r.body).join('\n'));
      for (const r of responses.filter((r) => !won.includes(r))) {
        assert.equal(r.statusCode, 409, r.body);
        const code = json<{ error: { code: string } }>(r).error.code;
        assert.ok(['INSUFFICIENT_STOCK', 'ORDER_REFUSED'].includes(code), r.body);
      }
      await assertReservedIsAllocated();
    });

    it('gives the one free unit at W1 to one increase, refusing the other', async () => {
      await putStock(t.ctx, 'KET', 'W1', 3);
      const first = await order('web', 1);
      const second = await order('web', 1);
      const increase = (id: number) =>
        t.request({
          method: 'POST',
          url: `/v1/orders/${id}/lines/1/increase`,
          headers: key(),
          body: { by: 1 },
        });
      const responses = await Promise.all([increase(first), increase(second)]);
      const statuses = responses.map((r) => r.statusCode).sort();
      assert.deepEqual(statuses, [200, 409], responses.map((r) => r.body).join('\n'));
      await assertReservedIsAllocated();
      const lines = await t.ctx.db
        .selectFrom('order_lines')
        .select(['quantity', 'quantity_allocated'])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        lines.map((l) => l.quantity).sort(),
        [1, 2],
        'one line grew, the other did not',
      );
    });
  });
}
