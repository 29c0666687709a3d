import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type * as availability from '../../src/availability/availability.schemas.js';
import type * as orders from '../../src/orders/orders.schemas.js';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import {
  insertChannel,
  insertItem,
  insertLocation,
  insertWorld,
  putStock,
} from '../helpers/factories.js';
import type { Body, ErrorBody } from '../helpers/responses.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

type ItemAvailability = Body<typeof availability.ItemAvailability>;
type FeedPage = Body<typeof availability.FeedPage>;

const CSV_HEADER =
  'sku,name,state,purchasable,available,on_hand,reserved,safety_stock,incoming,restock,expected_date,confidence,reason,next_expected_date,release_date';

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  const body = json<ErrorBody>(response);
  assert.equal(body.error.code, code, response.body);
  return body.error;
}

/** Splits one CSV line (RFC 4180 quoting, no line breaks inside fields). */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/** CSV lines without the trailing empty line; fields here never contain line breaks. */
function csvLines(body: string): string[] {
  const lines = body.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

for (const target of testDatabases()) {
  describe(`availability routes (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      // W1 and S1 serve "web", S1 serves "pos"; W2 serves no channel.
      await insertWorld(t.ctx);
      await insertLocation(t.ctx, { code: 'W2', name: 'Overflow', kind: 'warehouse' });
    });
    afterEach(async () => {
      await t.close();
    });

    async function availability(sku: string, query = ''): Promise<ItemAvailability> {
      const response = await t.request({ method: 'GET', url: `/v1/availability/${sku}${query}` });
      assert.equal(response.statusCode, 200, response.body);
      return json<ItemAvailability>(response);
    }

    async function feed(query: string): Promise<FeedPage> {
      const response = await t.request({ method: 'GET', url: `/v1/availability${query}` });
      assert.equal(response.statusCode, 200, response.body);
      return json<FeedPage>(response);
    }

    /** Follows nextCursor to the end; returns every page. */
    async function allPages(query: string): Promise<FeedPage[]> {
      const pages: FeedPage[] = [];
      let cursor: string | null = null;
      do {
        const page = await feed(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
        pages.push(page);
        cursor = page.nextCursor;
        assert.ok(pages.length <= 50, 'the cursor never ends');
      } while (cursor !== null);
      return pages;
    }

    describe('one item', () => {
      beforeEach(async () => {
        await insertItem(t.ctx, { sku: 'KET-01', name: 'Kettle', lowStockThreshold: 3 });
        await putStock(t.ctx, 'KET-01', 'W1', 5);
        await putStock(t.ctx, 'KET-01', 'W2', 100);
      });

      it("sums a channel's locations only and lists each of them, stocked or not", async () => {
        const body = await availability('KET-01', '?channel=web');
        const shown = JSON.stringify(body);
        assert.equal(body.sku, 'KET-01', shown);
        assert.equal(body.name, 'Kettle', shown);
        assert.equal(body.channel, 'web', shown);
        assert.equal(body.location, null, shown);
        assert.equal(body.state, 'in_stock', shown);
        assert.equal(body.purchasable, true, shown);
        assert.deepEqual(body.quantities, {
          requested: 1,
          onHand: 5,
          reserved: 0,
          safetyStock: 0,
          available: 5,
          incoming: 0,
        });
        assert.deepEqual(body.locations, [
          { location: 'W1', onHand: 5, reserved: 0, safetyStock: 0, available: 5 },
          { location: 'S1', onHand: 0, reserved: 0, safetyStock: 0, available: 0 },
        ]);
        assert.match(body.reason, /5 available for 1 requested/, shown);
        assert.equal(body.restock, undefined, shown);
      });

      it('answers for a channel whose locations hold nothing as out of stock', async () => {
        const body = await availability('KET-01', '?channel=pos');
        const shown = JSON.stringify(body);
        assert.equal(body.state, 'out_of_stock', shown);
        assert.equal(body.purchasable, false, shown);
        assert.equal(body.restock, 'unknown', shown);
        assert.equal(body.quantities.available, 0, shown);
        assert.deepEqual(
          body.locations?.map((l) => l.location),
          ['S1'],
        );
      });

      it('answers for one location', async () => {
        const body = await availability('KET-01', '?location=W2');
        const shown = JSON.stringify(body);
        assert.equal(body.channel, null, shown);
        assert.equal(body.location, 'W2', shown);
        assert.equal(body.quantities.onHand, 100, shown);
        assert.equal(body.quantities.available, 100, shown);
        assert.deepEqual(body.locations, [
          { location: 'W2', onHand: 100, reserved: 0, safetyStock: 0, available: 100 },
        ]);
      });

      it('answers for every location when no scope is given', async () => {
        const body = await availability('KET-01');
        const shown = JSON.stringify(body);
        assert.equal(body.channel, null, shown);
        assert.equal(body.location, null, shown);
        assert.equal(body.quantities.onHand, 105, shown);
        assert.equal(body.quantities.available, 105, shown);
        assert.deepEqual(
          body.locations?.map((l) => [l.location, l.available]),
          [
            ['W1', 5],
            ['S1', 0],
            ['W2', 100],
          ],
        );
      });

      it('turns out of stock when more is requested than the channel has', async () => {
        const five = await availability('KET-01', '?channel=web&quantity=5');
        assert.equal(five.state, 'in_stock', JSON.stringify(five));
        assert.equal(five.quantities.requested, 5, JSON.stringify(five));
        const six = await availability('KET-01', '?channel=web&quantity=6');
        const shown = JSON.stringify(six);
        assert.equal(six.state, 'out_of_stock', shown);
        assert.equal(six.purchasable, false, shown);
        assert.equal(six.restock, 'unknown', shown);
        assert.equal(six.quantities.requested, 6, shown);
        assert.match(six.reason, /Only 5 available for 6 requested/, shown);
      });

      it('is low stock at the threshold', async () => {
        await t.request({
          method: 'POST',
          url: '/v1/stock/adjustments',
          body: { sku: 'KET-01', location: 'W1', delta: -2, reason: 'sold' },
        });
        const body = await availability('KET-01', '?channel=web');
        const shown = JSON.stringify(body);
        assert.equal(body.state, 'low_stock', shown);
        assert.equal(body.purchasable, true, shown);
        assert.equal(body.quantities.available, 3, shown);
        assert.match(body.reason, /threshold of 3/, shown);
      });

      it('holds back safety stock and reserved units', async () => {
        const patched = await t.request({
          method: 'PATCH',
          url: '/v1/stock/KET-01/W1',
          body: { safetyStock: 2 },
        });
        assert.equal(patched.statusCode, 200, patched.body);
        const body = await availability('KET-01', '?channel=web');
        const shown = JSON.stringify(body);
        assert.equal(body.quantities.safetyStock, 2, shown);
        assert.equal(body.quantities.available, 3, shown);
        assert.equal(body.state, 'low_stock', shown);
        assert.deepEqual(body.locations?.[0], {
          location: 'W1',
          onHand: 5,
          reserved: 0,
          safetyStock: 2,
          available: 3,
        });
      });

      it('does not let one location with safety stock above on hand eat another', async () => {
        await putStock(t.ctx, 'KET-01', 'S1', 1, 4);
        const body = await availability('KET-01', '?channel=web');
        const shown = JSON.stringify(body);
        assert.equal(body.quantities.onHand, 6, shown);
        assert.equal(body.quantities.safetyStock, 4, shown);
        assert.equal(body.quantities.available, 5, shown);
      });

      it('refuses a channel and a location together with 400 AMBIGUOUS_SCOPE', async () => {
        assertError(
          await t.request({
            method: 'GET',
            url: '/v1/availability/KET-01?channel=web&location=W1',
          }),
          400,
          'AMBIGUOUS_SCOPE',
        );
      });

      it('answers 404 for an unknown channel, location or SKU', async () => {
        assertError(
          await t.request({ method: 'GET', url: '/v1/availability/KET-01?channel=nope' }),
          404,
          'CHANNEL_NOT_FOUND',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/availability/KET-01?location=NOWHERE' }),
          404,
          'LOCATION_NOT_FOUND',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/availability/NOPE?channel=web' }),
          404,
          'ITEM_NOT_FOUND',
        );
      });

      for (const quantity of ['0', '-1', '1.5', 'two', '']) {
        it(`refuses quantity "${quantity}" with 400`, async () => {
          assertError(
            await t.request({
              method: 'GET',
              url: `/v1/availability/KET-01?channel=web&quantity=${quantity}`,
            }),
            400,
            'VALIDATION_FAILED',
          );
        });
      }

      it('refuses an unknown query parameter with 400', async () => {
        assertError(
          await t.request({ method: 'GET', url: '/v1/availability/KET-01?chanel=web' }),
          400,
          'VALIDATION_FAILED',
        );
      });

      it('gives a channel key its own channel and nothing else', async () => {
        const key = await t.channelKey('pos');
        const own = await t.request({ method: 'GET', url: '/v1/availability/KET-01', key });
        assert.equal(own.statusCode, 200, own.body);
        const body = json<ItemAvailability>(own);
        assert.equal(body.channel, 'pos', own.body);
        assert.equal(body.quantities.available, 0, own.body);
        assertError(
          await t.request({ method: 'GET', url: '/v1/availability/KET-01?channel=web', key }),
          403,
          'FORBIDDEN',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/availability/KET-01?location=W1', key }),
          403,
          'FORBIDDEN',
        );
      });
    });

    describe('item rules', () => {
      it('is discontinued with nothing left and sells through what remains', async () => {
        await insertItem(t.ctx, { sku: 'OLD-0', status: 'discontinued' });
        await insertItem(t.ctx, { sku: 'OLD-2', status: 'discontinued', lowStockThreshold: 3 });
        await putStock(t.ctx, 'OLD-2', 'W1', 2);

        const gone = await availability('OLD-0', '?channel=web');
        let shown = JSON.stringify(gone);
        assert.equal(gone.state, 'discontinued', shown);
        assert.equal(gone.purchasable, false, shown);
        assert.equal(gone.restock, 'never', shown);

        const last = await availability('OLD-2', '?channel=web');
        shown = JSON.stringify(last);
        assert.equal(last.state, 'low_stock', shown);
        assert.equal(last.purchasable, true, shown);
        assert.match(last.reason, /discontinued/, shown);

        const tooMany = await availability('OLD-2', '?channel=web&quantity=3');
        shown = JSON.stringify(tooMany);
        assert.equal(tooMany.state, 'discontinued', shown);
        assert.equal(tooMany.restock, 'never', shown);
        assert.match(tooMany.reason, /only 2 left for 3 requested/, shown);
      });

      it('is out of stock until the release date, with the date as restock', async () => {
        await insertItem(t.ctx, { sku: 'NEW-1', releaseDate: '2026-12-01' });
        await putStock(t.ctx, 'NEW-1', 'W1', 20);
        const body = await availability('NEW-1', '?channel=web');
        const shown = JSON.stringify(body);
        assert.equal(body.state, 'out_of_stock', shown);
        assert.equal(body.purchasable, false, shown);
        assert.equal(body.restock, '2026-12-01', shown);
        assert.equal(body.quantities.available, 20, shown);

        t.clock.set('2026-12-01T00:00:00.000Z');
        const released = await availability('NEW-1', '?channel=web');
        assert.equal(released.state, 'in_stock', JSON.stringify(released));
      });

      it('explains out of stock by the backorder policy', async () => {
        await insertItem(t.ctx, { sku: 'NB-1', backorderPolicy: 'none' });
        await insertItem(t.ctx, { sku: 'IN-1', backorderPolicy: 'incoming' });
        const none = await availability('NB-1', '?channel=web');
        assert.match(none.reason, /backorders are not allowed/, JSON.stringify(none));
        const incoming = await availability('IN-1', '?channel=web');
        assert.match(incoming.reason, /no incoming supply/, JSON.stringify(incoming));
      });
    });

    describe('incoming supply', () => {
      /**
       * KET-01: 2 on hand at S1. Incoming: 12 at W1 (sent PO, 2026-12-01), 5 at S1 (the
       * rest of a confirmed PO, 2026-12-08), 3 in transit to S1 (2026-11-29), 40 at W2
       * (2026-11-28), and a draft for 100 at W1 that does not count yet.
       */
      beforeEach(async () => {
        await insertItem(t.ctx, { sku: 'KET-01', name: 'Kettle', lowStockThreshold: 0 });
        await putStock(t.ctx, 'KET-01', 'S1', 2);
        await putStock(t.ctx, 'KET-01', 'W2', 3);
        const supplier = await insertSupplier(t.ctx);
        const po = (location: string, state: 'draft' | 'sent' | 'confirmed', line: object) =>
          insertPurchaseOrder(t.ctx, {
            supplier,
            location,
            state,
            lines: [{ sku: 'KET-01', ordered: 0, expectedDate: '', ...line }],
          });
        await po('W1', 'sent', { ordered: 12, expectedDate: '2026-12-01' });
        await po('S1', 'confirmed', { ordered: 8, received: 3, expectedDate: '2026-12-08' });
        await po('W2', 'sent', { ordered: 40, expectedDate: '2026-11-28' });
        await po('W1', 'draft', { ordered: 100, expectedDate: '2026-11-27' });
        const dispatched = await t.request({
          method: 'POST',
          url: '/v1/transfers',
          body: { sku: 'KET-01', from: 'W2', to: 'S1', quantity: 3, expectedDate: '2026-11-29' },
        });
        assert.equal(dispatched.statusCode, 201, dispatched.body);
      });

      it("sums the open supply due at the scope's locations, with the earliest date", async () => {
        const expected: [string, number, string | null][] = [
          ['?channel=web', 12 + 5 + 3, '2026-11-29'],
          ['?channel=pos', 5 + 3, '2026-11-29'],
          ['?location=W1', 12, '2026-12-01'],
          ['?location=W2', 40, '2026-11-28'],
          ['', 12 + 5 + 3 + 40, '2026-11-28'],
        ];
        for (const [query, incoming, next] of expected) {
          const body = await availability('KET-01', query);
          const shown = `${query}: ${JSON.stringify(body)}`;
          assert.equal(body.quantities.incoming, incoming, shown);
          assert.equal(body.nextExpectedDate, next, shown);
        }
      });

      it('answers null and zero where nothing is coming', async () => {
        await insertLocation(t.ctx, { code: 'S9' });
        const body = await availability('KET-01', '?location=S9');
        assert.equal(body.quantities.incoming, 0, JSON.stringify(body));
        assert.equal(body.nextExpectedDate, null, JSON.stringify(body));
      });

      it('backorders the shortfall against the earliest free incoming supply', async () => {
        // Web: 2 at S1; the 3 in transit to S1 (2026-11-29) come first in promise order.
        const body = await availability('KET-01', '?channel=web&quantity=5');
        const shown = JSON.stringify(body);
        assert.equal(body.state, 'backorder', shown);
        assert.equal(body.purchasable, true, shown);
        assert.equal(body.restock, undefined, shown);
        assert.equal(body.expectedDate, '2026-11-29', shown);
        assert.equal(body.confidence, 'confirmed', shown);
        assert.deepEqual(
          body.restsOn?.map((b) => [b.kind, b.quantity, b.expectedDate]),
          [['transfer', 3, '2026-11-29']],
          shown,
        );
        // Beyond the 20 incoming at web's locations nothing can be promised.
        const tooMany = await availability('KET-01', '?channel=web&quantity=23');
        assert.equal(tooMany.state, 'out_of_stock', JSON.stringify(tooMany));
        assert.equal(
          tooMany.reason,
          'Only 2 available for 23 requested; only 20 incoming (next on 2026-11-29) to promise from',
          JSON.stringify(tooMany),
        );
        const sellable = await availability('KET-01', '?channel=web&quantity=2');
        assert.equal(sellable.state, 'in_stock', JSON.stringify(sellable));
        assert.equal(sellable.quantities.incoming, 20, JSON.stringify(sellable));
      });

      it('moves with receipts: received transfer units leave incoming and join on hand', async () => {
        const [transfer] = await t.ctx.db.selectFrom('transfers').select('id').execute();
        const receipt = await t.request({
          method: 'POST',
          url: `/v1/transfers/${transfer!.id}/receipts`,
          body: { receiptId: 'GRN-1', quantity: 3 },
        });
        assert.equal(receipt.statusCode, 201, receipt.body);
        const body = await availability('KET-01', '?channel=pos');
        const shown = JSON.stringify(body);
        assert.equal(body.quantities.onHand, 5, shown);
        assert.equal(body.quantities.incoming, 5, shown);
        assert.equal(body.nextExpectedDate, '2026-12-08', shown);
      });

      it('carries incoming and the next date in the feed, batch by batch, for each item', async () => {
        // Items around KET-01 with and without supply, paged two at a time.
        await insertItem(t.ctx, { sku: 'LID-01' });
        await insertItem(t.ctx, { sku: 'MUG-01' });
        const supplier = await insertSupplier(t.ctx);
        await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'S1',
          state: 'partially_received',
          lines: [
            { sku: 'MUG-01', ordered: 6, received: 1, expectedDate: '2026-12-10' },
            { sku: 'MUG-01', ordered: 2, expectedDate: '2026-12-12' },
          ],
        });
        const pages = await allPages('?channel=web&limit=2');
        assert.deepEqual(
          pages.flatMap((p) =>
            p.items.map((i) => [i.sku, i.quantities.incoming, i.nextExpectedDate]),
          ),
          [
            ['KET-01', 20, '2026-11-29'],
            ['LID-01', 0, null],
            ['MUG-01', 7, '2026-12-10'],
          ],
        );
        const mug = (await feed('?skus=MUG-01&channel=pos')).items[0];
        assert.equal(mug?.quantities.incoming, 7, JSON.stringify(mug));
        assert.equal(mug?.state, 'backorder', JSON.stringify(mug));
        assert.equal(mug?.expectedDate, '2026-12-10', JSON.stringify(mug));
      });

      it('adds next_expected_date, then release_date, after the older CSV columns', async () => {
        const response = await t.request({
          method: 'GET',
          url: '/v1/availability.csv?channel=web',
        });
        assert.equal(response.statusCode, 200, response.body);
        const [header, row, ...rest] = csvLines(response.body);
        assert.equal(header, CSV_HEADER);
        assert.deepEqual(rest, []);
        const fields = parseCsvLine(row ?? '');
        const columns = CSV_HEADER.split(',');
        assert.equal(fields.length, columns.length, row);
        const byName = Object.fromEntries(columns.map((c, i) => [c, fields[i]]));
        assert.equal(byName.incoming, '20', row);
        assert.equal(byName.next_expected_date, '2026-11-29', row);
        assert.deepEqual(columns.slice(-2), ['next_expected_date', 'release_date']);
      });
    });

    describe('backorders and preorders', () => {
      let supplier: { id: number; code: string };
      beforeEach(async () => {
        supplier = await insertSupplier(t.ctx);
      });

      const place = (sku: string, quantity: number) =>
        t.request({
          method: 'POST',
          url: '/v1/orders',
          headers: { 'idempotency-key': `avail-${sku}-${quantity}-${Math.random()}` },
          body: { channel: 'web', lines: [{ sku, quantity, acceptBackorder: true }] },
        });

      async function placeOrder(sku: string, quantity: number) {
        const response = await place(sku, quantity);
        assert.equal(response.statusCode, 201, response.body);
      }

      type QuoteLine = Body<typeof orders.Quote>['lines'][number];

      /**
       * What placing the order would do must match what availability says: the same state,
       * and for a promise the same date, confidence and basis. (In stock versus low stock is
       * judged differently by the quote, so only "sells from stock" is compared there.)
       */
      async function assertAgreesWithQuote(
        sku: string,
        quantity: number,
        answer: ItemAvailability,
      ) {
        const response = await t.request({
          method: 'POST',
          url: '/v1/orders/quote',
          body: { channel: 'web', lines: [{ sku, quantity, acceptBackorder: true }] },
        });
        assert.equal(response.statusCode, 200, response.body);
        const [line] = json<{ lines: QuoteLine[] }>(response).lines;
        const shown = `${JSON.stringify(answer)}\nquote: ${response.body}`;
        if (answer.state === 'in_stock' || answer.state === 'low_stock') {
          assert.equal(line?.outcome, 'in_stock', shown);
          return;
        }
        assert.equal(line?.state, answer.state, shown);
        if (answer.state === 'backorder' || answer.state === 'preorder') {
          assert.equal(line?.outcome, answer.state, shown);
          if (line?.backorder === null) {
            // A preorder served from stock: nothing to promise beyond the release date.
            assert.equal(answer.state, 'preorder', shown);
            assert.equal(answer.expectedDate, undefined, shown);
            assert.deepEqual(answer.restsOn, [], shown);
            return;
          }
          assert.equal(line?.backorder?.date, answer.expectedDate ?? answer.releaseDate, shown);
          assert.equal(line?.backorder?.confidence, answer.confidence, shown);
          assert.deepEqual(line?.backorder?.restsOn, answer.restsOn, shown);
        } else {
          assert.equal(line?.outcome, 'refused', shown);
        }
      }

      /** The single answer, checked against the feed (JSON, filtered by its state) and the quote. */
      async function answer(sku: string, quantity: number): Promise<ItemAvailability> {
        const single = await availability(sku, `?channel=web&quantity=${quantity}`);
        const { locations: _, ...withoutLocations } = single;
        const page = await feed(`?channel=web&quantity=${quantity}&state=${single.state}`);
        assert.deepEqual(
          page.items.find((i) => i.sku === sku),
          withoutLocations,
          `feed for ${sku}: ${JSON.stringify(page)}`,
        );
        await assertAgreesWithQuote(sku, quantity, single);
        return single;
      }

      async function supplies(
        sku: string,
        options: { leadTimeDays?: number; preferred?: boolean } = {},
        from = supplier,
      ) {
        const item = await t.ctx.db
          .selectFrom('items')
          .select('id')
          .where('sku', '=', sku)
          .executeTakeFirstOrThrow();
        await t.ctx.db
          .insertInto('supplier_items')
          .values({
            supplier_id: from.id,
            item_id: item.id,
            supplier_sku: null,
            unit_cost_cents: 500,
            lead_time_days: options.leadTimeDays ?? null,
            preferred: options.preferred ? 1 : 0,
            created_at: TEST_NOW,
            updated_at: TEST_NOW,
          })
          .execute();
      }

      it('backorders against a purchase order, dated with handling days', async () => {
        await insertItem(t.ctx, { sku: 'BO-1', handlingDays: 1, lowStockThreshold: 0 });
        await putStock(t.ctx, 'BO-1', 'W1', 2);
        const po = await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'W1',
          state: 'sent',
          lines: [{ sku: 'BO-1', ordered: 10, expectedDate: '2026-12-05' }],
        });

        const body = await answer('BO-1', 5);
        const shown = JSON.stringify(body);
        assert.equal(body.state, 'backorder', shown);
        assert.equal(body.purchasable, true, shown);
        assert.equal(body.expectedDate, '2026-12-06', shown);
        assert.equal(body.confidence, 'confirmed', shown);
        assert.equal(body.restock, undefined, shown);
        assert.deepEqual(body.restsOn, [
          {
            kind: 'purchase_order',
            purchaseOrderId: po.id,
            lineId: po.lineIds[0],
            supplier: supplier.code,
            location: 'W1',
            quantity: 3,
            expectedDate: '2026-12-05',
            confidence: 'confirmed',
          },
        ]);
        assert.equal(
          body.reason,
          `Only 2 available for 5 requested; 3 can be backordered for 2026-12-06: 3 on purchase order ${po.id} due 2026-12-05 (confirmed), plus 1 handling day`,
        );
        // Two units sell from stock; thirteen exceed what stock and the order bring.
        assert.equal((await answer('BO-1', 2)).state, 'in_stock');
        assert.equal((await answer('BO-1', 13)).state, 'out_of_stock');
      });

      it('counts only supply earlier backorders have not taken', async () => {
        await insertItem(t.ctx, { sku: 'BO-2' });
        await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'W1',
          state: 'confirmed',
          lines: [{ sku: 'BO-2', ordered: 5, expectedDate: '2026-12-05' }],
        });
        assert.equal((await answer('BO-2', 5)).state, 'backorder');

        await placeOrder('BO-2', 3);
        const two = await answer('BO-2', 2);
        assert.equal(two.state, 'backorder', JSON.stringify(two));
        assert.deepEqual(
          two.restsOn?.map((b) => b.quantity),
          [2],
        );
        const three = await answer('BO-2', 3);
        assert.equal(three.state, 'out_of_stock', JSON.stringify(three));
        assert.equal(three.purchasable, false);
        assert.equal(three.restock, 'unknown');
        assert.equal(three.quantities.incoming, 5, JSON.stringify(three));
        assert.equal(
          three.reason,
          'None available for 3 requested; only 2 of the 5 incoming (next on 2026-12-05) are not yet promised to earlier orders',
        );
        // Placing that order is refused too, and takes nothing.
        const before = await t.ctx.db.selectFrom('purchase_order_lines').selectAll().execute();
        assert.equal((await place('BO-2', 3)).statusCode, 409);
        assert.deepEqual(
          await t.ctx.db.selectFrom('purchase_order_lines').selectAll().execute(),
          before,
        );

        await placeOrder('BO-2', 2);
        const none = await answer('BO-2', 1);
        assert.equal(none.state, 'out_of_stock', JSON.stringify(none));
        assert.match(
          none.reason,
          /the 5 incoming \(next on 2026-12-05\) are all promised to earlier orders$/,
        );
      });

      it('promises on the preferred supplier lead time, within the backorder cap', async () => {
        await insertItem(t.ctx, {
          sku: 'LT-1',
          backorderPolicy: 'lead_time',
          backorderCap: 3,
          handlingDays: 2,
        });
        // The preferred supplier (10 days) wins over a quicker one (4 days), as placing does.
        const quick = await insertSupplier(t.ctx);
        await supplies('LT-1', { preferred: true });
        await supplies('LT-1', { leadTimeDays: 4 }, quick);

        const two = await answer('LT-1', 2);
        let shown = JSON.stringify(two);
        assert.equal(two.state, 'backorder', shown);
        assert.equal(two.expectedDate, '2026-12-08', shown);
        assert.equal(two.confidence, 'estimated', shown);
        assert.deepEqual(two.restsOn, [
          {
            kind: 'lead_time',
            supplier: supplier.code,
            leadTimeDays: 10,
            quantity: 2,
            expectedDate: '2026-12-06',
            confidence: 'estimated',
          },
        ]);
        const four = await answer('LT-1', 4);
        shown = JSON.stringify(four);
        assert.equal(four.state, 'out_of_stock', shown);
        assert.match(
          four.reason,
          /only 3 more can be promised on lead time \(cap 3, 0 promised\)$/,
          shown,
        );

        await placeOrder('LT-1', 2);
        assert.equal((await answer('LT-1', 1)).state, 'backorder');
        const again = await answer('LT-1', 2);
        assert.equal(again.state, 'out_of_stock', JSON.stringify(again));
        assert.match(
          again.reason,
          /only 1 more can be promised on lead time \(cap 3, 2 promised\)$/,
        );
      });

      it('takes free supply before the lead time, and needs a supplier for the lead time', async () => {
        await insertItem(t.ctx, { sku: 'LT-2', backorderPolicy: 'lead_time' });
        await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'S1',
          state: 'sent',
          lines: [{ sku: 'LT-2', ordered: 2, expectedDate: '2026-11-30', confidence: 'estimated' }],
        });
        const nobody = await answer('LT-2', 3);
        assert.equal(nobody.state, 'out_of_stock', JSON.stringify(nobody));
        assert.match(nobody.reason, /no supplier lead time to promise on$/, JSON.stringify(nobody));
        assert.equal((await answer('LT-2', 2)).state, 'backorder');

        await supplies('LT-2', { leadTimeDays: 7 });
        const both = await answer('LT-2', 3);
        assert.equal(both.state, 'backorder', JSON.stringify(both));
        assert.equal(both.expectedDate, '2026-12-03', JSON.stringify(both));
        assert.deepEqual(
          both.restsOn?.map((b) => [b.kind, b.quantity, b.expectedDate]),
          [
            ['purchase_order', 2, '2026-11-30'],
            ['lead_time', 1, '2026-12-03'],
          ],
        );
      });

      it('sells a preorder before its release when preorders are enabled', async () => {
        await insertItem(t.ctx, {
          sku: 'PRE-1',
          releaseDate: '2026-12-10',
          preordersEnabled: true,
          handlingDays: 1,
        });
        await putStock(t.ctx, 'PRE-1', 'W1', 5);

        const fromStock = await answer('PRE-1', 2);
        let shown = JSON.stringify(fromStock);
        assert.equal(fromStock.state, 'preorder', shown);
        assert.equal(fromStock.purchasable, true, shown);
        assert.equal(fromStock.releaseDate, '2026-12-10', shown);
        assert.equal(fromStock.expectedDate, undefined, shown);
        assert.equal(fromStock.confidence, 'confirmed', shown);
        assert.deepEqual(fromStock.restsOn, [], shown);

        const beyond = await answer('PRE-1', 8);
        shown = JSON.stringify(beyond);
        assert.equal(beyond.state, 'out_of_stock', shown);
        assert.equal(beyond.restock, '2026-12-10', shown);
        assert.match(
          beyond.reason,
          /^Preorder of 8: only 5 can be promised by the release on 2026-12-10/,
          shown,
        );

        await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'W1',
          state: 'sent',
          lines: [{ sku: 'PRE-1', ordered: 10, expectedDate: '2026-12-20' }],
        });
        const later = await answer('PRE-1', 8);
        shown = JSON.stringify(later);
        assert.equal(later.state, 'preorder', shown);
        assert.equal(later.releaseDate, '2026-12-10', shown);
        assert.equal(later.expectedDate, '2026-12-21', shown);
        assert.deepEqual(
          later.restsOn?.map((b) => [b.kind, b.quantity]),
          [['purchase_order', 3]],
        );

        t.clock.set('2026-12-10T00:00:00.000Z');
        assert.equal((await answer('PRE-1', 2)).state, 'in_stock');
      });

      it('is out of stock until the release when preorders are not enabled', async () => {
        await insertItem(t.ctx, { sku: 'PRE-2', releaseDate: '2026-12-10' });
        await putStock(t.ctx, 'PRE-2', 'W1', 5);
        await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'W1',
          state: 'sent',
          lines: [{ sku: 'PRE-2', ordered: 10, expectedDate: '2026-12-01' }],
        });
        const body = await answer('PRE-2', 1);
        const shown = JSON.stringify(body);
        assert.equal(body.state, 'out_of_stock', shown);
        assert.equal(body.restock, '2026-12-10', shown);
        assert.equal(body.releaseDate, undefined, shown);
        assert.equal(
          body.reason,
          'Not released until 2026-12-10, and it is not sold as a preorder',
        );
      });

      it('agrees item by item between the single answer, the JSON feed and the CSV feed', async () => {
        // Every state, with promises falling in different feed batches (limit 2: 3 per batch).
        await insertItem(t.ctx, { sku: 'A-IN', lowStockThreshold: 0 });
        await putStock(t.ctx, 'A-IN', 'W1', 9);
        await insertItem(t.ctx, { sku: 'B-PO', handlingDays: 1 });
        await insertItem(t.ctx, { sku: 'C-OUT' });
        await insertItem(t.ctx, { sku: 'D-LT', backorderPolicy: 'lead_time' });
        await supplies('D-LT', { leadTimeDays: 12 });
        await insertItem(t.ctx, {
          sku: 'E-PRE',
          releaseDate: '2026-12-24',
          preordersEnabled: true,
        });
        await insertItem(t.ctx, { sku: 'F-OLD', status: 'discontinued' });
        await insertItem(t.ctx, { sku: 'G-TR', handlingDays: 3 });
        await putStock(t.ctx, 'G-TR', 'W2', 5);
        await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'S1',
          state: 'sent',
          lines: [
            { sku: 'B-PO', ordered: 4, expectedDate: '2026-12-02' },
            { sku: 'E-PRE', ordered: 4, expectedDate: '2026-12-28', confidence: 'estimated' },
          ],
        });
        const moved = await t.request({
          method: 'POST',
          url: '/v1/transfers',
          body: { sku: 'G-TR', from: 'W2', to: 'W1', quantity: 4, expectedDate: '2026-11-28' },
        });
        assert.equal(moved.statusCode, 201, moved.body);

        const expected: Record<string, [string, string | undefined]> = {
          'A-IN': ['in_stock', undefined],
          'B-PO': ['backorder', '2026-12-03'],
          'C-OUT': ['out_of_stock', undefined],
          'D-LT': ['backorder', '2026-12-08'],
          'E-PRE': ['preorder', '2026-12-28'],
          'F-OLD': ['discontinued', undefined],
          'G-TR': ['backorder', '2026-12-01'],
        };
        const pages = await allPages('?channel=web&quantity=2&limit=2');
        const fed = pages.flatMap((p) => p.items);
        assert.deepEqual(
          Object.fromEntries(fed.map((i) => [i.sku, [i.state, i.expectedDate]])),
          expected,
        );
        for (const item of fed) {
          const { locations: _, ...single } = await availability(
            item.sku,
            '?channel=web&quantity=2',
          );
          assert.deepEqual(item, single, item.sku);
        }
        for (const state of ['backorder', 'preorder']) {
          const filtered = await allPages(`?channel=web&quantity=2&state=${state}&limit=1`);
          assert.deepEqual(
            filtered.flatMap((p) => p.items.map((i) => i.sku)),
            Object.keys(expected).filter((sku) => expected[sku]![0] === state),
          );
        }

        const csv = await t.request({
          method: 'GET',
          url: '/v1/availability.csv?channel=web&quantity=2',
        });
        assert.equal(csv.statusCode, 200, csv.body);
        const [header, ...rows] = csvLines(csv.body);
        const columns = (header ?? '').split(',');
        const bySku = Object.fromEntries(
          rows.map((row) => {
            const fields = parseCsvLine(row);
            return [fields[0], Object.fromEntries(columns.map((c, i) => [c, fields[i]]))];
          }),
        );
        for (const item of fed) {
          const row = bySku[item.sku]!;
          const shown = JSON.stringify({ row, item });
          assert.equal(row.state, item.state, shown);
          assert.equal(row.purchasable, String(item.purchasable), shown);
          assert.equal(row.expected_date, item.expectedDate ?? '', shown);
          assert.equal(row.confidence, item.confidence ?? '', shown);
          assert.equal(row.release_date, item.releaseDate ?? '', shown);
          assert.equal(row.restock, item.restock ?? '', shown);
          assert.equal(row.reason, item.reason, shown);
        }
        const backorders = await t.request({
          method: 'GET',
          url: '/v1/availability.csv?channel=web&quantity=2&state=backorder',
        });
        assert.deepEqual(
          csvLines(backorders.body)
            .slice(1)
            .map((row) => parseCsvLine(row)[0]),
          ['B-PO', 'D-LT', 'G-TR'],
        );
      });
    });

    describe('feed', () => {
      /** 25 items; i % 3 gives nothing (out), 2 units (low at threshold 3) or 10 (in). */
      async function catalogue() {
        const states: Record<string, string> = {};
        for (let i = 0; i < 25; i++) {
          const sku = `F-${String(i).padStart(2, '0')}`;
          await insertItem(t.ctx, { sku, name: `Item ${i}`, lowStockThreshold: 3 });
          const units = [0, 2, 10][i % 3]!;
          await putStock(t.ctx, sku, 'W1', units);
          states[sku] = ['out_of_stock', 'low_stock', 'in_stock'][i % 3]!;
        }
        return states;
      }

      it('pages 25 items by 10: every item exactly once, in catalogue order', async () => {
        const states = await catalogue();
        const pages = await allPages('?channel=web&limit=10');
        assert.deepEqual(
          pages.map((p) => p.items.length),
          [10, 10, 5],
        );
        const skus = pages.flatMap((p) => p.items.map((i) => i.sku));
        assert.deepEqual(skus, Object.keys(states));
        for (const item of pages.flatMap((p) => p.items)) {
          assert.equal(item.state, states[item.sku], JSON.stringify(item));
          assert.equal(item.channel, 'web', JSON.stringify(item));
          assert.equal(item.locations, undefined, 'the feed carries no per-location breakdown');
        }
      });

      it('ends with a null cursor when the last page is exactly full', async () => {
        await catalogue();
        const pages = await allPages('?limit=5');
        assert.deepEqual(
          pages.map((p) => p.items.length),
          [5, 5, 5, 5, 5],
        );
      });

      for (const state of ['low_stock', 'in_stock', 'out_of_stock', 'discontinued']) {
        it(`filters by state ${state}: the pages together are exactly the matching items`, async () => {
          const states = await catalogue();
          const expected = Object.keys(states).filter((sku) => states[sku] === state);
          const pages = await allPages(`?channel=web&state=${state}&limit=3`);
          for (const page of pages) {
            assert.ok(page.items.length <= 3, JSON.stringify(page));
            for (const item of page.items) assert.equal(item.state, state, JSON.stringify(item));
          }
          if (pages.length > 1) {
            assert.ok(pages.at(-1)!.items.length > 0, 'a cursor led to an empty page');
          }
          assert.deepEqual(
            pages.flatMap((p) => p.items.map((i) => i.sku)),
            expected,
          );
        });
      }

      it('filters by SKUs', async () => {
        await catalogue();
        const page = await feed('?skus=F-07,F-01,F-20');
        assert.deepEqual(
          page.items.map((i) => i.sku),
          ['F-01', 'F-07', 'F-20'],
        );
        assert.equal(page.nextCursor, null);
        const paged = await allPages('?skus=F-07,F-01,F-20&limit=2');
        assert.deepEqual(
          paged.flatMap((p) => p.items.map((i) => i.sku)),
          ['F-01', 'F-07', 'F-20'],
        );
      });

      it('answers 404 naming every unknown SKU in the filter', async () => {
        await catalogue();
        const response = await t.request({
          method: 'GET',
          url: '/v1/availability?skus=F-01,NOPE,ALSO-NOPE',
        });
        assertError(response, 404, 'ITEM_NOT_FOUND');
        assert.deepEqual(
          json<{ error: { details: { skus: string[] } } }>(response).error.details.skus,
          ['NOPE', 'ALSO-NOPE'],
        );
      });

      it('applies the scope and the requested quantity to every item', async () => {
        await catalogue();
        const pos = await feed('?channel=pos&skus=F-02');
        assert.equal(pos.items[0]?.state, 'out_of_stock', JSON.stringify(pos));
        const web = await feed('?channel=web&skus=F-02,F-01&quantity=3');
        assert.deepEqual(
          web.items.map((i) => [i.sku, i.state, i.quantities.requested]),
          [
            ['F-01', 'out_of_stock', 3],
            ['F-02', 'in_stock', 3],
          ],
        );
      });

      it('refuses bad filters with 400', async () => {
        for (const query of [
          '?state=sold_out',
          '?limit=0',
          '?quantity=0',
          '?skus=,',
          '?channel=web&location=W1',
          '?cursor=bm9wZQ',
        ]) {
          const response = await t.request({ method: 'GET', url: `/v1/availability${query}` });
          assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
        }
        assertError(
          await t.request({ method: 'GET', url: '/v1/availability?channel=nope' }),
          404,
          'CHANNEL_NOT_FOUND',
        );
      });
    });

    describe('CSV feed', () => {
      beforeEach(async () => {
        await insertItem(t.ctx, { sku: 'KET-01', name: 'Kettle, large', lowStockThreshold: 3 });
        await insertItem(t.ctx, { sku: 'MUG-01', name: 'Mug "XL"', lowStockThreshold: 3 });
        await insertItem(t.ctx, { sku: 'PAN-01', name: 'Pan', lowStockThreshold: 0 });
        await putStock(t.ctx, 'KET-01', 'W1', 10);
        await putStock(t.ctx, 'MUG-01', 'S1', 2);
      });

      async function csv(query = '', key?: string) {
        const response = await t.request({
          method: 'GET',
          url: `/v1/availability.csv${query}`,
          ...(key !== undefined && { key }),
        });
        assert.equal(response.statusCode, 200, response.body);
        assert.match(String(response.headers['content-type']), /^text\/csv/, response.body);
        return csvLines(response.body);
      }

      /** sku → [state, purchasable, available] from the parsed rows. */
      async function states(query = '', key?: string) {
        const lines = await csv(query, key);
        assert.equal(lines[0], CSV_HEADER);
        return Object.fromEntries(
          lines.slice(1).map((line) => {
            const [sku, , state, purchasable, available] = parseCsvLine(line);
            return [sku, [state, purchasable, available]];
          }),
        );
      }

      it('has the header row and one correctly quoted row per item', async () => {
        const lines = await csv('?channel=web');
        assert.equal(lines[0], CSV_HEADER);
        assert.deepEqual(lines.slice(1), [
          'KET-01,"Kettle, large",in_stock,true,10,10,0,0,0,,,,10 available for 1 requested,,',
          'MUG-01,"Mug ""XL""",low_stock,true,2,2,0,0,0,,,,"2 available for 1 requested, at or below the low-stock threshold of 3",,',
          'PAN-01,Pan,out_of_stock,false,0,0,0,0,0,unknown,,,None available for 1 requested; no incoming supply to promise from,,',
        ]);
        assert.deepEqual(parseCsvLine(lines[1]!).slice(0, 3), [
          'KET-01',
          'Kettle, large',
          'in_stock',
        ]);
        assert.deepEqual(parseCsvLine(lines[2]!).slice(0, 2), ['MUG-01', 'Mug "XL"']);
      });

      it('filters by state', async () => {
        assert.deepEqual(await states('?channel=web&state=low_stock'), {
          'MUG-01': ['low_stock', 'true', '2'],
        });
        assert.deepEqual(await states('?state=discontinued'), {});
      });

      it('applies the quantity to every row', async () => {
        assert.deepEqual(await states('?channel=web&quantity=5'), {
          'KET-01': ['in_stock', 'true', '10'],
          'MUG-01': ['out_of_stock', 'false', '2'],
          'PAN-01': ['out_of_stock', 'false', '0'],
        });
      });

      it("answers a channel key for its own channel's locations", async () => {
        // MUG-01 is at S1, which serves pos; KET-01 is only at W1, which does not.
        const key = await t.channelKey('pos');
        assert.deepEqual(await states('', key), {
          'KET-01': ['out_of_stock', 'false', '0'],
          'MUG-01': ['low_stock', 'true', '2'],
          'PAN-01': ['out_of_stock', 'false', '0'],
        });
        assertError(
          await t.request({ method: 'GET', url: '/v1/availability.csv?channel=web', key }),
          403,
          'FORBIDDEN',
        );
      });

      it('answers a channel from its own locations only', async () => {
        await insertChannel(t.ctx, { code: 'mkt', kind: 'marketplace', locations: ['W2'] });
        await putStock(t.ctx, 'PAN-01', 'W2', 7);
        assert.deepEqual(await states('?channel=mkt'), {
          'KET-01': ['out_of_stock', 'false', '0'],
          'MUG-01': ['out_of_stock', 'false', '0'],
          'PAN-01': ['in_stock', 'true', '7'],
        });
      });

      it('refuses bad filters with 400 or 404 before streaming', async () => {
        assertError(
          await t.request({ method: 'GET', url: '/v1/availability.csv?channel=web&location=W1' }),
          400,
          'AMBIGUOUS_SCOPE',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/availability.csv?state=nope' }),
          400,
          'VALIDATION_FAILED',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/availability.csv?location=NOWHERE' }),
          404,
          'LOCATION_NOT_FOUND',
        );
      });
    });
  });
}
