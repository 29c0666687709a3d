import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { type ErrorBody, type OrderDoc, orderKit, type Page } from '../helpers/orders.js';

/** Instants after TEST_NOW, one hour apart: T(1) is 11:00 on the test day. */
const T = (hours: number) => new Date(Date.parse(TEST_NOW) + hours * 3_600_000).toISOString();

for (const target of testDatabases()) {
  describe(`incremental sync filters (${target.kind})`, () => {
    let t: TestApp;
    const kit = orderKit(() => t);
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Kettle' });
      await insertItem(t.ctx, { sku: 'MUG', name: 'Mug' });
      await putStock(t.ctx, 'KET', 'W1', 50);
      await putStock(t.ctx, 'KET', 'S1', 50);
      await putStock(t.ctx, 'MUG', 'S1', 50);
    });
    afterEach(async () => {
      await t.close();
    });

    async function list<T>(url: string, key?: string): Promise<Page<T>> {
      const response = await t.request({ method: 'GET', url, ...(key !== undefined && { key }) });
      assert.equal(response.statusCode, 200, response.body);
      return json<Page<T>>(response);
    }

    /** Every page of a listing, following nextCursor. */
    async function all<T>(url: string, key?: string): Promise<T[]> {
      const out: T[] = [];
      let cursor: string | null = null;
      do {
        const sep = url.includes('?') ? '&' : '?';
        const page: Page<T> = await list<T>(
          cursor === null ? url : `${url}${sep}cursor=${encodeURIComponent(cursor)}`,
          key,
        );
        out.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null);
      return out;
    }

    const order = (channel: string, reference: string, sku = 'KET') =>
      kit.placed({ channel, reference, lines: [{ sku, quantity: 1 }] });

    describe('orders', () => {
      it('finds orders by exact reference, within a channel key’s own channel', async () => {
        const a = await order('web', 'SHOP-1001');
        await order('web', 'SHOP-10011');
        const p = await order('pos', 'SHOP-1001', 'MUG');
        const ids = (page: Page<OrderDoc>) => page.items.map((o) => o.id);
        assert.deepEqual(ids(await list<OrderDoc>('/v1/orders?reference=SHOP-1001')), [a.id, p.id]);
        const web = await t.channelKey('web');
        assert.deepEqual(ids(await list<OrderDoc>('/v1/orders?reference=SHOP-1001', web)), [a.id]);
        assert.deepEqual(
          ids(
            await list<OrderDoc>(
              '/v1/orders?reference=SHOP-1001&updatedSince=2026-01-01T00:00:00Z',
              web,
            ),
          ),
          [a.id],
        );
        const pos = await t.channelKey('pos');
        assert.deepEqual(ids(await list<OrderDoc>('/v1/orders?reference=SHOP-10011', pos)), []);
      });

      it('lists orders changed since an instant, oldest change first, lines included', async () => {
        t.clock.set(T(1));
        const first = await order('web', 'A');
        t.clock.set(T(2));
        const second = await order('web', 'B');
        t.clock.set(T(3));
        const third = await order('pos', 'C', 'MUG');
        t.clock.set(T(4));
        const cancelled = await kit.cancel(first.id, {});
        assert.equal(cancelled.statusCode, 200, cancelled.body);

        const since = (at: string, extra = '') =>
          all<OrderDoc>(`/v1/orders?updatedSince=${encodeURIComponent(at)}${extra}`);
        const seen = (docs: OrderDoc[]) => docs.map((o) => [o.reference, o.updatedAt]);
        assert.deepEqual(seen(await since(T(2))), [
          ['B', T(2)],
          ['C', T(3)],
          ['A', T(4)],
        ]);
        // The same instant in another offset is the same filter: T(2) is 12:00 UTC.
        assert.equal(T(2), '2026-11-26T12:00:00.000Z');
        assert.deepEqual(seen(await since('2026-11-26T13:00:00+01:00')), seen(await since(T(2))));
        assert.deepEqual(seen(await since('2026-11-26T12:00:00.001Z')), seen(await since(T(3))));
        assert.deepEqual(seen(await since(T(5))), []);
        assert.deepEqual(seen(await since(T(3), '&channel=web')), [['A', T(4)]]);
        assert.deepEqual(
          (await since(T(0))).map((o) => o.id),
          [second.id, third.id, first.id],
        );
      });

      it('shows an order whose line alone changed (units arriving fill its backorder)', async () => {
        await insertItem(t.ctx, { sku: 'LAMP', name: 'Lamp', backorderPolicy: 'incoming' });
        await kit.supplierPo('W1', [{ sku: 'LAMP', ordered: 5, expectedDate: '2026-12-05' }]);
        const waiting = await kit.placed({
          channel: 'web',
          lines: [{ sku: 'LAMP', quantity: 2, acceptBackorder: true }],
        });
        t.clock.set(T(2));
        const set = await t.request({
          method: 'POST',
          url: '/v1/stock/set-quantities',
          body: { reason: 'found', quantities: [{ sku: 'LAMP', location: 'W1', quantity: 3 }] },
        });
        assert.equal(set.statusCode, 200, set.body);
        const changed = await all<OrderDoc>(`/v1/orders?updatedSince=${T(1)}`);
        assert.deepEqual(
          changed.map((o) => [o.id, o.updatedAt, o.lines[0]!.allocated]),
          [[waiting.id, T(2), 2]],
        );
      });

      it('shows an order whose waiting units move to other supply with the same date', async () => {
        await insertItem(t.ctx, { sku: 'LAMP', name: 'Lamp', backorderPolicy: 'incoming' });
        const older = await kit.supplierPo('W1', [
          { sku: 'LAMP', ordered: 5, expectedDate: '2026-12-05' },
        ]);
        const newer = await kit.supplierPo('W1', [
          { sku: 'LAMP', ordered: 5, expectedDate: '2026-12-05' },
        ]);
        const waiting = await kit.placed({
          channel: 'web',
          lines: [{ sku: 'LAMP', quantity: 2, acceptBackorder: true }],
        });
        const restsOn = (doc: OrderDoc) =>
          (doc.lines[0]!.promise?.restsOn ?? []).map((r) =>
            r.kind === 'purchase_order' ? r.purchaseOrderId : r.kind,
          );
        assert.deepEqual(restsOn(waiting), [older.id]);
        t.clock.set(T(2));
        const cancel = await t.request({
          method: 'POST',
          url: `/v1/purchase-orders/${older.id}/cancel`,
          body: {},
        });
        assert.equal(cancel.statusCode, 200, cancel.body);
        const changed = await all<OrderDoc>(`/v1/orders?updatedSince=${T(1)}`);
        assert.deepEqual(
          changed.map((o) => [o.id, o.updatedAt, restsOn(o), o.lines[0]!.promise?.date]),
          [[waiting.id, T(2), [newer.id], '2026-12-05']],
        );
      });

      it('refuses a bad updatedSince or a cursor from the other order (400), changing nothing', async () => {
        await order('web', 'A');
        await order('web', 'B');
        const byId = await list<OrderDoc>('/v1/orders?limit=1');
        for (const url of [
          '/v1/orders?updatedSince=yesterday',
          '/v1/orders?updatedSince=2026-13-01T00:00:00Z',
          '/v1/orders?updatedSince=0999-01-01T00:00:00Z',
          `/v1/orders?updatedSince=${T(0)}&cursor=${byId.nextCursor}`,
          '/v1/orders?reference=',
        ]) {
          const response = await t.request({ method: 'GET', url });
          assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
          assert.ok(json<ErrorBody>(response).error.code.length > 0);
        }
      });
    });

    it('lists items changed since an instant, in (updatedAt, creation) order', async () => {
      t.clock.set(T(1));
      await insertItem(t.ctx, { sku: 'LAMP', name: 'Lamp' });
      t.clock.set(T(2));
      await insertItem(t.ctx, { sku: 'SOFA', name: 'Sofa' });
      t.clock.set(T(3));
      const update = await t.request({
        method: 'PATCH',
        url: '/v1/items/LAMP',
        body: { name: 'Desk lamp' },
      });
      assert.equal(update.statusCode, 200, update.body);
      const items = await all<{ sku: string; updatedAt: string }>(
        `/v1/items?updatedSince=${T(1)}&limit=1`,
      );
      assert.deepEqual(
        items.map((i) => [i.sku, i.updatedAt]),
        [
          ['SOFA', T(2)],
          ['LAMP', T(3)],
        ],
      );
    });

    it('lists stock rows changed since an instant; an unchanged set-quantities row stays out', async () => {
      t.clock.set(T(1));
      await putStock(t.ctx, 'MUG', 'W1', 5);
      t.clock.set(T(2));
      const set = await t.request({
        method: 'POST',
        url: '/v1/stock/set-quantities',
        body: {
          reason: 'sync',
          quantities: [
            { sku: 'KET', location: 'S1', quantity: 40 },
            { sku: 'MUG', location: 'W1', quantity: 5 },
          ],
        },
      });
      assert.equal(set.statusCode, 200, set.body);
      const rows = await all<{ sku: string; location: string; updatedAt: string }>(
        `/v1/stock?updatedSince=${T(1)}&limit=1`,
      );
      assert.deepEqual(
        rows.map((r) => [r.sku, r.location, r.updatedAt]),
        [
          ['MUG', 'W1', T(1)],
          ['KET', 'S1', T(2)],
        ],
      );
      assert.deepEqual(
        (await all<{ sku: string }>(`/v1/stock?updatedSince=${T(2)}&sku=MUG`)).length,
        0,
      );
    });

    it('pages of any size add up to the whole updatedSince listing, each row once', async () => {
      for (let i = 0; i < 6; i += 1) {
        // Several changes share an instant: ties are broken by key.
        t.clock.set(T(1 + Math.floor(i / 2)));
        await order(i % 2 === 0 ? 'web' : 'pos', `R-${i}`, i % 2 === 0 ? 'KET' : 'MUG');
        await putStock(t.ctx, 'KET', i % 2 === 0 ? 'W1' : 'S1', 1);
      }
      const whole = {
        orders: (await all<OrderDoc>(`/v1/orders?updatedSince=${T(0)}&limit=1000`)).map(
          (o) => o.id,
        ),
        stock: (await all<{ sku: string; location: string }>(`/v1/stock?updatedSince=${T(0)}`)).map(
          (r) => `${r.sku}@${r.location}`,
        ),
      };
      assert.equal(whole.orders.length, 6);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 7 }), async (limit) => {
          const orders = await all<OrderDoc>(`/v1/orders?updatedSince=${T(0)}&limit=${limit}`);
          assert.deepEqual(
            orders.map((o) => o.id),
            whole.orders,
          );
          const stock = await all<{ sku: string; location: string }>(
            `/v1/stock?updatedSince=${T(0)}&limit=${limit}`,
          );
          assert.deepEqual(
            stock.map((r) => `${r.sku}@${r.location}`),
            whole.stock,
          );
        }),
        { numRuns: 7 },
      );
    });
  });
}
