import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lookupBatchStats } from '../../src/availability/availability.repository.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

/**
 * On PostgreSQL, single-item look-ups that arrive together share one statement
 * (src/availability/availability.repository.ts). Each must still get the answer it would
 * get alone: its own item, its own channel's locations, its own 404, and every change
 * committed before it was asked. On SQLite every look-up runs alone; the answers are the same.
 */
for (const target of testDatabases()) {
  describe(`look-ups asked together (${target.kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      for (const sku of ['A', 'B', 'C']) await insertItem(t.ctx, { sku });
      await putStock(t.ctx, 'A', 'W1', 7);
      await putStock(t.ctx, 'A', 'S1', 2);
      await putStock(t.ctx, 'B', 'S1', 1);
      const supplier = await insertSupplier(t.ctx, 'ACME');
      await insertPurchaseOrder(t.ctx, {
        supplier,
        location: 'W1',
        state: 'sent',
        lines: [{ sku: 'C', ordered: 12, expectedDate: '2026-12-10' }],
      });
    });
    after(() => t.close());

    // Two channels (web sells from W1 and S1, pos from S1 alone), known and unknown SKUs.
    const asks = ['A', 'B', 'C', 'NOPE'].flatMap((sku) =>
      ['web', 'pos'].map((channel) => `/v1/availability/${sku}?channel=${channel}`),
    );
    const answer = async (url: string) => {
      const response = await t.request({ method: 'GET', url });
      const body = response.json() as { error?: { requestId?: string } };
      // Every answer has its own request id; the rest must be the same.
      if (body.error) delete body.error.requestId;
      return { status: response.statusCode, body: body as unknown };
    };

    it('each gets the answer it gets alone', async () => {
      const alone = new Map<string, unknown>();
      for (const url of asks) alone.set(url, await answer(url));
      const together = await Promise.all([...asks, ...asks, ...asks].map(answer));
      for (const [i, got] of together.entries()) {
        assert.deepEqual(got, alone.get(asks[i % asks.length]!), asks[i % asks.length]);
      }
      assert.deepEqual(
        [...alone.values()].map((a) => (a as { status: number }).status),
        [200, 200, 200, 200, 200, 200, 404, 404],
      );
      if (target.kind === 'postgres') {
        assert.ok((lookupBatchStats(t.ctx.db)?.largest ?? 0) > 1, 'no look-ups shared a statement');
      } else {
        assert.equal(lookupBatchStats(t.ctx.db), undefined);
      }
    });

    it('sees what was committed before it was asked', async () => {
      await putStock(t.ctx, 'B', 'S1', 9); // 1 + 9
      const answers = await Promise.all(
        ['web', 'pos', 'web', 'pos'].map((channel) =>
          answer(`/v1/availability/B?channel=${channel}`),
        ),
      );
      for (const a of answers) {
        assert.equal(a.status, 200);
        assert.equal((a.body as { quantities: { available: number } }).quantities.available, 10);
      }
    });
  });
}
