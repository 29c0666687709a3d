import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { loadDemandSeries } from '../../src/demand/demand-series.service.js';
import type { DemandSeries } from '../../src/domain/demand.js';
import { isoDate } from '../../src/shared/dates.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { orderKit } from '../helpers/orders.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

/**
 * The demand series: imported history plus Stockroom's own orders (allocated, fulfilled,
 * backordered, cancelled) and lost demand, each on the day it was asked for and at the
 * location it was attributed to; censored where the ledger went to 0 or a line was refused.
 */

const compact = (s: DemandSeries) => ({
  sku: s.sku,
  location: s.location,
  start: s.start,
  quantities: s.quantities,
  censored: s.censored.map((c) => (c ? 1 : 0)),
});

for (const target of testDatabases()) {
  describe(`demand series (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      // W1 (warehouse) and S1 (store); web sells from W1 then S1, pos from S1.
      await insertWorld(t.ctx);
    });
    afterEach(async () => {
      await t.close();
    });

    const { placed, cancel, fulfil, refusedOrder } = orderKit(() => t);
    const at = (when: string) => t.clock.set(`2026-11-${when}Z`);
    const today = () => isoDate(t.clock.now());

    async function history(sku: string, location: string, rows: [string, number][]) {
      const item = await t.ctx.db
        .selectFrom('items')
        .select('id')
        .where('sku', '=', sku)
        .executeTakeFirstOrThrow();
      const loc = await t.ctx.db
        .selectFrom('locations')
        .select('id')
        .where('code', '=', location)
        .executeTakeFirstOrThrow();
      await t.ctx.db
        .insertInto('sales_history')
        .values(
          rows.map(([day, quantity]) => ({ item_id: item.id, location_id: loc.id, day, quantity })),
        )
        .execute();
    }

    /** The story every test below reads; the comments give each day's expected demand. */
    async function story() {
      await insertItem(t.ctx, { sku: 'KET' });
      await insertItem(t.ctx, { sku: 'MUG' });
      await history('KET', 'W1', [
        ['2026-11-19', 4],
        ['2026-11-21', 5],
      ]);
      await history('MUG', 'S1', [['2026-11-24', 7]]);
      at('20T09:00:00');
      await putStock(t.ctx, 'KET', 'W1', 3);
      await putStock(t.ctx, 'KET', 'S1', 1);
      // 21st: 2 allocated at W1, and 1 more allocated there then cancelled (still asked for).
      at('21T10:00:00');
      await placed({ channel: 'web', lines: [{ sku: 'KET', quantity: 2 }] });
      const cancelled = await placed({ channel: 'web', lines: [{ sku: 'KET', quantity: 1 }] });
      const response = await cancel(cancelled.id);
      assert.equal(response.statusCode, 200, response.body);
      // 22nd: the till sells S1's last one: S1 is at 0 from then on.
      at('22T10:00:00');
      const sold = await placed({ channel: 'pos', lines: [{ sku: 'KET', quantity: 1 }] });
      const shipped = await fulfil(sold.id, {
        fulfilmentId: 'F-1',
        kind: 'pickup',
        lines: [{ line: 1, quantity: 1 }],
      });
      assert.equal(shipped.statusCode, 201, shipped.body);
      // 24th: S1 restocked (the day began at 0); 10 refused on the web: lost at W1.
      at('24T09:00:00');
      await putStock(t.ctx, 'KET', 'S1', 2);
      at('24T11:00:00');
      await refusedOrder({ channel: 'web', lines: [{ sku: 'KET', quantity: 10 }] });
      // 25th: 4 on the web with supply coming: 1 from W1, 2 from S1, 1 backordered (W1).
      const supplier = await insertSupplier(t.ctx);
      await insertPurchaseOrder(t.ctx, {
        supplier,
        location: 'W1',
        state: 'sent',
        lines: [{ sku: 'KET', ordered: 10, expectedDate: '2026-12-10' }],
      });
      at('25T10:00:00');
      const mixed = await placed({
        channel: 'web',
        lines: [{ sku: 'KET', quantity: 4, acceptBackorder: true }],
      });
      assert.equal(mixed.lines[0]!.backordered, 1, JSON.stringify(mixed.lines[0]));
      at('26T08:00:00');
    }

    it('sums history, orders and lost demand on their days and locations, censoring stock-outs', async () => {
      await story();
      const series = await loadDemandSeries(t.ctx.db, { today: today() });
      assert.deepEqual(series.map(compact), [
        {
          sku: 'KET',
          location: 'W1',
          start: '2026-11-19',
          // 19th history 4; 21st history 5 + 2 allocated + 1 cancelled; 24th 10 lost;
          // 25th 1 allocated + 1 backordered.
          quantities: [4, 0, 8, 0, 0, 10, 2],
          // Refused on the 24th; the ledger never went to 0 at W1.
          censored: [0, 0, 0, 0, 0, 1, 0],
        },
        {
          sku: 'KET',
          location: 'S1',
          start: '2026-11-22',
          quantities: [1, 0, 0, 2],
          // At 0 after the sale, all the next day, and at the start of the restock day.
          censored: [1, 1, 1, 0],
        },
        {
          sku: 'MUG',
          location: 'S1',
          start: '2026-11-24',
          // History alone has no ledger: never censored. Ends with the others (25th).
          quantities: [7, 0],
          censored: [0, 0],
        },
      ]);
      for (const s of series) assert.equal(s.quantities.length, s.censored.length);
    });

    it('filters by item, location and days, carrying the stock level into the window', async () => {
      await story();
      const ket = await t.ctx.db
        .selectFrom('items')
        .select('id')
        .where('sku', '=', 'KET')
        .executeTakeFirstOrThrow();
      const s1 = await t.ctx.db
        .selectFrom('locations')
        .select('id')
        .where('code', '=', 'S1')
        .executeTakeFirstOrThrow();
      const series = await loadDemandSeries(t.ctx.db, {
        itemIds: [ket.id],
        locationIds: [s1.id],
        from: '2026-11-23',
        through: '2026-11-24',
      });
      // A series exists where there is demand in the window: KET has none at S1 then.
      assert.deepEqual(series.map(compact), []);
      const wider = await loadDemandSeries(t.ctx.db, {
        itemIds: [ket.id],
        locationIds: [s1.id],
        from: '2026-11-23',
        through: '2026-11-27',
      });
      assert.deepEqual(wider.map(compact), [
        {
          sku: 'KET',
          location: 'S1',
          start: '2026-11-23',
          // The 26th and 27th: no demand (an explicit `through` may pass today).
          quantities: [0, 0, 2, 0, 0],
          // The 0 of the 22nd is carried into the 23rd from before the window.
          censored: [1, 1, 0, 0, 0],
        },
      ]);
      const early = await loadDemandSeries(t.ctx.db, { from: '2026-11-18', through: '2026-11-21' });
      assert.deepEqual(
        early.map((s) => [s.sku, s.location, s.start, s.quantities]),
        [['KET', 'W1', '2026-11-18', [0, 4, 0, 8]]],
      );
      assert.deepEqual(await loadDemandSeries(t.ctx.db, { itemIds: [] }), []);
    });

    it('stops at yesterday when today already has orders, and is empty without demand', async () => {
      assert.deepEqual(await loadDemandSeries(t.ctx.db, { today: '2026-11-26' }), []);
      await insertItem(t.ctx, { sku: 'KET' });
      at('20T09:00:00');
      await putStock(t.ctx, 'KET', 'W1', 5);
      await placed({ channel: 'web', lines: [{ sku: 'KET', quantity: 1 }] });
      at('22T09:00:00');
      await placed({ channel: 'web', lines: [{ sku: 'KET', quantity: 2 }] });
      const series = await loadDemandSeries(t.ctx.db, { today: '2026-11-22' });
      assert.deepEqual(series.map(compact), [
        { sku: 'KET', location: 'W1', start: '2026-11-20', quantities: [1, 0], censored: [0, 0] },
      ]);
    });
  });
}
