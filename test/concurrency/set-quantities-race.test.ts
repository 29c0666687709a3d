import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { freshKey } from '../helpers/orders.js';

/**
 * set-quantities racing itself and orders, through the real app (on PostgreSQL the pool
 * runs the requests' transactions at once): compare-and-set lets exactly one of many
 * writers that read the same level win, rows sent in opposite orders never deadlock
 * (rows are locked in item, then location order), and the ledger still adds up.
 */
for (const target of testDatabases()) {
  describe(`set-quantities under concurrency (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'AAA', name: 'A' });
      await insertItem(t.ctx, { sku: 'BBB', name: 'B' });
      await putStock(t.ctx, 'AAA', 'W1', 10);
      await putStock(t.ctx, 'BBB', 'W1', 10);
    });
    afterEach(async () => {
      await t.close();
    });

    const set = (quantities: unknown[]) =>
      t.request({
        method: 'POST',
        url: '/v1/stock/set-quantities',
        body: { reason: 'race', quantities },
      });

    async function assertLedgerAddsUp() {
      const audit = await t.request({ method: 'GET', url: '/v1/stock/audit' });
      assert.equal(json<{ ok: boolean }>(audit).ok, true, audit.body);
    }

    it('lets exactly one of eight writers with the same compareQuantity win', async () => {
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          set([{ sku: 'AAA', location: 'W1', quantity: 20 + i, compareQuantity: 10 }]),
        ),
      );
      const statuses = responses.map((r) => r.statusCode).sort();
      assert.deepEqual(statuses, [200, 409, 409, 409, 409, 409, 409, 409], statuses.join());
      const winner = responses.find((r) => r.statusCode === 200)!;
      const onHand = json<{ rows: { stock: { onHand: number } }[] }>(winner).rows[0]!.stock.onHand;
      for (const loser of responses.filter((r) => r.statusCode === 409)) {
        assert.equal(json<{ error: { code: string } }>(loser).error.code, 'STALE_QUANTITIES');
      }
      const level = await t.request({ method: 'GET', url: '/v1/stock/AAA/W1' });
      assert.equal(json<{ onHand: number }>(level).onHand, onHand);
      await assertLedgerAddsUp();
    });

    it('never deadlocks with rows in opposite orders beside orders taking the same stock', async () => {
      const requests = [];
      for (let i = 0; i < 12; i += 1) {
        const rows = [
          { sku: 'AAA', location: 'W1', quantity: 30 + i },
          { sku: 'BBB', location: 'W1', quantity: 30 + i },
        ];
        requests.push(set(i % 2 === 0 ? rows : rows.reverse()));
        requests.push(
          t.request({
            method: 'POST',
            url: '/v1/orders',
            body: {
              channel: 'web',
              lines: [
                { sku: i % 2 === 0 ? 'BBB' : 'AAA', quantity: 1 },
                { sku: i % 2 === 0 ? 'AAA' : 'BBB', quantity: 1 },
              ],
            },
            headers: { 'idempotency-key': freshKey() },
          }),
        );
      }
      const responses = await Promise.all(requests);
      for (const response of responses) {
        assert.ok([200, 201].includes(response.statusCode), response.body);
      }
      const rows = await t.ctx.db
        .selectFrom('stock')
        .select(['on_hand', 'reserved'])
        .where(
          'location_id',
          '=',
          (
            await t.ctx.db
              .selectFrom('locations')
              .select('id')
              .where('code', '=', 'W1')
              .executeTakeFirstOrThrow()
          ).id,
        )
        .execute();
      for (const row of rows) assert.ok(row.reserved <= row.on_hand);
      assert.deepEqual(
        rows.map((r) => r.reserved),
        [12, 12],
        'every order kept its reservation',
      );
      await assertLedgerAddsUp();
    });
  });
}
