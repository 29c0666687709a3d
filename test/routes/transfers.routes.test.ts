import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type * as stock from '../../src/inventory/stock.schemas.js';
import type * as transfers from '../../src/inventory/transfers.schemas.js';
import type * as supply from '../../src/purchasing/supply.schemas.js';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertLocation, insertWorld, putStock } from '../helpers/factories.js';
import type { Body, ErrorBody, Page } from '../helpers/responses.js';

type TransferDocument = Body<typeof transfers.TransferDocument>;
type TransferReceipt = Body<typeof transfers.TransferReceipt>;
type StockLevel = Body<typeof stock.StockLevel>;
type LedgerEntry = Body<typeof stock.LedgerEntry>;
type Supply = Body<typeof supply.Supply>;

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  const body = json<ErrorBody>(response);
  assert.equal(body.error.code, code, response.body);
  return body.error;
}

const LATER = '2026-12-01';

for (const target of testDatabases()) {
  describe(`transfer routes (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      // W1 (UTC) and S1 (Europe/London); KET-01 has 10 at W1.
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET-01', name: 'Kettle' });
      await putStock(t.ctx, 'KET-01', 'W1', 10);
    });
    afterEach(async () => {
      await t.close();
    });

    const dispatch = (body: Record<string, unknown>, key?: string) =>
      t.request({ method: 'POST', url: '/v1/transfers', body, ...(key && { key }) });
    const receive = (id: number | string, body: Record<string, unknown>) =>
      t.request({ method: 'POST', url: `/v1/transfers/${id}/receipts`, body });
    const reschedule = (id: number | string, body: Record<string, unknown>) =>
      t.request({ method: 'PATCH', url: `/v1/transfers/${id}`, body });

    async function dispatched(quantity = 4, extra: Record<string, unknown> = {}) {
      const response = await dispatch({
        sku: 'KET-01',
        from: 'W1',
        to: 'S1',
        quantity,
        expectedDate: LATER,
        ...extra,
      });
      assert.equal(response.statusCode, 201, response.body);
      return json<TransferDocument>(response);
    }

    async function received(id: number, receiptId: string, quantity: number) {
      const response = await receive(id, { receiptId, quantity });
      assert.equal(response.statusCode, 201, response.body);
      return json<TransferReceipt>(response);
    }

    async function level(location: string, sku = 'KET-01'): Promise<StockLevel> {
      const response = await t.request({ method: 'GET', url: `/v1/stock/${sku}/${location}` });
      assert.equal(response.statusCode, 200, response.body);
      return json<StockLevel>(response);
    }

    async function getTransfer(id: number): Promise<TransferDocument> {
      const response = await t.request({ method: 'GET', url: `/v1/transfers/${id}` });
      assert.equal(response.statusCode, 200, response.body);
      return json<TransferDocument>(response);
    }

    async function ledger(query: string): Promise<LedgerEntry[]> {
      const response = await t.request({ method: 'GET', url: `/v1/stock/ledger${query}` });
      assert.equal(response.statusCode, 200, response.body);
      return json<Page<LedgerEntry>>(response).items;
    }

    async function events(type?: string) {
      let query = t.ctx.db.selectFrom('domain_events').selectAll().orderBy('id');
      if (type !== undefined) query = query.where('type', '=', type);
      const rows = await query.execute();
      return rows.map((row) => ({ ...row, payload: JSON.parse(row.payload) as unknown }));
    }

    async function audit() {
      const response = await t.request({ method: 'GET', url: '/v1/stock/audit' });
      assert.equal(response.statusCode, 200, response.body);
      return json<{ ok: boolean }>(response);
    }

    /** Everything a transfer request could touch, straight from the database. */
    async function snapshot() {
      const db = t.ctx.db;
      const count = async (table: 'stock_ledger' | 'transfer_receipts' | 'domain_events') => {
        const { n } = await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        return Number(n);
      };
      return {
        stock: await db
          .selectFrom('stock')
          .selectAll()
          .orderBy('item_id')
          .orderBy('location_id')
          .execute(),
        transfers: await db.selectFrom('transfers').selectAll().orderBy('id').execute(),
        ledger: await count('stock_ledger'),
        receipts: await count('transfer_receipts'),
        events: await count('domain_events'),
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

    describe('dispatch', () => {
      it('takes the units out of the source now and leaves them in transit', async () => {
        const response = await dispatch({
          sku: 'KET-01',
          from: 'W1',
          to: 'S1',
          quantity: 4,
          expectedDate: LATER,
          reason: 'restock the store',
          reference: 'DN-7',
        });
        assert.equal(response.statusCode, 201, response.body);
        const body = json<TransferDocument>(response);
        assert.ok(Number.isInteger(body.id) && body.id > 0, response.body);
        assert.deepEqual(body, {
          id: body.id,
          sku: 'KET-01',
          from: 'W1',
          to: 'S1',
          quantity: 4,
          received: 0,
          inTransit: 4,
          state: 'in_transit',
          expectedDate: LATER,
          reason: 'restock the store',
          reference: 'DN-7',
          createdAt: TEST_NOW,
          receivedAt: null,
        });
        assert.deepEqual(await getTransfer(body.id), body);

        assert.equal((await level('W1')).onHand, 6);
        assert.equal((await level('S1')).onHand, 0, 'nothing has arrived yet');
        const entries = await ledger('?sku=KET-01&type=transfer_out');
        assert.deepEqual(
          entries.map((e) => [e.location, e.quantity, e.onHandAfter, e.reference]),
          [['W1', -4, 6, `transfer:${body.id}`]],
        );
        assert.deepEqual(await ledger('?type=transfer_in'), []);

        const [event, ...more] = await events('transfer.dispatched');
        assert.ok(event, 'no transfer.dispatched event');
        assert.deepEqual(more, []);
        assert.equal(event.subject, `transfer:${body.id}`);
        assert.match(event.actor, /^key:\d+\//);
        assert.equal(event.created_at, TEST_NOW);
        const item = await t.ctx.db
          .selectFrom('items')
          .select('id')
          .where('sku', '=', 'KET-01')
          .executeTakeFirstOrThrow();
        const s1 = await t.ctx.db
          .selectFrom('locations')
          .select('id')
          .where('code', '=', 'S1')
          .executeTakeFirstOrThrow();
        assert.deepEqual(event.payload, {
          transferId: body.id,
          itemId: item.id,
          sku: 'KET-01',
          from: 'W1',
          to: 'S1',
          toLocationId: s1.id,
          quantity: 4,
          expectedDate: LATER,
          reference: 'DN-7',
        });
        assert.equal((await audit()).ok, true);
      });

      it('defaults the reason and reference', async () => {
        const body = await dispatched(2);
        assert.equal(body.reason, 'transfer');
        assert.equal(body.reference, null);
      });

      it('may send everything unreserved, and refuses reserved units with 409, nothing changed', async () => {
        await t.ctx.db.updateTable('stock').set({ reserved: 7 }).execute();
        await refused(
          {
            method: 'POST',
            url: '/v1/transfers',
            body: { sku: 'KET-01', from: 'W1', to: 'S1', quantity: 4, expectedDate: LATER },
          },
          409,
          'INSUFFICIENT_STOCK',
        );
        const body = await dispatched(3);
        assert.equal(body.state, 'in_transit');
        const w1 = await level('W1');
        assert.deepEqual([w1.onHand, w1.reserved, w1.available], [7, 7, 0]);
      });

      it('refuses more than the source holds with 409 INSUFFICIENT_STOCK, nothing changed', async () => {
        const error = await refused(
          {
            method: 'POST',
            url: '/v1/transfers',
            body: { sku: 'KET-01', from: 'W1', to: 'S1', quantity: 11, expectedDate: LATER },
          },
          409,
          'INSUFFICIENT_STOCK',
        );
        assert.equal(error.details.onHand, 10);
        await refused(
          {
            method: 'POST',
            url: '/v1/transfers',
            body: { sku: 'KET-01', from: 'S1', to: 'W1', quantity: 1, expectedDate: LATER },
          },
          409,
          'INSUFFICIENT_STOCK',
        );
      });

      const valid = { sku: 'KET-01', from: 'W1', to: 'S1', quantity: 2, expectedDate: LATER };
      const badBodies: [string, Record<string, unknown>][] = [
        ['a zero quantity', { ...valid, quantity: 0 }],
        ['a negative quantity', { ...valid, quantity: -2 }],
        ['a fractional quantity', { ...valid, quantity: 1.5 }],
        ['a quantity sent as text', { ...valid, quantity: '2' }],
        ['a missing quantity', { ...valid, quantity: undefined }],
        ['a missing expectedDate', { ...valid, expectedDate: undefined }],
        ['an expectedDate that is not a date', { ...valid, expectedDate: 'next week' }],
        ['an expectedDate that does not exist', { ...valid, expectedDate: '2026-02-30' }],
        ['an expectedDate with a time', { ...valid, expectedDate: '2026-12-01T10:00:00Z' }],
        ['an unknown field', { ...valid, eta: LATER }],
        ['an empty reason', { ...valid, reason: '' }],
      ];
      for (const [label, body] of badBodies) {
        it(`refuses ${label} with 400 VALIDATION_FAILED, nothing changed`, async () => {
          await refused({ method: 'POST', url: '/v1/transfers', body }, 400, 'VALIDATION_FAILED');
        });
      }

      it('names the unknown field', async () => {
        const error = await refused(
          { method: 'POST', url: '/v1/transfers', body: { ...valid, eta: LATER } },
          400,
          'VALIDATION_FAILED',
        );
        assert.match(error.message, /unknown property "eta"/);
      });

      it('refuses the same location at both ends with 400 SAME_LOCATION, nothing changed', async () => {
        await refused(
          { method: 'POST', url: '/v1/transfers', body: { ...valid, to: 'W1' } },
          400,
          'SAME_LOCATION',
        );
      });

      it('refuses an expected date before today at the destination, nothing changed', async () => {
        const error = await refused(
          { method: 'POST', url: '/v1/transfers', body: { ...valid, expectedDate: '2026-11-25' } },
          400,
          'EXPECTED_DATE_IN_PAST',
        );
        assert.equal(error.details.today, '2026-11-26');
        const today = await dispatched(1, { expectedDate: '2026-11-26' });
        assert.equal(today.expectedDate, '2026-11-26');
      });

      it("judges 'today' in the destination's time zone", async () => {
        // 05:00 UTC on the 26th is still the 25th in Honolulu (UTC−10).
        t.clock.set('2026-11-26T05:00:00.000Z');
        await insertLocation(t.ctx, { code: 'HNL', timeZone: 'Pacific/Honolulu' });
        const there = await dispatched(1, { to: 'HNL', expectedDate: '2026-11-25' });
        assert.equal(there.expectedDate, '2026-11-25');
        await refused(
          { method: 'POST', url: '/v1/transfers', body: { ...valid, expectedDate: '2026-11-25' } },
          400,
          'EXPECTED_DATE_IN_PAST',
        );
      });

      it('answers 404 for an unknown SKU or location, nothing changed', async () => {
        await refused(
          { method: 'POST', url: '/v1/transfers', body: { ...valid, sku: 'NOPE' } },
          404,
          'ITEM_NOT_FOUND',
        );
        await refused(
          { method: 'POST', url: '/v1/transfers', body: { ...valid, to: 'NOWHERE' } },
          404,
          'LOCATION_NOT_FOUND',
        );
        await refused(
          { method: 'POST', url: '/v1/transfers', body: { ...valid, from: 'NOWHERE' } },
          404,
          'LOCATION_NOT_FOUND',
        );
      });
    });

    describe('receipts', () => {
      it('receives in parts: on hand grows at the destination, the state follows', async () => {
        const transfer = await dispatched(4);
        const first = await received(transfer.id, 'GRN-1', 1);
        assert.deepEqual(first, {
          receiptId: 'GRN-1',
          transferId: transfer.id,
          quantity: 1,
          receivedAt: TEST_NOW,
          transfer: { ...transfer, received: 1, inTransit: 3, state: 'partially_received' },
        });
        assert.equal((await level('S1')).onHand, 1);
        assert.equal((await level('W1')).onHand, 6, 'the source is not touched again');

        t.clock.set('2026-11-28T09:30:00.000Z');
        const second = await received(transfer.id, 'GRN-2', 3);
        assert.deepEqual(second.transfer, {
          ...transfer,
          received: 4,
          inTransit: 0,
          state: 'received',
          receivedAt: '2026-11-28T09:30:00.000Z',
        });
        assert.deepEqual(await getTransfer(transfer.id), second.transfer);
        assert.equal((await level('S1')).onHand, 4);

        const entries = await ledger('?sku=KET-01&location=S1&type=transfer_in');
        assert.deepEqual(
          entries.map((e) => [e.quantity, e.onHandAfter, e.reference]),
          [
            [3, 4, `transfer:${transfer.id}/receipt:GRN-2`],
            [1, 1, `transfer:${transfer.id}/receipt:GRN-1`],
          ],
        );
        const receivedEvents = await events('transfer.received');
        assert.deepEqual(
          receivedEvents.map((e) => {
            const p = e.payload as Record<string, unknown>;
            return [e.subject, p.receiptId, p.quantity, p.received, p.inTransit, p.state];
          }),
          [
            [`transfer:${transfer.id}`, 'GRN-1', 1, 1, 3, 'partially_received'],
            [`transfer:${transfer.id}`, 'GRN-2', 3, 4, 0, 'received'],
          ],
        );
        const receipts = await t.ctx.db
          .selectFrom('transfer_receipts')
          .select(['transfer_id', 'receipt_id', 'quantity'])
          .orderBy('id')
          .execute();
        assert.deepEqual(receipts, [
          { transfer_id: transfer.id, receipt_id: 'GRN-1', quantity: 1 },
          { transfer_id: transfer.id, receipt_id: 'GRN-2', quantity: 3 },
        ]);
        assert.equal((await audit()).ok, true);
      });

      it('receives everything at once', async () => {
        const transfer = await dispatched(4);
        const receipt = await received(transfer.id, 'all', 4);
        assert.equal(receipt.transfer.state, 'received');
        assert.equal(receipt.transfer.receivedAt, TEST_NOW);
        assert.equal((await level('S1')).onHand, 4);
      });

      it('answers the same receipt again (200) for the same id and quantity, changing nothing', async () => {
        const transfer = await dispatched(4);
        const first = await receive(transfer.id, { receiptId: 'GRN-1', quantity: 2 });
        assert.equal(first.statusCode, 201, first.body);
        const before = await snapshot();
        t.clock.set('2026-11-27T08:00:00.000Z');
        const again = await receive(transfer.id, { receiptId: 'GRN-1', quantity: 2 });
        assert.equal(again.statusCode, 200, again.body);
        assert.deepEqual(json(again), json(first));
        assert.deepEqual(await snapshot(), before, 'a replay changed something');
        assert.equal((await level('S1')).onHand, 2);
      });

      it('replays a receipt after later ones with the transfer as it stands now', async () => {
        const transfer = await dispatched(4);
        await received(transfer.id, 'GRN-1', 1);
        await received(transfer.id, 'GRN-2', 3);
        const before = await snapshot();
        const again = await receive(transfer.id, { receiptId: 'GRN-1', quantity: 1 });
        assert.equal(again.statusCode, 200, again.body);
        const body = json<TransferReceipt>(again);
        assert.deepEqual(
          [body.receiptId, body.quantity, body.receivedAt, body.transfer.state],
          ['GRN-1', 1, TEST_NOW, 'received'],
        );
        assert.deepEqual(await snapshot(), before);
      });

      it('refuses a receipt id reused with another quantity: 409 RECEIPT_ID_CONFLICT, nothing changed', async () => {
        const transfer = await dispatched(4);
        await received(transfer.id, 'GRN-1', 1);
        const error = await refused(
          {
            method: 'POST',
            url: `/v1/transfers/${transfer.id}/receipts`,
            body: { receiptId: 'GRN-1', quantity: 2 },
          },
          409,
          'RECEIPT_ID_CONFLICT',
        );
        assert.deepEqual(
          [error.details.recordedQuantity, error.details.quantity],
          [1, 2],
          JSON.stringify(error),
        );
      });

      it('lets two transfers use the same receipt id', async () => {
        const a = await dispatched(2);
        const b = await dispatched(2);
        await received(a.id, 'GRN-1', 2);
        const other = await received(b.id, 'GRN-1', 1);
        assert.equal(other.transfer.id, b.id);
        assert.equal((await level('S1')).onHand, 3);
      });

      it('refuses more than is in transit with 409 TRANSFER_OVER_RECEIPT, nothing changed', async () => {
        const transfer = await dispatched(4);
        const error = await refused(
          {
            method: 'POST',
            url: `/v1/transfers/${transfer.id}/receipts`,
            body: { receiptId: 'GRN-1', quantity: 5 },
          },
          409,
          'TRANSFER_OVER_RECEIPT',
        );
        assert.deepEqual(
          [error.details.inTransit, error.details.requested],
          [4, 5],
          JSON.stringify(error),
        );
        await received(transfer.id, 'GRN-1', 3);
        await refused(
          {
            method: 'POST',
            url: `/v1/transfers/${transfer.id}/receipts`,
            body: { receiptId: 'GRN-2', quantity: 2 },
          },
          409,
          'TRANSFER_OVER_RECEIPT',
        );
        // The refused receipt id was not kept: it can be used for what really arrived.
        const last = await received(transfer.id, 'GRN-2', 1);
        assert.equal(last.transfer.state, 'received');
      });

      it('refuses to receive a transfer received in full: 409 INVALID_TRANSFER_STATE, nothing changed', async () => {
        const transfer = await dispatched(4);
        await received(transfer.id, 'GRN-1', 4);
        await refused(
          {
            method: 'POST',
            url: `/v1/transfers/${transfer.id}/receipts`,
            body: { receiptId: 'GRN-2', quantity: 1 },
          },
          409,
          'INVALID_TRANSFER_STATE',
        );
      });

      it('refuses to receive an immediate (completed) transfer: 409 INVALID_TRANSFER_STATE', async () => {
        const moved = await t.request({
          method: 'POST',
          url: '/v1/stock/transfers',
          body: { sku: 'KET-01', from: 'W1', to: 'S1', quantity: 2 },
        });
        assert.equal(moved.statusCode, 201, moved.body);
        const { id } = json<{ id: number }>(moved);
        const error = await refused(
          {
            method: 'POST',
            url: `/v1/transfers/${id}/receipts`,
            body: { receiptId: 'GRN-1', quantity: 1 },
          },
          409,
          'INVALID_TRANSFER_STATE',
        );
        assert.equal(error.details.state, 'completed');
        const document = await getTransfer(id);
        assert.deepEqual(
          [document.state, document.received, document.inTransit, document.expectedDate],
          ['completed', 2, 0, null],
        );
        assert.equal(document.receivedAt, TEST_NOW);
      });

      it('answers 404 TRANSFER_NOT_FOUND for an unknown transfer, nothing changed', async () => {
        await refused(
          {
            method: 'POST',
            url: '/v1/transfers/999999/receipts',
            body: { receiptId: 'GRN-1', quantity: 1 },
          },
          404,
          'TRANSFER_NOT_FOUND',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/transfers/999999' }),
          404,
          'TRANSFER_NOT_FOUND',
        );
      });

      const badReceipts: [string, Record<string, unknown>][] = [
        ['a zero quantity', { receiptId: 'GRN-1', quantity: 0 }],
        ['a negative quantity', { receiptId: 'GRN-1', quantity: -1 }],
        ['a fractional quantity', { receiptId: 'GRN-1', quantity: 0.5 }],
        ['a missing quantity', { receiptId: 'GRN-1' }],
        ['a missing receipt id', { quantity: 1 }],
        ['an empty receipt id', { receiptId: '', quantity: 1 }],
        ['a receipt id of 101 characters', { receiptId: 'R'.repeat(101), quantity: 1 }],
        ['a receipt id with spaces', { receiptId: 'GRN 1', quantity: 1 }],
        ['an unknown field', { receiptId: 'GRN-1', quantity: 1, location: 'S1' }],
      ];
      for (const [label, body] of badReceipts) {
        it(`refuses a receipt with ${label}: 400, nothing changed`, async () => {
          const transfer = await dispatched(4);
          await refused(
            { method: 'POST', url: `/v1/transfers/${transfer.id}/receipts`, body },
            400,
            'VALIDATION_FAILED',
          );
          assert.deepEqual(await getTransfer(transfer.id), transfer);
        });
      }

      it('accepts a receipt id of 100 characters', async () => {
        const transfer = await dispatched(4);
        const receipt = await received(transfer.id, 'R'.repeat(100), 1);
        assert.equal(receipt.receiptId.length, 100);
      });

      it('refuses a transfer id that is not a positive integer with 400', async () => {
        for (const id of ['abc', '0', '-1', '1.5']) {
          assertError(
            await receive(id, { receiptId: 'GRN-1', quantity: 1 }),
            400,
            'VALIDATION_FAILED',
          );
        }
      });

      it('receives exactly once under concurrent retries of the same receipt', async () => {
        const transfer = await dispatched(4);
        const responses = await Promise.all(
          Array.from({ length: 8 }, () =>
            receive(transfer.id, { receiptId: 'GRN-1', quantity: 3 }),
          ),
        );
        const statuses = responses.map((r) => r.statusCode).sort();
        assert.deepEqual(
          statuses,
          [200, 200, 200, 200, 200, 200, 200, 201],
          responses.map((r) => r.body).join('\n'),
        );
        assert.equal((await level('S1')).onHand, 3);
        assert.equal((await getTransfer(transfer.id)).received, 3);
        assert.equal((await events('transfer.received')).length, 1);
        assert.equal((await audit()).ok, true);
      });

      it('never receives more than was sent under concurrent receipts', async () => {
        const transfer = await dispatched(4);
        const responses = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            receive(transfer.id, { receiptId: `GRN-${i}`, quantity: 1 }),
          ),
        );
        const statuses = responses.map((r) => r.statusCode).sort();
        assert.deepEqual(
          statuses,
          [201, 201, 201, 201, 409, 409],
          responses.map((r) => r.body).join('\n'),
        );
        const after = await getTransfer(transfer.id);
        assert.deepEqual([after.received, after.state], [4, 'received']);
        assert.equal((await level('S1')).onHand, 4);
        assert.equal((await audit()).ok, true);
      });
    });

    describe('rescheduling', () => {
      it('moves the expected date and records the old and new date', async () => {
        const transfer = await dispatched(4);
        const response = await reschedule(transfer.id, { expectedDate: '2026-12-04' });
        assert.equal(response.statusCode, 200, response.body);
        assert.deepEqual(json(response), { ...transfer, expectedDate: '2026-12-04' });
        assert.deepEqual(await getTransfer(transfer.id), json(response));
        const changes = await events('transfer.expected_date_changed');
        assert.equal(changes.length, 1);
        assert.equal(changes[0]?.subject, `transfer:${transfer.id}`);
        const payload = changes[0]?.payload as Record<string, unknown>;
        assert.deepEqual(
          [payload.oldExpectedDate, payload.newExpectedDate, payload.inTransit],
          [LATER, '2026-12-04', 4],
        );
      });

      it('reschedules what is left of a partly received transfer', async () => {
        const transfer = await dispatched(4);
        await received(transfer.id, 'GRN-1', 1);
        const response = await reschedule(transfer.id, { expectedDate: '2026-11-30' });
        assert.equal(response.statusCode, 200, response.body);
        assert.equal(json<TransferDocument>(response).expectedDate, '2026-11-30');
        const [change] = await events('transfer.expected_date_changed');
        assert.ok(change, 'no transfer.expected_date_changed event');
        assert.equal((change.payload as { inTransit: number }).inTransit, 3);
      });

      it('records nothing when the date does not change', async () => {
        const transfer = await dispatched(4);
        const before = await snapshot();
        const response = await reschedule(transfer.id, { expectedDate: LATER });
        assert.equal(response.statusCode, 200, response.body);
        assert.deepEqual(json(response), transfer);
        assert.deepEqual(await snapshot(), before);
      });

      it('refuses a transfer no longer in transit with 409 INVALID_TRANSFER_STATE, nothing changed', async () => {
        const transfer = await dispatched(4);
        await received(transfer.id, 'GRN-1', 4);
        await refused(
          {
            method: 'PATCH',
            url: `/v1/transfers/${transfer.id}`,
            body: { expectedDate: '2026-12-04' },
          },
          409,
          'INVALID_TRANSFER_STATE',
        );
      });

      it('refuses bad dates and bodies with 400, nothing changed', async () => {
        const transfer = await dispatched(4);
        const url = `/v1/transfers/${transfer.id}`;
        for (const body of [
          {},
          { expectedDate: null },
          { expectedDate: '2026-13-01' },
          { expectedDate: LATER, quantity: 2 },
        ]) {
          await refused({ method: 'PATCH', url, body }, 400, 'VALIDATION_FAILED');
        }
        await refused(
          { method: 'PATCH', url, body: { expectedDate: '2026-11-01' } },
          400,
          'EXPECTED_DATE_IN_PAST',
        );
        await refused(
          { method: 'PATCH', url: '/v1/transfers/999999', body: { expectedDate: LATER } },
          404,
          'TRANSFER_NOT_FOUND',
        );
      });
    });

    describe('listing', () => {
      it('filters by state, SKU and either end, and pages with a cursor', async () => {
        await insertItem(t.ctx, { sku: 'MUG-01' });
        await insertLocation(t.ctx, { code: 'W2' });
        await putStock(t.ctx, 'MUG-01', 'W1', 10);
        const a = await dispatched(1);
        const b = await dispatched(2, { to: 'W2' });
        const c = await dispatched(3, { sku: 'MUG-01' });
        await received(a.id, 'GRN-1', 1);
        const immediate = await t.request({
          method: 'POST',
          url: '/v1/stock/transfers',
          body: { sku: 'KET-01', from: 'W1', to: 'W2', quantity: 1 },
        });
        const d = json<{ id: number }>(immediate);

        const list = async (query: string) => {
          const response = await t.request({ method: 'GET', url: `/v1/transfers${query}` });
          assert.equal(response.statusCode, 200, response.body);
          return json<Page<TransferDocument>>(response);
        };
        const ids = async (query: string) => (await list(query)).items.map((i) => i.id);

        assert.deepEqual(await ids(''), [a.id, b.id, c.id, d.id]);
        assert.deepEqual(await ids('?state=in_transit'), [b.id, c.id]);
        assert.deepEqual(await ids('?state=received'), [a.id]);
        assert.deepEqual(await ids('?state=completed'), [d.id]);
        assert.deepEqual(await ids('?sku=MUG-01'), [c.id]);
        assert.deepEqual(await ids('?location=W2'), [b.id, d.id]);
        assert.deepEqual(await ids('?location=W1&sku=KET-01&state=in_transit'), [b.id]);
        assert.deepEqual(await ids('?location=S1'), [a.id, c.id]);

        const first = await list('?limit=3');
        assert.deepEqual(
          first.items.map((i) => i.id),
          [a.id, b.id, c.id],
        );
        assert.ok(first.nextCursor);
        const second = await list(`?limit=3&cursor=${first.nextCursor}`);
        assert.deepEqual(
          second.items.map((i) => i.id),
          [d.id],
        );
        assert.equal(second.nextCursor, null);
        assert.deepEqual(first.items[0], await getTransfer(a.id));
      });

      it('refuses bad filters', async () => {
        for (const query of ['?state=lost', '?limit=0', '?cursor=bm9wZQ', '?colour=red']) {
          const response = await t.request({ method: 'GET', url: `/v1/transfers${query}` });
          assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
        }
        assertError(
          await t.request({ method: 'GET', url: '/v1/transfers?sku=NOPE' }),
          404,
          'ITEM_NOT_FOUND',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/transfers?location=NOWHERE' }),
          404,
          'LOCATION_NOT_FOUND',
        );
      });
    });

    describe('in transit is incoming at the destination', () => {
      async function supply(location: string) {
        const response = await t.request({
          method: 'GET',
          url: `/v1/supply?sku=KET-01&location=${location}`,
        });
        assert.equal(response.statusCode, 200, response.body);
        return json<Supply>(response);
      }
      async function availability(location: string) {
        const response = await t.request({
          method: 'GET',
          url: `/v1/availability/KET-01?location=${location}`,
        });
        assert.equal(response.statusCode, 200, response.body);
        return json<{
          quantities: { onHand: number; incoming: number };
          nextExpectedDate: string | null;
        }>(response);
      }

      it('until every unit has arrived', async () => {
        const transfer = await dispatched(4);
        let s1 = await supply('S1');
        assert.deepEqual(
          [s1.total, s1.nextExpectedDate, s1.lines],
          [
            4,
            LATER,
            [
              {
                expectedDate: LATER,
                quantity: 4,
                confidence: 'confirmed',
                location: 'S1',
                source: { kind: 'transfer', transferId: transfer.id, from: 'W1' },
              },
            ],
          ],
        );
        let answer = await availability('S1');
        assert.deepEqual(
          [answer.quantities.onHand, answer.quantities.incoming, answer.nextExpectedDate],
          [0, 4, LATER],
        );
        const w1 = await availability('W1');
        assert.deepEqual(
          [w1.quantities.onHand, w1.quantities.incoming, w1.nextExpectedDate],
          [6, 0, null],
          'the source expects nothing back',
        );
        assert.equal((await supply('W1')).total, 0);

        await received(transfer.id, 'GRN-1', 1);
        s1 = await supply('S1');
        assert.deepEqual([s1.total, s1.lines[0]?.quantity], [3, 3]);
        answer = await availability('S1');
        assert.deepEqual([answer.quantities.onHand, answer.quantities.incoming], [1, 3]);

        await received(transfer.id, 'GRN-2', 3);
        s1 = await supply('S1');
        assert.deepEqual([s1.total, s1.nextExpectedDate, s1.lines], [0, null, []]);
        answer = await availability('S1');
        assert.deepEqual(
          [answer.quantities.onHand, answer.quantities.incoming, answer.nextExpectedDate],
          [4, 0, null],
        );
      });

      it('an immediate move is never incoming', async () => {
        const moved = await t.request({
          method: 'POST',
          url: '/v1/stock/transfers',
          body: { sku: 'KET-01', from: 'W1', to: 'S1', quantity: 2 },
        });
        assert.equal(moved.statusCode, 201, moved.body);
        assert.equal((await supply('S1')).total, 0);
        assert.equal((await availability('S1')).quantities.incoming, 0);
      });
    });

    describe('access', () => {
      it('lets staff dispatch and read, and keeps channel keys and strangers out', async () => {
        const body = { sku: 'KET-01', from: 'W1', to: 'S1', quantity: 1, expectedDate: LATER };
        const byStaff = await dispatch(body, t.staffKey);
        assert.equal(byStaff.statusCode, 201, byStaff.body);
        const { id } = json<TransferDocument>(byStaff);
        const channel = await t.channelKey('web');
        for (const request of [
          { method: 'POST' as const, url: '/v1/transfers', body },
          {
            method: 'POST' as const,
            url: `/v1/transfers/${id}/receipts`,
            body: { receiptId: 'A', quantity: 1 },
          },
          { method: 'PATCH' as const, url: `/v1/transfers/${id}`, body: { expectedDate: LATER } },
          { method: 'GET' as const, url: `/v1/transfers/${id}` },
          { method: 'GET' as const, url: '/v1/transfers' },
        ]) {
          assertError(await t.request({ ...request, key: channel }), 403, 'FORBIDDEN');
          assertError(await t.request({ ...request, key: null }), 401, 'UNAUTHORIZED');
        }
        assert.equal((await getTransfer(id)).received, 0);
      });
    });
  });
}
