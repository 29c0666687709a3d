import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { PurchaseOrderState } from '../../src/domain/purchase-order-lifecycle.js';
import { incomingSupply, incomingTotals } from '../../src/kernel/supply/incoming-supply.js';
import type * as supply from '../../src/purchasing/supply.schemas.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertLocation, insertWorld, putStock } from '../helpers/factories.js';
import type { Body, ErrorBody } from '../helpers/responses.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

type Supply = Body<typeof supply.Supply>;

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  const body = json<ErrorBody>(response);
  assert.equal(body.error.code, code, response.body);
  return body.error;
}

const CSV_HEADER =
  'sku,location,expected_date,quantity,confidence,source,document_id,line_id,supplier_or_from';

function csvLines(body: string): string[] {
  const lines = body.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

for (const target of testDatabases()) {
  describe(`supply routes (${target.kind})`, () => {
    let t: TestApp;
    let acme: { id: number; code: string };
    beforeEach(async () => {
      t = await startTestApp(target);
      // W1 and S1 serve "web"; W2 serves no channel.
      await insertWorld(t.ctx);
      await insertLocation(t.ctx, { code: 'W2', name: 'Overflow' });
      await insertItem(t.ctx, { sku: 'KET-01', name: 'Kettle' });
      await insertItem(t.ctx, { sku: 'MUG-01', name: 'Mug' });
      acme = await insertSupplier(t.ctx, 'ACME');
    });
    afterEach(async () => {
      await t.close();
    });

    async function supply(query: string): Promise<Supply> {
      const response = await t.request({ method: 'GET', url: `/v1/supply${query}` });
      assert.equal(response.statusCode, 200, response.body);
      return json<Supply>(response);
    }

    function order(
      state: PurchaseOrderState,
      lines: Parameters<typeof insertPurchaseOrder>[1]['lines'],
      location = 'W1',
    ) {
      return insertPurchaseOrder(t.ctx, { supplier: acme, location, state, lines });
    }

    async function dispatch(quantity: number, expectedDate: string, to = 'W1', from = 'S1') {
      const response = await t.request({
        method: 'POST',
        url: '/v1/transfers',
        body: { sku: 'KET-01', from, to, quantity, expectedDate },
      });
      assert.equal(response.statusCode, 201, response.body);
      return json<{ id: number }>(response);
    }

    describe('purchase orders', () => {
      it('counts sent, confirmed and partly received orders for what is still open, and nothing else', async () => {
        const states: [PurchaseOrderState, number, number, number, string][] = [
          // state, ordered, received, cancelled, expected date
          ['draft', 10, 0, 0, '2026-12-01'],
          ['sent', 10, 0, 0, '2026-12-02'],
          ['confirmed', 10, 0, 2, '2026-12-03'],
          ['partially_received', 10, 4, 1, '2026-12-04'],
          ['received', 10, 10, 0, '2026-12-05'],
          ['cancelled', 10, 0, 10, '2026-12-06'],
        ];
        const ids = new Map<string, { id: number; lineIds: number[] }>();
        for (const [state, ordered, received, cancelled, expectedDate] of states) {
          ids.set(
            state,
            await order(state, [{ sku: 'KET-01', ordered, received, cancelled, expectedDate }]),
          );
        }
        const body = await supply('?sku=KET-01&location=W1');
        const po = (state: string) => {
          const { id, lineIds } = ids.get(state)!;
          return {
            kind: 'purchase_order',
            purchaseOrderId: id,
            lineId: lineIds[0],
            supplier: 'ACME',
          };
        };
        assert.deepEqual(body, {
          sku: 'KET-01',
          location: 'W1',
          total: 10 + 8 + 5,
          nextExpectedDate: '2026-12-02',
          lines: [
            {
              expectedDate: '2026-12-02',
              quantity: 10,
              confidence: 'confirmed',
              location: 'W1',
              source: po('sent'),
            },
            {
              expectedDate: '2026-12-03',
              quantity: 8,
              confidence: 'confirmed',
              location: 'W1',
              source: po('confirmed'),
            },
            {
              expectedDate: '2026-12-04',
              quantity: 5,
              confidence: 'confirmed',
              location: 'W1',
              source: po('partially_received'),
            },
          ],
        });
      });

      it('leaves out lines with nothing open: received in full, closed short, over-received', async () => {
        const { lineIds } = await order('partially_received', [
          { sku: 'KET-01', ordered: 10, received: 10, expectedDate: '2026-12-01' },
          { sku: 'KET-01', ordered: 10, received: 6, cancelled: 4, expectedDate: '2026-12-02' },
          { sku: 'KET-01', ordered: 10, received: 12, expectedDate: '2026-12-03' },
          { sku: 'KET-01', ordered: 10, received: 3, expectedDate: '2026-12-04' },
        ]);
        const body = await supply('?sku=KET-01');
        assert.equal(body.total, 7, JSON.stringify(body));
        assert.deepEqual(
          body.lines.map((l) => [
            l.source.kind === 'purchase_order' && l.source.lineId,
            l.quantity,
          ]),
          [[lineIds[3], 7]],
        );
      });

      it('orders by date; on a day, confirmed first, then transfers, then older lines', async () => {
        await putStock(t.ctx, 'KET-01', 'S1', 20);
        const late = await order('sent', [
          { sku: 'KET-01', ordered: 1, expectedDate: '2026-12-09' },
        ]);
        const estimated = await order('confirmed', [
          { sku: 'KET-01', ordered: 2, expectedDate: '2026-12-05', confidence: 'estimated' },
        ]);
        const sameDay = await order('confirmed', [
          { sku: 'KET-01', ordered: 3, expectedDate: '2026-12-05' },
          { sku: 'KET-01', ordered: 4, expectedDate: '2026-12-05' },
        ]);
        const transfer = await dispatch(5, '2026-12-05');
        const early = await dispatch(6, '2026-12-02');
        const body = await supply('?sku=KET-01&location=W1');
        const described = body.lines.map((l) =>
          l.source.kind === 'transfer'
            ? `transfer:${l.source.transferId}@${l.expectedDate}`
            : `line:${l.source.lineId}@${l.expectedDate}/${l.confidence}`,
        );
        assert.deepEqual(described, [
          `transfer:${early.id}@2026-12-02`,
          `transfer:${transfer.id}@2026-12-05`,
          `line:${sameDay.lineIds[0]}@2026-12-05/confirmed`,
          `line:${sameDay.lineIds[1]}@2026-12-05/confirmed`,
          `line:${estimated.lineIds[0]}@2026-12-05/estimated`,
          `line:${late.lineIds[0]}@2026-12-09/confirmed`,
        ]);
        assert.deepEqual(
          body.lines.map((l) => l.quantity),
          [6, 5, 3, 4, 2, 1],
        );
        assert.equal(body.total, 21);
        assert.equal(body.nextExpectedDate, '2026-12-02');
        assert.deepEqual(body.lines[0]?.source, {
          kind: 'transfer',
          transferId: early.id,
          from: 'S1',
        });
      });

      it('answers one location, or every location with location null', async () => {
        await order('sent', [{ sku: 'KET-01', ordered: 5, expectedDate: '2026-12-03' }], 'W1');
        await order('sent', [{ sku: 'KET-01', ordered: 7, expectedDate: '2026-12-01' }], 'W2');
        await order('sent', [{ sku: 'MUG-01', ordered: 100, expectedDate: '2026-11-30' }], 'W1');

        const w1 = await supply('?sku=KET-01&location=W1');
        assert.deepEqual([w1.location, w1.total, w1.nextExpectedDate], ['W1', 5, '2026-12-03']);
        const s1 = await supply('?sku=KET-01&location=S1');
        assert.deepEqual([s1.total, s1.nextExpectedDate, s1.lines], [0, null, []]);
        const all = await supply('?sku=KET-01');
        assert.deepEqual([all.location, all.total, all.nextExpectedDate], [null, 12, '2026-12-01']);
        assert.deepEqual(
          all.lines.map((l) => [l.location, l.quantity]),
          [
            ['W2', 7],
            ['W1', 5],
          ],
        );
      });

      it('follows changes to the lines: a receipt or a cancellation shrinks what is incoming', async () => {
        const { lineIds } = await order('confirmed', [
          { sku: 'KET-01', ordered: 10, expectedDate: '2026-12-03' },
        ]);
        assert.equal((await supply('?sku=KET-01')).total, 10);
        await t.ctx.db
          .updateTable('purchase_order_lines')
          .set({ quantity_received: 4 })
          .where('id', '=', lineIds[0]!)
          .execute();
        assert.equal((await supply('?sku=KET-01')).total, 6);
        await t.ctx.db
          .updateTable('purchase_order_lines')
          .set({ quantity_cancelled: 6 })
          .where('id', '=', lineIds[0]!)
          .execute();
        assert.equal((await supply('?sku=KET-01')).total, 0);
      });
    });

    describe('service functions', () => {
      it('incomingSupply lists one item in promise order; incomingTotals groups a range', async () => {
        await putStock(t.ctx, 'KET-01', 'S1', 5);
        await order('sent', [
          { sku: 'KET-01', ordered: 3, expectedDate: '2026-12-04' },
          { sku: 'MUG-01', ordered: 9, expectedDate: '2026-12-07' },
        ]);
        await order('draft', [{ sku: 'MUG-01', ordered: 50, expectedDate: '2026-11-27' }]);
        await dispatch(2, '2026-12-02');
        const [w1, w2] = await Promise.all(
          ['W1', 'W2'].map((code) =>
            t.ctx.db
              .selectFrom('locations')
              .select('id')
              .where('code', '=', code)
              .executeTakeFirstOrThrow(),
          ),
        );
        const items = await t.ctx.db
          .selectFrom('items')
          .select(['id', 'sku'])
          .orderBy('id')
          .execute();
        const ket = items.find((i) => i.sku === 'KET-01')!.id;
        const mug = items.find((i) => i.sku === 'MUG-01')!.id;

        const lines = await incomingSupply(t.ctx.db, ket, [w1!.id, w2!.id]);
        assert.deepEqual(
          lines.map((l) => [l.source.kind, l.open, l.expectedDate, l.location]),
          [
            ['transfer', 2, '2026-12-02', 'W1'],
            ['purchase_order', 3, '2026-12-04', 'W1'],
          ],
        );
        assert.deepEqual(await incomingSupply(t.ctx.db, ket, [w2!.id]), []);
        assert.deepEqual(await incomingSupply(t.ctx.db, ket, []), []);

        const totals = await incomingTotals(t.ctx.db, Math.min(ket, mug), Math.max(ket, mug), [
          w1!.id,
        ]);
        assert.deepEqual(
          [...totals.entries()].sort((a, b) => a[0] - b[0]),
          [
            [ket, { total: 5, free: 5, nextExpectedDate: '2026-12-02' }],
            [mug, { total: 9, free: 9, nextExpectedDate: '2026-12-07' }],
          ].sort((a, b) => (a[0] as number) - (b[0] as number)),
        );
        assert.deepEqual([...(await incomingTotals(t.ctx.db, ket, ket, [w2!.id])).keys()], []);
        assert.deepEqual([...(await incomingTotals(t.ctx.db, mug, mug, [w1!.id])).keys()], [mug]);
      });
    });

    describe('errors and access', () => {
      it('refuses a missing or bad query with 400 and unknown names with 404', async () => {
        for (const query of ['', '?location=W1', '?sku=', '?sku=KET-01&colour=red', '?sku=a%20b']) {
          assertError(
            await t.request({ method: 'GET', url: `/v1/supply${query}` }),
            400,
            'VALIDATION_FAILED',
          );
        }
        assertError(
          await t.request({ method: 'GET', url: '/v1/supply?sku=NOPE' }),
          404,
          'ITEM_NOT_FOUND',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/supply?sku=KET-01&location=NOWHERE' }),
          404,
          'LOCATION_NOT_FOUND',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/supply.csv?location=NOWHERE' }),
          404,
          'LOCATION_NOT_FOUND',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/supply.csv?sku=KET-01' }),
          400,
          'VALIDATION_FAILED',
        );
      });

      it('answers staff, and keeps channel keys and strangers out', async () => {
        await order('sent', [{ sku: 'KET-01', ordered: 5, expectedDate: '2026-12-03' }]);
        const staff = await t.request({
          method: 'GET',
          url: '/v1/supply?sku=KET-01',
          key: t.staffKey,
        });
        assert.equal(staff.statusCode, 200, staff.body);
        assert.equal(json<Supply>(staff).total, 5);
        const channel = await t.channelKey('web');
        for (const url of ['/v1/supply?sku=KET-01', '/v1/supply.csv']) {
          assertError(await t.request({ method: 'GET', url, key: channel }), 403, 'FORBIDDEN');
          assertError(await t.request({ method: 'GET', url, key: null }), 401, 'UNAUTHORIZED');
        }
      });
    });

    describe('CSV export', () => {
      it('streams every open line of every item, items in catalogue order', async () => {
        await putStock(t.ctx, 'KET-01', 'S1', 5);
        await insertItem(t.ctx, { sku: 'PAN-01', name: 'Pan' });
        await insertSupplier(t.ctx, 'BETA');
        const mugs = await order('confirmed', [
          {
            sku: 'MUG-01',
            ordered: 9,
            received: 2,
            expectedDate: '2026-12-07',
            confidence: 'estimated',
          },
        ]);
        const kettles = await order(
          'sent',
          [{ sku: 'KET-01', ordered: 3, expectedDate: '2026-12-04' }],
          'W2',
        );
        await order('draft', [{ sku: 'PAN-01', ordered: 4, expectedDate: '2026-12-01' }]);
        const transfer = await dispatch(2, '2026-12-02');

        const response = await t.request({ method: 'GET', url: '/v1/supply.csv' });
        assert.equal(response.statusCode, 200, response.body);
        assert.match(String(response.headers['content-type']), /^text\/csv/);
        assert.match(String(response.headers['content-disposition']), /supply\.csv/);
        assert.deepEqual(csvLines(response.body), [
          CSV_HEADER,
          `KET-01,W1,2026-12-02,2,confirmed,transfer,${transfer.id},,S1`,
          `KET-01,W2,2026-12-04,3,confirmed,purchase_order,${kettles.id},${kettles.lineIds[0]},ACME`,
          `MUG-01,W1,2026-12-07,7,estimated,purchase_order,${mugs.id},${mugs.lineIds[0]},ACME`,
        ]);

        const w2 = await t.request({ method: 'GET', url: '/v1/supply.csv?location=W2' });
        assert.equal(w2.statusCode, 200, w2.body);
        assert.deepEqual(csvLines(w2.body), [
          CSV_HEADER,
          `KET-01,W2,2026-12-04,3,confirmed,purchase_order,${kettles.id},${kettles.lineIds[0]},ACME`,
        ]);
      });

      it('is only a header when nothing is incoming', async () => {
        const response = await t.request({ method: 'GET', url: '/v1/supply.csv' });
        assert.equal(response.statusCode, 200, response.body);
        assert.deepEqual(csvLines(response.body), [CSV_HEADER]);
      });
    });
  });
}
