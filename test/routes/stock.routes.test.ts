import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type * as stock from '../../src/inventory/stock.schemas.js';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import type { Body, ErrorBody, Page } from '../helpers/responses.js';

type StockLevel = Body<typeof stock.StockLevel>;
type LedgerEntry = Body<typeof stock.LedgerEntry>;
type StockChange = Body<typeof stock.StockChange>;
type Transfer = Body<typeof stock.Transfer>;
type Audit = Body<typeof stock.AuditReport>;

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  const body = json<ErrorBody>(response);
  assert.equal(body.error.code, code, response.body);
  return body.error;
}

for (const target of testDatabases()) {
  describe(`stock routes (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET-01', name: 'Kettle', lowStockThreshold: 3 });
    });
    afterEach(async () => {
      await t.close();
    });

    async function level(sku: string, location: string): Promise<StockLevel> {
      const response = await t.request({ method: 'GET', url: `/v1/stock/${sku}/${location}` });
      assert.equal(response.statusCode, 200, response.body);
      return json<StockLevel>(response);
    }

    /** Every stock row, the ledger size and the transfers, straight from the database. */
    async function snapshot() {
      const stock = await t.ctx.db
        .selectFrom('stock')
        .select(['item_id', 'location_id', 'on_hand', 'reserved', 'safety_stock', 'updated_at'])
        .orderBy('item_id')
        .orderBy('location_id')
        .execute();
      const { ledger } = await t.ctx.db
        .selectFrom('stock_ledger')
        .select((eb) => eb.fn.countAll<number>().as('ledger'))
        .executeTakeFirstOrThrow();
      const { transfers } = await t.ctx.db
        .selectFrom('transfers')
        .select((eb) => eb.fn.countAll<number>().as('transfers'))
        .executeTakeFirstOrThrow();
      return {
        stock,
        ledger: Number(ledger),
        transfers: Number(transfers),
        w1: await level('KET-01', 'W1'),
        s1: await level('KET-01', 'S1'),
      };
    }

    /** Runs a request that must fail and checks that it changed nothing. */
    async function refused(
      request: Parameters<TestApp['request']>[0],
      status: number,
      code: string,
    ) {
      const before = await snapshot();
      const response = await t.request(request);
      const error = assertError(response, status, code);
      assert.deepEqual(await snapshot(), before, `changed something: ${response.body}`);
      return error;
    }

    async function ids(sku: string, location: string) {
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
      return { itemId: item.id, locationId: loc.id };
    }

    async function setReserved(sku: string, location: string, reserved: number) {
      const key = await ids(sku, location);
      await t.ctx.db
        .updateTable('stock')
        .set({ reserved })
        .where('item_id', '=', key.itemId)
        .where('location_id', '=', key.locationId)
        .execute();
    }

    async function ledger(query = ''): Promise<Page<LedgerEntry>> {
      const response = await t.request({ method: 'GET', url: `/v1/stock/ledger${query}` });
      assert.equal(response.statusCode, 200, response.body);
      return json<Page<LedgerEntry>>(response);
    }

    const adjust = (body: Record<string, unknown>) =>
      t.request({ method: 'POST', url: '/v1/stock/adjustments', body });
    const count = (body: Record<string, unknown>) =>
      t.request({ method: 'POST', url: '/v1/stock/counts', body });
    const transfer = (body: Record<string, unknown>) =>
      t.request({ method: 'POST', url: '/v1/stock/transfers', body });

    describe('adjustments', () => {
      it('adds units, writes one ledger row and reads back', async () => {
        const response = await adjust({
          sku: 'KET-01',
          location: 'W1',
          delta: 5,
          reason: 'found in back room',
          reference: 'ticket-7',
        });
        assert.equal(response.statusCode, 201, response.body);
        const body = json<StockChange>(response);
        assert.deepEqual(body.stock, {
          sku: 'KET-01',
          location: 'W1',
          onHand: 5,
          reserved: 0,
          safetyStock: 0,
          available: 5,
          updatedAt: TEST_NOW,
        });
        assert.equal(body.entry.type, 'adjustment', response.body);
        assert.equal(body.entry.quantity, 5, response.body);
        assert.equal(body.entry.onHandAfter, 5, response.body);
        assert.equal(body.entry.reason, 'found in back room', response.body);
        assert.equal(body.entry.reference, 'ticket-7', response.body);
        assert.match(body.entry.actor, /^key:\d+\//, response.body);
        assert.equal(body.entry.createdAt, TEST_NOW, response.body);

        assert.deepEqual(await level('KET-01', 'W1'), body.stock);
        const entries = await ledger('?sku=KET-01');
        assert.deepEqual(entries.items, [body.entry]);
      });

      it('removes units with a negative delta', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 5);
        const response = await adjust({ sku: 'KET-01', location: 'W1', delta: -2, reason: 'lost' });
        assert.equal(response.statusCode, 201, response.body);
        const body = json<StockChange>(response);
        assert.equal(body.stock.onHand, 3, response.body);
        assert.equal(body.entry.quantity, -2, response.body);
        assert.equal(body.entry.onHandAfter, 3, response.body);
        assert.equal(body.entry.reference, null, response.body);
        assert.equal((await level('KET-01', 'W1')).onHand, 3);
        assert.equal((await ledger('?sku=KET-01&location=W1')).items.length, 2);
      });

      it('records typed receipts, returns, sales and damage with the right signs', async () => {
        const steps = [
          { type: 'receipt', delta: 10, after: 10 },
          { type: 'sale', delta: -3, after: 7 },
          { type: 'return', delta: 1, after: 8 },
          { type: 'damage', delta: -2, after: 6 },
        ];
        for (const step of steps) {
          const response = await adjust({
            sku: 'KET-01',
            location: 'S1',
            delta: step.delta,
            type: step.type,
            reason: step.type,
          });
          assert.equal(response.statusCode, 201, response.body);
          const body = json<StockChange>(response);
          assert.equal(body.entry.type, step.type, response.body);
          assert.equal(body.entry.quantity, step.delta, response.body);
          assert.equal(body.stock.onHand, step.after, response.body);
        }
        const entries = await ledger('?location=S1');
        assert.deepEqual(
          entries.items.map((e) => [e.type, e.quantity]),
          [
            ['damage', -2],
            ['return', 1],
            ['sale', -3],
            ['receipt', 10],
          ],
        );
        assert.equal((await level('KET-01', 'S1')).onHand, 6);
      });

      for (const [type, delta] of [
        ['receipt', -1],
        ['return', -1],
        ['sale', 1],
        ['damage', 1],
      ] as const) {
        it(`refuses a ${type} with delta ${delta}: 400 DELTA_SIGN_MISMATCH, nothing changed`, async () => {
          await putStock(t.ctx, 'KET-01', 'W1', 5);
          const error = await refused(
            {
              method: 'POST',
              url: '/v1/stock/adjustments',
              body: { sku: 'KET-01', location: 'W1', delta, type, reason: 'wrong sign' },
            },
            400,
            'DELTA_SIGN_MISMATCH',
          );
          assert.deepEqual(error.details, { type, delta });
        });
      }

      for (const [label, delta] of [
        ['zero', 0],
        ['fractional', 1.5],
        ['a string', '5'],
        ['null', null],
      ] as const) {
        it(`refuses a delta that is ${label} with 400 VALIDATION_FAILED, nothing changed`, async () => {
          await putStock(t.ctx, 'KET-01', 'W1', 5);
          const error = await refused(
            {
              method: 'POST',
              url: '/v1/stock/adjustments',
              body: { sku: 'KET-01', location: 'W1', delta, reason: 'bad' },
            },
            400,
            'VALIDATION_FAILED',
          );
          assert.match(error.message, /\/delta/, JSON.stringify(error));
        });
      }

      it('refuses to hold more than a billion units: 409 STOCK_LIMIT_EXCEEDED, nothing changed', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 999_999_999);
        const error = await refused(
          {
            method: 'POST',
            url: '/v1/stock/adjustments',
            body: { sku: 'KET-01', location: 'W1', delta: 2, reason: 'too many' },
          },
          409,
          'STOCK_LIMIT_EXCEEDED',
        );
        assert.equal(error.details.onHand, 999_999_999, JSON.stringify(error));
        const last = await t.request({
          method: 'POST',
          url: '/v1/stock/adjustments',
          body: { sku: 'KET-01', location: 'W1', delta: 1, reason: 'exactly the limit' },
        });
        assert.equal(last.statusCode, 201, last.body);
        assert.equal(json<{ stock: StockLevel }>(last).stock.onHand, 1_000_000_000);
      });

      it('refuses a missing reason with 400', async () => {
        await refused(
          {
            method: 'POST',
            url: '/v1/stock/adjustments',
            body: { sku: 'KET-01', location: 'W1', delta: 1 },
          },
          400,
          'VALIDATION_FAILED',
        );
      });

      it('refuses an unknown field with 400 naming it, nothing changed', async () => {
        const error = await refused(
          {
            method: 'POST',
            url: '/v1/stock/adjustments',
            body: { sku: 'KET-01', location: 'W1', delta: 1, reason: 'x', quantity: 1 },
          },
          400,
          'VALIDATION_FAILED',
        );
        assert.match(error.message, /unknown property "quantity"/, JSON.stringify(error));
      });

      it('answers 404 ITEM_NOT_FOUND for an unknown SKU, nothing changed', async () => {
        const error = await refused(
          {
            method: 'POST',
            url: '/v1/stock/adjustments',
            body: { sku: 'NOPE', location: 'W1', delta: 1, reason: 'x' },
          },
          404,
          'ITEM_NOT_FOUND',
        );
        assert.equal(error.details.sku, 'NOPE');
      });

      it('answers 404 LOCATION_NOT_FOUND for an unknown location, nothing changed', async () => {
        await refused(
          {
            method: 'POST',
            url: '/v1/stock/adjustments',
            body: { sku: 'KET-01', location: 'NOWHERE', delta: 1, reason: 'x' },
          },
          404,
          'LOCATION_NOT_FOUND',
        );
      });

      it('refuses to remove more than is on hand: 409 INSUFFICIENT_STOCK, nothing changed', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 3);
        const error = await refused(
          {
            method: 'POST',
            url: '/v1/stock/adjustments',
            body: { sku: 'KET-01', location: 'W1', delta: -4, type: 'sale', reason: 'oversell' },
          },
          409,
          'INSUFFICIENT_STOCK',
        );
        assert.deepEqual(error.details, {
          sku: 'KET-01',
          location: 'W1',
          requested: 4,
          onHand: 3,
          reserved: 0,
        });
      });

      it('refuses to remove from a location that never held the item, without creating a row', async () => {
        await refused(
          {
            method: 'POST',
            url: '/v1/stock/adjustments',
            body: { sku: 'KET-01', location: 'S1', delta: -1, reason: 'x' },
          },
          409,
          'INSUFFICIENT_STOCK',
        );
      });

      it('refuses to leave fewer units than are reserved', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 5);
        await setReserved('KET-01', 'W1', 3);
        const error = await refused(
          {
            method: 'POST',
            url: '/v1/stock/adjustments',
            body: { sku: 'KET-01', location: 'W1', delta: -3, reason: 'x' },
          },
          409,
          'INSUFFICIENT_STOCK',
        );
        assert.equal(error.details.reserved, 3, JSON.stringify(error));
        // Down to exactly the reserved quantity is allowed.
        const ok = await adjust({ sku: 'KET-01', location: 'W1', delta: -2, reason: 'x' });
        assert.equal(ok.statusCode, 201, ok.body);
        assert.deepEqual(
          [json<StockChange>(ok).stock.onHand, json<StockChange>(ok).stock.reserved],
          [3, 3],
        );
      });
    });

    describe('counts', () => {
      it('sets on hand and writes a count row with the signed difference', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 5);
        const up = await count({
          sku: 'KET-01',
          location: 'W1',
          quantity: 8,
          reference: 'sheet-1',
        });
        assert.equal(up.statusCode, 201, up.body);
        const upBody = json<StockChange>(up);
        assert.equal(upBody.stock.onHand, 8, up.body);
        assert.equal(upBody.entry.type, 'count', up.body);
        assert.equal(upBody.entry.quantity, 3, up.body);
        assert.equal(upBody.entry.onHandAfter, 8, up.body);
        assert.equal(upBody.entry.reason, 'stock count', up.body);
        assert.equal(upBody.entry.reference, 'sheet-1', up.body);

        const down = await count({ sku: 'KET-01', location: 'W1', quantity: 2, reason: 'recount' });
        assert.equal(down.statusCode, 201, down.body);
        const downBody = json<StockChange>(down);
        assert.equal(downBody.entry.quantity, -6, down.body);
        assert.equal(downBody.entry.reason, 'recount', down.body);
        assert.equal((await level('KET-01', 'W1')).onHand, 2);

        const counts = await ledger('?type=count');
        assert.deepEqual(
          counts.items.map((e) => e.quantity),
          [-6, 3],
        );
        const audit = json<Audit>(await t.request({ method: 'GET', url: '/v1/stock/audit' }));
        assert.equal(audit.ok, true, JSON.stringify(audit));
      });

      it('counts a location that never held the item', async () => {
        const response = await count({ sku: 'KET-01', location: 'S1', quantity: 4 });
        assert.equal(response.statusCode, 201, response.body);
        assert.equal(json<StockChange>(response).entry.quantity, 4, response.body);
        assert.equal((await level('KET-01', 'S1')).onHand, 4);
      });

      it('applies a count whose expected value matches', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 5);
        const response = await count({ sku: 'KET-01', location: 'W1', quantity: 7, expected: 5 });
        assert.equal(response.statusCode, 201, response.body);
        assert.equal(json<StockChange>(response).stock.onHand, 7, response.body);
        assert.equal((await level('KET-01', 'W1')).onHand, 7);
      });

      it('refuses a stale count with 409 STALE_COUNT and the current on hand, nothing changed', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 5);
        const error = await refused(
          {
            method: 'POST',
            url: '/v1/stock/counts',
            body: { sku: 'KET-01', location: 'W1', quantity: 9, expected: 6 },
          },
          409,
          'STALE_COUNT',
        );
        assert.equal(error.details.onHand, 5, JSON.stringify(error));
        assert.equal(error.details.expected, 6, JSON.stringify(error));
      });

      it('refuses a stale count on a never-touched pair without creating a row', async () => {
        const error = await refused(
          {
            method: 'POST',
            url: '/v1/stock/counts',
            body: { sku: 'KET-01', location: 'S1', quantity: 2, expected: 1 },
          },
          409,
          'STALE_COUNT',
        );
        assert.equal(error.details.onHand, 0, JSON.stringify(error));
      });

      it('writes a zero-quantity row when the count equals on hand', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 5);
        const response = await count({ sku: 'KET-01', location: 'W1', quantity: 5 });
        assert.equal(response.statusCode, 201, response.body);
        const body = json<StockChange>(response);
        assert.equal(body.entry.quantity, 0, response.body);
        assert.equal(body.entry.onHandAfter, 5, response.body);
        assert.equal((await ledger('?sku=KET-01&location=W1')).items.length, 2);
      });

      it('refuses a count below the reserved quantity with 409, nothing changed', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 5);
        await setReserved('KET-01', 'W1', 4);
        const error = await refused(
          {
            method: 'POST',
            url: '/v1/stock/counts',
            body: { sku: 'KET-01', location: 'W1', quantity: 3 },
          },
          409,
          'COUNT_BELOW_RESERVED',
        );
        assert.equal(error.details.reserved, 4, JSON.stringify(error));
      });

      for (const [label, body] of [
        ['a negative quantity', { quantity: -1 }],
        ['a fractional quantity', { quantity: 2.5 }],
        ['a negative expected', { quantity: 2, expected: -1 }],
        ['an unknown field', { quantity: 2, delta: 1 }],
      ] as const) {
        it(`refuses ${label} with 400, nothing changed`, async () => {
          await putStock(t.ctx, 'KET-01', 'W1', 5);
          await refused(
            {
              method: 'POST',
              url: '/v1/stock/counts',
              body: { sku: 'KET-01', location: 'W1', ...body },
            },
            400,
            'VALIDATION_FAILED',
          );
        });
      }

      it('answers 404 for an unknown SKU or location, nothing changed', async () => {
        await refused(
          {
            method: 'POST',
            url: '/v1/stock/counts',
            body: { sku: 'NOPE', location: 'W1', quantity: 1 },
          },
          404,
          'ITEM_NOT_FOUND',
        );
        await refused(
          {
            method: 'POST',
            url: '/v1/stock/counts',
            body: { sku: 'KET-01', location: 'NOWHERE', quantity: 1 },
          },
          404,
          'LOCATION_NOT_FOUND',
        );
      });
    });

    describe('transfers', () => {
      it('moves units: both stock rows, both ledger rows, reference transfer:<id>', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 10);
        const response = await transfer({ sku: 'KET-01', from: 'W1', to: 'S1', quantity: 4 });
        assert.equal(response.statusCode, 201, response.body);
        const body = json<Transfer>(response);
        assert.ok(Number.isInteger(body.id), response.body);
        assert.equal(body.state, 'completed', response.body);
        assert.deepEqual(
          body.stock.map((s) => [s.location, s.onHand, s.available]),
          [
            ['W1', 6, 6],
            ['S1', 4, 4],
          ],
        );
        assert.deepEqual(
          body.entries.map((e) => [e.location, e.type, e.quantity, e.onHandAfter, e.reference]),
          [
            ['W1', 'transfer_out', -4, 6, `transfer:${body.id}`],
            ['S1', 'transfer_in', 4, 4, `transfer:${body.id}`],
          ],
        );

        assert.equal((await level('KET-01', 'W1')).onHand, 6);
        assert.equal((await level('KET-01', 'S1')).onHand, 4);
        const outs = await ledger('?type=transfer_out');
        const ins = await ledger('?type=transfer_in');
        assert.deepEqual(outs.items, [body.entries[0]]);
        assert.deepEqual(ins.items, [body.entries[1]]);
        const audit = json<Audit>(await t.request({ method: 'GET', url: '/v1/stock/audit' }));
        assert.equal(audit.ok, true, JSON.stringify(audit));
      });

      it('moves units the other way round (higher location id first) too', async () => {
        await putStock(t.ctx, 'KET-01', 'S1', 3);
        const response = await transfer({
          sku: 'KET-01',
          from: 'S1',
          to: 'W1',
          quantity: 3,
          reference: 'move-9',
        });
        assert.equal(response.statusCode, 201, response.body);
        const body = json<Transfer>(response);
        assert.equal(body.reference, 'move-9', response.body);
        assert.deepEqual(
          body.entries.map((e) => [e.location, e.type, e.quantity, e.reference]),
          [
            ['S1', 'transfer_out', -3, 'move-9'],
            ['W1', 'transfer_in', 3, 'move-9'],
          ],
        );
        assert.equal((await level('KET-01', 'S1')).onHand, 0);
        assert.equal((await level('KET-01', 'W1')).onHand, 3);
      });

      it('refuses the same location on both ends with 400 SAME_LOCATION, nothing changed', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 10);
        await refused(
          {
            method: 'POST',
            url: '/v1/stock/transfers',
            body: { sku: 'KET-01', from: 'W1', to: 'W1', quantity: 1 },
          },
          400,
          'SAME_LOCATION',
        );
      });

      it('refuses to move more than the source holds with 409, nothing changed', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 3);
        const error = await refused(
          {
            method: 'POST',
            url: '/v1/stock/transfers',
            body: { sku: 'KET-01', from: 'W1', to: 'S1', quantity: 4 },
          },
          409,
          'INSUFFICIENT_STOCK',
        );
        assert.equal(error.details.onHand, 3, JSON.stringify(error));
      });

      it('refuses to move reserved units with 409, nothing changed', async () => {
        await putStock(t.ctx, 'KET-01', 'S1', 5);
        await setReserved('KET-01', 'S1', 2);
        await refused(
          {
            method: 'POST',
            url: '/v1/stock/transfers',
            body: { sku: 'KET-01', from: 'S1', to: 'W1', quantity: 4 },
          },
          409,
          'INSUFFICIENT_STOCK',
        );
      });

      it('answers 404 for an unknown location or SKU, nothing changed', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 3);
        await refused(
          {
            method: 'POST',
            url: '/v1/stock/transfers',
            body: { sku: 'KET-01', from: 'W1', to: 'NOWHERE', quantity: 1 },
          },
          404,
          'LOCATION_NOT_FOUND',
        );
        await refused(
          {
            method: 'POST',
            url: '/v1/stock/transfers',
            body: { sku: 'KET-01', from: 'NOWHERE', to: 'W1', quantity: 1 },
          },
          404,
          'LOCATION_NOT_FOUND',
        );
        await refused(
          {
            method: 'POST',
            url: '/v1/stock/transfers',
            body: { sku: 'NOPE', from: 'W1', to: 'S1', quantity: 1 },
          },
          404,
          'ITEM_NOT_FOUND',
        );
      });

      for (const quantity of [0, -1, 1.5]) {
        it(`refuses quantity ${quantity} with 400, nothing changed`, async () => {
          await putStock(t.ctx, 'KET-01', 'W1', 3);
          await refused(
            {
              method: 'POST',
              url: '/v1/stock/transfers',
              body: { sku: 'KET-01', from: 'W1', to: 'S1', quantity },
            },
            400,
            'VALIDATION_FAILED',
          );
        });
      }
    });

    describe('stock levels', () => {
      it('answers zeros for an item × location never touched', async () => {
        const response = await t.request({ method: 'GET', url: '/v1/stock/KET-01/S1' });
        assert.equal(response.statusCode, 200, response.body);
        const body = json<StockLevel>(response);
        assert.deepEqual(body, {
          sku: 'KET-01',
          location: 'S1',
          onHand: 0,
          reserved: 0,
          safetyStock: 0,
          available: 0,
          updatedAt: null,
        });
      });

      it('answers 404 for an unknown SKU or location', async () => {
        assertError(
          await t.request({ method: 'GET', url: '/v1/stock/NOPE/W1' }),
          404,
          'ITEM_NOT_FOUND',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/stock/KET-01/NOWHERE' }),
          404,
          'LOCATION_NOT_FOUND',
        );
      });

      it('filters the list by SKU and location', async () => {
        await insertItem(t.ctx, { sku: 'MUG-01' });
        await putStock(t.ctx, 'KET-01', 'W1', 1);
        await putStock(t.ctx, 'KET-01', 'S1', 2);
        await putStock(t.ctx, 'MUG-01', 'W1', 3);
        const pairs = async (query: string) => {
          const response = await t.request({ method: 'GET', url: `/v1/stock${query}` });
          assert.equal(response.statusCode, 200, response.body);
          return json<Page<StockLevel>>(response).items.map(
            (s) => `${s.sku}@${s.location}=${s.onHand}`,
          );
        };
        assert.deepEqual(await pairs(''), ['KET-01@W1=1', 'KET-01@S1=2', 'MUG-01@W1=3']);
        assert.deepEqual(await pairs('?sku=KET-01'), ['KET-01@W1=1', 'KET-01@S1=2']);
        assert.deepEqual(await pairs('?location=W1'), ['KET-01@W1=1', 'MUG-01@W1=3']);
        assert.deepEqual(await pairs('?sku=MUG-01&location=S1'), []);
        assertError(
          await t.request({ method: 'GET', url: '/v1/stock?sku=NOPE' }),
          404,
          'ITEM_NOT_FOUND',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/stock?location=NOWHERE' }),
          404,
          'LOCATION_NOT_FOUND',
        );
      });

      it('pages with a composite cursor that can split an item between pages', async () => {
        const expected: string[] = [];
        for (const sku of ['A-1', 'A-2', 'A-3']) {
          await insertItem(t.ctx, { sku });
          await putStock(t.ctx, sku, 'W1', 1);
          await putStock(t.ctx, sku, 'S1', 2);
          expected.push(`${sku}@W1`, `${sku}@S1`);
        }
        for (const limit of [1, 3, 4]) {
          const seen: string[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const url = `/v1/stock?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
            const response = await t.request({ method: 'GET', url });
            assert.equal(response.statusCode, 200, response.body);
            const page = json<Page<StockLevel>>(response);
            assert.ok(page.items.length <= limit, response.body);
            seen.push(
              ...page.items.filter((s) => s.sku !== 'KET-01').map((s) => `${s.sku}@${s.location}`),
            );
            cursor = page.nextCursor;
            pages++;
            assert.ok(pages <= 10, 'too many pages');
          } while (cursor !== null);
          assert.deepEqual(seen, expected, `limit ${limit}`);
          assert.equal(pages, Math.ceil(expected.length / limit), `limit ${limit}`);
        }
      });

      it('refuses a cursor it did not issue with 400 INVALID_CURSOR', async () => {
        assertError(
          await t.request({ method: 'GET', url: '/v1/stock?cursor=bm9wZQ' }),
          400,
          'INVALID_CURSOR',
        );
      });

      it('sets the safety stock: available drops, on hand stays, no ledger row', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 10);
        const response = await t.request({
          method: 'PATCH',
          url: '/v1/stock/KET-01/W1',
          body: { safetyStock: 3 },
        });
        assert.equal(response.statusCode, 200, response.body);
        const body = json<StockLevel>(response);
        assert.equal(body.onHand, 10, response.body);
        assert.equal(body.safetyStock, 3, response.body);
        assert.equal(body.available, 7, response.body);
        assert.deepEqual(await level('KET-01', 'W1'), body);
        assert.equal((await ledger()).items.length, 1);

        const above = await t.request({
          method: 'PATCH',
          url: '/v1/stock/KET-01/W1',
          body: { safetyStock: 12 },
        });
        assert.equal(above.statusCode, 200, above.body);
        assert.equal(json<StockLevel>(above).available, 0, above.body);
      });

      it('sets the safety stock of a never-touched pair', async () => {
        const response = await t.request({
          method: 'PATCH',
          url: '/v1/stock/KET-01/S1',
          body: { safetyStock: 2 },
        });
        assert.equal(response.statusCode, 200, response.body);
        const body = json<StockLevel>(response);
        assert.deepEqual([body.onHand, body.safetyStock, body.available], [0, 2, 0], response.body);
      });

      for (const [label, body] of [
        ['a negative safety stock', { safetyStock: -1 }],
        ['a fractional safety stock', { safetyStock: 1.5 }],
        ['an unknown field', { safetyStock: 1, onHand: 5 }],
        ['an empty body', {}],
      ] as const) {
        it(`refuses ${label} with 400, nothing changed`, async () => {
          await putStock(t.ctx, 'KET-01', 'W1', 10, 2);
          await refused(
            { method: 'PATCH', url: '/v1/stock/KET-01/W1', body },
            400,
            'VALIDATION_FAILED',
          );
        });
      }

      it('answers 404 when setting safety stock for an unknown SKU or location, nothing changed', async () => {
        await refused(
          { method: 'PATCH', url: '/v1/stock/NOPE/W1', body: { safetyStock: 1 } },
          404,
          'ITEM_NOT_FOUND',
        );
        await refused(
          { method: 'PATCH', url: '/v1/stock/KET-01/NOWHERE', body: { safetyStock: 1 } },
          404,
          'LOCATION_NOT_FOUND',
        );
      });
    });

    describe('ledger', () => {
      async function history() {
        await insertItem(t.ctx, { sku: 'MUG-01' });
        await putStock(t.ctx, 'KET-01', 'W1', 10); // adjustment +10
        await putStock(t.ctx, 'MUG-01', 'S1', 4); // adjustment +4
        await adjust({ sku: 'KET-01', location: 'W1', delta: -1, type: 'sale', reason: 'sold' });
        await transfer({ sku: 'KET-01', from: 'W1', to: 'S1', quantity: 2 }); // out, in
        await count({ sku: 'MUG-01', location: 'S1', quantity: 3 }); // count −1
      }

      it('lists entries newest first with SKU and location codes', async () => {
        await history();
        const page = await ledger();
        assert.deepEqual(
          page.items.map((e) => `${e.sku}@${e.location} ${e.type} ${e.quantity}`),
          [
            'MUG-01@S1 count -1',
            'KET-01@S1 transfer_in 2',
            'KET-01@W1 transfer_out -2',
            'KET-01@W1 sale -1',
            'MUG-01@S1 adjustment 4',
            'KET-01@W1 adjustment 10',
          ],
        );
        const idsSeen = page.items.map((e) => e.id);
        assert.deepEqual(
          idsSeen,
          [...idsSeen].sort((a, b) => b - a),
        );
        assert.equal(page.nextCursor, null);
      });

      it('filters by SKU, location and type', async () => {
        await history();
        const types = async (query: string) =>
          (await ledger(query)).items.map((e) => `${e.sku}@${e.location} ${e.type}`);
        assert.deepEqual(await types('?sku=MUG-01'), ['MUG-01@S1 count', 'MUG-01@S1 adjustment']);
        assert.deepEqual(await types('?location=S1'), [
          'MUG-01@S1 count',
          'KET-01@S1 transfer_in',
          'MUG-01@S1 adjustment',
        ]);
        assert.deepEqual(await types('?sku=KET-01&location=W1&type=sale'), ['KET-01@W1 sale']);
        assert.deepEqual(await types('?type=adjustment'), [
          'MUG-01@S1 adjustment',
          'KET-01@W1 adjustment',
        ]);
        assert.deepEqual(await types('?type=damage'), []);
        assertError(
          await t.request({ method: 'GET', url: '/v1/stock/ledger?type=stolen' }),
          400,
          'VALIDATION_FAILED',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/stock/ledger?sku=NOPE' }),
          404,
          'ITEM_NOT_FOUND',
        );
      });

      it('pages newest first with a cursor, every entry exactly once', async () => {
        await history();
        const all = (await ledger()).items.map((e) => e.id);
        assert.equal(all.length, 6);
        for (const limit of [1, 2, 4]) {
          const seen: number[] = [];
          let cursor: string | null = null;
          do {
            const page: Page<LedgerEntry> = await ledger(
              `?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
            );
            assert.ok(page.items.length <= limit);
            seen.push(...page.items.map((e) => e.id));
            cursor = page.nextCursor;
            assert.ok(seen.length <= all.length, 'pages repeat entries');
          } while (cursor !== null);
          assert.deepEqual(seen, all, `limit ${limit}`);
        }
        // A cursor combines with a filter.
        const first = await ledger('?sku=KET-01&limit=2');
        const rest = await ledger(`?sku=KET-01&limit=10&cursor=${first.nextCursor}`);
        assert.deepEqual(
          [...first.items, ...rest.items].map((e) => e.type),
          ['transfer_in', 'transfer_out', 'sale', 'adjustment'],
        );
      });
    });

    describe('audit', () => {
      it('reports clean data as ok', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 10, 2);
        await transfer({ sku: 'KET-01', from: 'W1', to: 'S1', quantity: 3 });
        await count({ sku: 'KET-01', location: 'S1', quantity: 1 });
        await t.request({ method: 'PATCH', url: '/v1/stock/KET-01/S1', body: { safetyStock: 1 } });
        // A row created by safety stock alone has no ledger rows and no drift.
        await insertItem(t.ctx, { sku: 'MUG-01' });
        await t.request({ method: 'PATCH', url: '/v1/stock/MUG-01/W1', body: { safetyStock: 1 } });
        const response = await t.request({ method: 'GET', url: '/v1/stock/audit' });
        assert.equal(response.statusCode, 200, response.body);
        assert.deepEqual(json<Audit>(response), {
          ok: true,
          checkedRows: 3,
          drift: [],
          promiseDrift: [],
          reservationDrift: [],
        });
      });

      it('reports drift when a stock row no longer matches its ledger', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 10);
        await putStock(t.ctx, 'KET-01', 'S1', 4);
        const key = await ids('KET-01', 'W1');
        await t.ctx.db
          .updateTable('stock')
          .set({ on_hand: 12 })
          .where('item_id', '=', key.itemId)
          .where('location_id', '=', key.locationId)
          .execute();
        const response = await t.request({ method: 'GET', url: '/v1/stock/audit' });
        assert.equal(response.statusCode, 200, response.body);
        assert.deepEqual(json<Audit>(response), {
          ok: false,
          checkedRows: 2,
          drift: [{ sku: 'KET-01', location: 'W1', onHand: 12, ledgerTotal: 10, difference: 2 }],
          promiseDrift: [],
          reservationDrift: [],
        });
      });

      it('reports reserved units that neither allocations nor holds account for', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 10);
        const key = await ids('KET-01', 'W1');
        await t.ctx.db
          .updateTable('stock')
          .set({ reserved: 2 })
          .where('item_id', '=', key.itemId)
          .where('location_id', '=', key.locationId)
          .execute();
        const audit = json<Audit>(await t.request({ method: 'GET', url: '/v1/stock/audit' }));
        assert.deepEqual(audit.reservationDrift, [
          { sku: 'KET-01', location: 'W1', reserved: 2, allocated: 0, held: 0 },
        ]);
        assert.equal(audit.ok, false);
        // A hold accounts for its units: reserved again matches.
        const hold = await t.request({
          method: 'POST',
          url: '/v1/holds',
          headers: { 'idempotency-key': 'audit-hold' },
          body: { channel: 'web', lines: [{ sku: 'KET-01', quantity: 3 }] },
        });
        assert.equal(hold.statusCode, 201, hold.body);
        const after = json<Audit>(await t.request({ method: 'GET', url: '/v1/stock/audit' }));
        assert.deepEqual(after.reservationDrift, [
          { sku: 'KET-01', location: 'W1', reserved: 5, allocated: 0, held: 3 },
        ]);
      });

      it('reports drift on a row with no ledger rows at all', async () => {
        const key = await ids('KET-01', 'S1');
        await t.ctx.db
          .insertInto('stock')
          .values({
            item_id: key.itemId,
            location_id: key.locationId,
            on_hand: 3,
            reserved: 0,
            safety_stock: 0,
            last_delta: 0,
            updated_at: TEST_NOW,
          })
          .execute();
        const audit = json<Audit>(await t.request({ method: 'GET', url: '/v1/stock/audit' }));
        assert.deepEqual(audit.drift, [
          { sku: 'KET-01', location: 'S1', onHand: 3, ledgerTotal: 0, difference: 3 },
        ]);
        assert.equal(audit.ok, false);
      });
    });

    describe('database constraints', () => {
      it('refuses reserved above on hand, or below zero, even from a direct UPDATE', async () => {
        await putStock(t.ctx, 'KET-01', 'W1', 5);
        const key = await ids('KET-01', 'W1');
        const update = (reserved: number) =>
          t.ctx.db
            .updateTable('stock')
            .set({ reserved })
            .where('item_id', '=', key.itemId)
            .where('location_id', '=', key.locationId)
            .execute();
        await assert.rejects(update(6), (error: { code?: unknown }) => {
          assert.ok(
            error.code === '23514' || error.code === 'SQLITE_CONSTRAINT_CHECK',
            `expected a CHECK violation, got ${String(error.code)}`,
          );
          return true;
        });
        await assert.rejects(update(-1));
        // on_hand cannot drop below reserved from a direct UPDATE either.
        await update(5);
        await assert.rejects(
          t.ctx.db
            .updateTable('stock')
            .set({ on_hand: 4 })
            .where('item_id', '=', key.itemId)
            .where('location_id', '=', key.locationId)
            .execute(),
        );
        const after = await level('KET-01', 'W1');
        assert.deepEqual([after.onHand, after.reserved], [5, 5]);
      });
    });
  });
}
