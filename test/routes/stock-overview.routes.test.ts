import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StockOverviewRow } from '../../src/inventory/stock-overview.schemas.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import type { Body, ErrorBody } from '../helpers/responses.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

type Row = Body<typeof StockOverviewRow>;
type RowPage = { items: Row[]; nextCursor: string | null };

for (const target of testDatabases()) {
  describe(`GET /v1/stock/overview (${target.kind})`, () => {
    let t: TestApp;
    // Read-only tests over one world: built once.
    before(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET-01', name: 'Kettle', lowStockThreshold: 3 });
      await insertItem(t.ctx, { sku: 'MUG-01', name: 'Blue Mug', backorderPolicy: 'none' });
      await insertItem(t.ctx, {
        sku: 'LAMP-1',
        name: 'Desk lamp',
        category: 'lighting',
        lowStockThreshold: 1,
      });
      await insertItem(t.ctx, { sku: 'SIGN-1', name: '50% off_sign', backorderPolicy: 'none' });
      await putStock(t.ctx, 'KET-01', 'W1', 10);
      await putStock(t.ctx, 'KET-01', 'S1', 2, 0);
      await putStock(t.ctx, 'LAMP-1', 'S1', 2);
      const supplier = await insertSupplier(t.ctx, 'ACME');
      await insertSupplier(t.ctx, 'IDLE');
      const put = await t.request({
        method: 'PUT',
        url: '/v1/suppliers/ACME/items/LAMP-1',
        body: { unitCost: 5 },
      });
      assert.equal(put.statusCode, 200, put.body);
      await insertPurchaseOrder(t.ctx, {
        supplier,
        location: 'W1',
        state: 'sent',
        lines: [{ sku: 'KET-01', ordered: 7, expectedDate: '2026-12-10' }],
      });
    });
    after(async () => {
      await t.close();
    });

    async function page(query: string, key?: string): Promise<RowPage> {
      const response = await t.request({
        method: 'GET',
        url: `/v1/stock/overview${query}`,
        ...(key !== undefined && { key }),
      });
      assert.equal(response.statusCode, 200, response.body);
      return json<RowPage>(response);
    }

    const keys = (rows: Row[]) => rows.map((r) => `${r.sku}@${r.location}`);

    async function failure(query: string, status: number, code: string) {
      const response = await t.request({ method: 'GET', url: `/v1/stock/overview${query}` });
      assert.equal(response.statusCode, status, response.body);
      assert.equal(json<ErrorBody>(response).error.code, code);
    }

    it('lists every item × location with the five quantities and each channel state', async () => {
      const { items, nextCursor } = await page('');
      assert.equal(nextCursor, null);
      assert.deepEqual(keys(items), [
        'KET-01@W1',
        'KET-01@S1',
        'MUG-01@W1',
        'MUG-01@S1',
        'LAMP-1@W1',
        'LAMP-1@S1',
        'SIGN-1@W1',
        'SIGN-1@S1',
      ]);
      const [w1, s1] = items as [Row, Row];
      assert.deepEqual(
        { ...w1, updatedAt: null },
        {
          sku: 'KET-01',
          name: 'Kettle',
          category: 'kitchen',
          location: 'W1',
          onHand: 10,
          reserved: 0,
          safetyStock: 0,
          available: 10,
          incoming: 7,
          nextExpectedDate: '2026-12-10',
          updatedAt: null,
          channels: [
            { channel: 'web', state: 'in_stock', purchasable: true, available: 12 },
            { channel: 'pos', state: 'low_stock', purchasable: true, available: 2 },
          ],
        },
      );
      assert.equal(s1.incoming, 0);
      assert.equal(s1.nextExpectedDate, null);
      assert.equal(s1.onHand, 2);
      // A pair that never held stock is listed with zeros.
      const mug = items[2]!;
      assert.deepEqual([mug.onHand, mug.available, mug.updatedAt], [0, 0, null]);
      assert.deepEqual(
        mug.channels.map((c) => c.state),
        ['out_of_stock', 'out_of_stock'],
      );
    });

    it('pages with the cursor, also part-way through an item, without gaps or repeats', async () => {
      const all = (await page('')).items;
      for (const limit of [1, 3, 5]) {
        const seen: Row[] = [];
        let cursor: string | null = null;
        do {
          const next: RowPage = await page(
            `?limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`,
          );
          assert.ok(next.items.length <= limit);
          seen.push(...next.items);
          cursor = next.nextCursor;
        } while (cursor !== null);
        assert.deepEqual(keys(seen), keys(all), `limit ${limit}`);
      }
    });

    it('filters by location, category, supplier and SKU', async () => {
      assert.deepEqual(keys((await page('?location=S1')).items), [
        'KET-01@S1',
        'MUG-01@S1',
        'LAMP-1@S1',
        'SIGN-1@S1',
      ]);
      assert.deepEqual(keys((await page('?category=lighting')).items), ['LAMP-1@W1', 'LAMP-1@S1']);
      assert.deepEqual(keys((await page('?supplier=ACME&location=W1')).items), ['LAMP-1@W1']);
      assert.deepEqual((await page('?supplier=IDLE')).items, []);
      assert.deepEqual(keys((await page('?sku=MUG-01&location=W1')).items), ['MUG-01@W1']);
    });

    it('searches SKU and name case-insensitively, with % and _ matching themselves', async () => {
      assert.deepEqual(keys((await page('?q=kett&location=W1')).items), ['KET-01@W1']);
      assert.deepEqual(keys((await page('?q=mug-0&location=W1')).items), ['MUG-01@W1']);
      assert.deepEqual(keys((await page('?q=blue%20MUG&location=W1')).items), ['MUG-01@W1']);
      assert.deepEqual(keys((await page('?q=%25&location=W1')).items), ['SIGN-1@W1']);
      assert.deepEqual(keys((await page('?q=f_s&location=W1')).items), ['SIGN-1@W1']);
      assert.deepEqual((await page('?q=k_t')).items, []);
    });

    it('filters by state on a channel, or on any channel, and pages short', async () => {
      assert.deepEqual(keys((await page('?state=low_stock&location=W1')).items), ['KET-01@W1']);
      const pos = await page('?state=low_stock&channel=pos&location=S1');
      assert.deepEqual(keys(pos.items), ['KET-01@S1']);
      assert.deepEqual(
        pos.items[0]!.channels.map((c) => c.channel),
        ['pos'],
      );
      assert.deepEqual((await page('?state=low_stock&channel=web')).items, []);
      const out = await page('?state=out_of_stock&limit=3');
      assert.deepEqual(keys(out.items), ['MUG-01@W1', 'MUG-01@S1', 'SIGN-1@W1']);
      const rest = await page(`?state=out_of_stock&limit=3&cursor=${out.nextCursor}`);
      assert.deepEqual(keys(rest.items), ['SIGN-1@S1']);
      assert.equal(rest.nextCursor, null);
    });

    it('refuses unknown filters by name and bad input, as 4xx JSON', async () => {
      await failure('?category=garden', 404, 'CATEGORY_NOT_FOUND');
      await failure('?supplier=NOPE', 404, 'SUPPLIER_NOT_FOUND');
      await failure('?location=X9', 404, 'LOCATION_NOT_FOUND');
      await failure('?channel=tv', 404, 'CHANNEL_NOT_FOUND');
      await failure('?sku=NOPE-1', 404, 'ITEM_NOT_FOUND');
      await failure('?state=sold', 400, 'VALIDATION_FAILED');
      await failure('?cursor=nonsense', 400, 'INVALID_CURSOR');
      await failure('?colour=red', 400, 'VALIDATION_FAILED');
      const channelKey = await t.channelKey('web');
      const response = await t.request({
        method: 'GET',
        url: '/v1/stock/overview',
        key: channelKey,
      });
      assert.equal(response.statusCode, 403, response.body);
    });

    it('exports the same rows as CSV, one column per channel state', async () => {
      const response = await t.request({
        method: 'GET',
        url: '/v1/stock/overview.csv?category=kitchen',
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.match(response.headers['content-type'] as string, /^text\/csv/);
      const lines = response.body.trimEnd().split('\n');
      assert.equal(
        lines[0],
        'sku,name,category,location,on_hand,reserved,safety_stock,available,incoming,next_expected_date,state_web,state_pos',
      );
      assert.equal(lines[1], 'KET-01,Kettle,kitchen,W1,10,0,0,10,7,2026-12-10,in_stock,low_stock');
      // RFC 4180 quoting is csv-stringify's; the name with no comma stays bare.
      assert.equal(lines[6], 'SIGN-1,50% off_sign,kitchen,S1,0,0,0,0,0,,out_of_stock,out_of_stock');
      const json = (await page('?category=kitchen')).items;
      assert.deepEqual(
        lines.slice(1).map((line) => line.split(',').slice(0, 4).join(',')),
        json.map((r) => `${r.sku},${r.name},${r.category},${r.location}`),
      );
      const missing = await t.request({ method: 'GET', url: '/v1/stock/overview.csv?supplier=NO' });
      assert.equal(missing.statusCode, 404, missing.body);
    });
  });
}
