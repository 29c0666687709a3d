import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type * as stock from '../../src/inventory/stock.schemas.js';
import type * as purchasing from '../../src/purchasing/purchase-orders.schemas.js';
import { json, startTestApp, TEST_NOW, type TestApp, type TestRequest } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import type { Body, ErrorBody, Page } from '../helpers/responses.js';

type State = Body<typeof purchasing.PurchaseOrderState>;
type Line = Body<typeof purchasing.PurchaseOrderLine>;
type PurchaseOrder = Body<typeof purchasing.PurchaseOrder>;
type Receipt = Body<typeof purchasing.Receipt>;
type Change = Body<typeof purchasing.Change>;
type StockLevel = Body<typeof stock.StockLevel>;
type LedgerEntry = Body<typeof stock.LedgerEntry>;

interface DomainEvent {
  type: string;
  subject: string;
  payload: Record<string, unknown>;
  actor: string;
  createdAt: string;
}

const ACTOR = /^key:\d+\//;
const LATER = '2026-11-28T15:30:00.000Z';

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  const body = json<ErrorBody>(response);
  assert.equal(body.error.code, code, response.body);
  return body.error;
}

function lineAt(order: PurchaseOrder, index: number): Line {
  const line = order.lines[index];
  assert.ok(line, `no line ${index}: ${JSON.stringify(order)}`);
  return line;
}

for (const target of testDatabases()) {
  describe(`purchase-order routes (${target.kind})`, () => {
    let t: TestApp;

    /** Sends a request that must succeed with `status` and returns its JSON body. */
    async function ok<T>(request: TestRequest, status = 200): Promise<T> {
      const response = await t.request(request);
      assert.equal(
        response.statusCode,
        status,
        `${request.method} ${request.url}: ${response.body}`,
      );
      return json<T>(response);
    }

    // The world every test starts from, built through the API as an integrator would:
    // warehouses W1 and W2; KET-01 sold by ACME at 20 on ACME's 10-day lead time; MUG-01
    // sold by ACME at 4.50 with its own 3-day lead time; PAN-01 not linked to ACME; a
    // second supplier BOLT.
    beforeEach(async () => {
      t = await startTestApp(target);
      for (const code of ['W1', 'W2']) {
        await ok(
          {
            method: 'POST',
            url: '/v1/locations',
            body: { code, name: `Warehouse ${code}`, kind: 'warehouse' },
          },
          201,
        );
      }
      for (const [sku, name] of [
        ['KET-01', 'Kettle'],
        ['MUG-01', 'Mug'],
        ['PAN-01', 'Pan'],
      ] as const) {
        await ok(
          {
            method: 'POST',
            url: '/v1/items',
            body: { sku, name, category: 'kitchen', price: 40 },
          },
          201,
        );
      }
      await ok(
        {
          method: 'POST',
          url: '/v1/suppliers',
          body: { code: 'ACME', name: 'Acme', email: 'po@acme.test', leadTimeDays: 10 },
        },
        201,
      );
      await ok(
        {
          method: 'POST',
          url: '/v1/suppliers',
          body: { code: 'BOLT', name: 'Bolt & Co', email: 'orders@bolt.test', leadTimeDays: 5 },
        },
        201,
      );
      await ok({ method: 'PUT', url: '/v1/suppliers/ACME/items/KET-01', body: { unitCost: 20 } });
      await ok({
        method: 'PUT',
        url: '/v1/suppliers/ACME/items/MUG-01',
        body: { unitCost: 4.5, leadTimeDays: 3 },
      });
    });

    afterEach(async () => {
      // Check the invariants only when the test itself could run; a failed set-up has
      // already been reported.
      try {
        await assertInvariants();
      } finally {
        await t.close();
      }
    });

    // ---- helpers -------------------------------------------------------------------

    const create = (body: Record<string, unknown>) =>
      ok<PurchaseOrder>({ method: 'POST', url: '/v1/purchase-orders', body }, 201);

    /** A draft from ACME to W1; ten kettles unless other lines are given. */
    const draft = (lines: Record<string, unknown>[] = [{ sku: 'KET-01', quantity: 10 }]) =>
      create({ supplier: 'ACME', location: 'W1', lines });

    const get = (id: number) =>
      ok<PurchaseOrder>({ method: 'GET', url: `/v1/purchase-orders/${id}` });

    const act = (id: number, action: 'send' | 'confirm' | 'cancel', body?: unknown) =>
      t.request({ method: 'POST', url: `/v1/purchase-orders/${id}/${action}`, body });

    async function transitioned(id: number, action: 'send' | 'confirm' | 'cancel', body?: unknown) {
      const response = await act(id, action, body);
      assert.equal(response.statusCode, 200, response.body);
      return json<PurchaseOrder>(response);
    }

    async function sent(lines?: Record<string, unknown>[]) {
      return transitioned((await draft(lines)).id, 'send');
    }

    const receive = (id: number, receiptId: string, lines: { line: number; quantity: number }[]) =>
      t.request({
        method: 'POST',
        url: `/v1/purchase-orders/${id}/receipts`,
        body: { receiptId, lines },
      });

    async function received(
      id: number,
      receiptId: string,
      lines: { line: number; quantity: number }[],
    ) {
      const response = await receive(id, receiptId, lines);
      assert.equal(response.statusCode, 201, response.body);
      assert.equal(response.headers['idempotent-replayed'], 'false');
      return json<Receipt>(response);
    }

    const patchLine = (id: number, line: number, body: unknown) =>
      t.request({ method: 'PATCH', url: `/v1/purchase-orders/${id}/lines/${line}`, body });

    async function patched(id: number, line: number, body: unknown) {
      const response = await patchLine(id, line, body);
      assert.equal(response.statusCode, 200, response.body);
      return json<PurchaseOrder>(response);
    }

    const history = async (id: number) =>
      (await ok<{ items: Change[] }>({ method: 'GET', url: `/v1/purchase-orders/${id}/history` }))
        .items;

    /** An order from ACME to W1 for ten kettles, brought to `state` through the API. */
    async function orderIn(state: State): Promise<PurchaseOrder> {
      const order = await draft();
      const line = lineAt(order, 0).id;
      switch (state) {
        case 'draft':
          return order;
        case 'sent':
          return transitioned(order.id, 'send');
        case 'confirmed':
          await transitioned(order.id, 'send');
          return transitioned(order.id, 'confirm');
        case 'partially_received':
          await transitioned(order.id, 'send');
          return (await received(order.id, 'PART', [{ line, quantity: 4 }])).purchaseOrder;
        case 'received':
          await transitioned(order.id, 'send');
          return (await received(order.id, 'ALL', [{ line, quantity: 10 }])).purchaseOrder;
        case 'cancelled':
          return transitioned(order.id, 'cancel');
      }
    }

    async function stock(sku: string, location: string): Promise<StockLevel> {
      return ok<StockLevel>({ method: 'GET', url: `/v1/stock/${sku}/${location}` });
    }

    async function ledger(query: string): Promise<LedgerEntry[]> {
      return (await ok<Page<LedgerEntry>>({ method: 'GET', url: `/v1/stock/ledger${query}` }))
        .items;
    }

    async function count(table: string): Promise<number> {
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(
        table,
      )}`.execute(t.ctx.db);
      return Number(rows[0]?.n);
    }

    async function events(type?: string): Promise<DomainEvent[]> {
      let query = t.ctx.db.selectFrom('domain_events').selectAll().orderBy('id');
      if (type !== undefined) query = query.where('type', '=', type);
      return (await query.execute()).map((row) => ({
        type: row.type,
        subject: row.subject,
        payload: JSON.parse(row.payload) as Record<string, unknown>,
        actor: row.actor,
        createdAt: row.created_at,
      }));
    }

    /** Exactly one event of `type` exists; returns it. */
    async function onlyEvent(type: string): Promise<DomainEvent> {
      const found = await events(type);
      assert.equal(found.length, 1, `${type}: ${JSON.stringify(found)}`);
      return found[0]!;
    }

    async function itemId(sku: string): Promise<number> {
      const row = await t.ctx.db
        .selectFrom('items')
        .select('id')
        .where('sku', '=', sku)
        .executeTakeFirstOrThrow();
      return row.id;
    }

    /**
     * Everything a purchase-order request could touch: the orders as the API shows them,
     * their rows, stock, the ledger, receipts, history and domain events.
     */
    async function snapshot() {
      const db = t.ctx.db;
      return {
        orders: (
          await ok<Page<PurchaseOrder>>({ method: 'GET', url: '/v1/purchase-orders?limit=1000' })
        ).items,
        orderRows: await db.selectFrom('purchase_orders').selectAll().orderBy('id').execute(),
        lineRows: await db.selectFrom('purchase_order_lines').selectAll().orderBy('id').execute(),
        stock: await db
          .selectFrom('stock')
          .selectAll()
          .orderBy('item_id')
          .orderBy('location_id')
          .execute(),
        ledger: await count('stock_ledger'),
        receipts: await count('receipts'),
        receiptLines: await count('receipt_lines'),
        changes: await count('purchase_order_changes'),
        events: await count('domain_events'),
      };
    }

    /** Runs a request that must fail and checks that it changed nothing at all. */
    async function refused(request: TestRequest, status: number, code: string) {
      const before = await snapshot();
      const response = await t.request(request);
      const error = assertError(response, status, code);
      assert.deepEqual(await snapshot(), before, `changed something: ${response.body}`);
      return error;
    }

    /**
     * The quantity invariants, checked after every test: no line brings a negative amount
     * unless over-received, a line is complete exactly when nothing is open, what a line
     * received is what its receipts say and what the ledger got, the API's figures add
     * up, the order's state matches its lines, and on_hand still equals its ledger.
     */
    async function assertInvariants() {
      const db = t.ctx.db;
      const lines = await db.selectFrom('purchase_order_lines').selectAll().orderBy('id').execute();
      const receiptSums = new Map(
        (
          await db
            .selectFrom('receipt_lines')
            .select(['line_id', (eb) => eb.fn.sum<number>('quantity').as('total')])
            .groupBy('line_id')
            .execute()
        ).map((r) => [r.line_id, Number(r.total)]),
      );
      for (const l of lines) {
        const label = JSON.stringify(l);
        assert.ok(l.quantity_ordered > 0, label);
        assert.ok(l.quantity_received >= 0, label);
        assert.ok(l.quantity_cancelled >= 0, label);
        const open = l.quantity_ordered - l.quantity_received - l.quantity_cancelled;
        const overReceived = l.quantity_received > l.quantity_ordered;
        if (overReceived) assert.equal(l.quantity_cancelled, 0, label);
        else assert.ok(open >= 0, label);
        assert.equal(l.completed_at !== null, open <= 0, `completed iff nothing open: ${label}`);
        assert.equal(l.quantity_received, receiptSums.get(l.id) ?? 0, `receipts: ${label}`);
      }

      // What the ledger got from purchase-order receipts, per item × location, is what
      // the lines say they received.
      const fromLedger = await db
        .selectFrom('stock_ledger')
        .select(['item_id', 'location_id', (eb) => eb.fn.sum<number>('quantity').as('total')])
        .where('reference', 'like', 'po:%')
        .groupBy(['item_id', 'location_id'])
        .execute();
      const fromLines = await db
        .selectFrom('purchase_order_lines as l')
        .innerJoin('purchase_orders as po', 'po.id', 'l.purchase_order_id')
        .select([
          'l.item_id',
          'po.location_id',
          (eb) => eb.fn.sum<number>('l.quantity_received').as('total'),
        ])
        .where('l.quantity_received', '>', 0)
        .groupBy(['l.item_id', 'po.location_id'])
        .execute();
      const key = (r: { item_id: number; location_id: number; total: number }) =>
        `${r.item_id}@${r.location_id}=${Number(r.total)}`;
      assert.deepEqual(fromLedger.map(key).sort(), fromLines.map(key).sort());

      const orders = (
        await ok<Page<PurchaseOrder>>({ method: 'GET', url: '/v1/purchase-orders?limit=1000' })
      ).items;
      for (const order of orders) {
        const label = JSON.stringify(order);
        for (const l of order.lines) {
          assert.equal(l.open, Math.max(0, l.quantity - l.received - l.cancelled), label);
          assert.equal(l.overReceived, l.received > l.quantity, label);
        }
        const sum = (pick: (l: Line) => number) => order.lines.reduce((s, l) => s + pick(l), 0);
        assert.deepEqual(
          order.totals,
          {
            ordered: sum((l) => l.quantity),
            received: sum((l) => l.received),
            cancelled: sum((l) => l.cancelled),
            open: sum((l) => l.open),
            cost: Math.round(sum((l) => (l.quantity - l.cancelled) * l.unitCost) * 100) / 100,
          },
          label,
        );
        const { open, received, cancelled } = order.totals;
        assert.ok(order.lines.length > 0, label);
        assert.equal(
          order.closedAt !== null,
          order.state === 'received' || order.state === 'cancelled',
          label,
        );
        switch (order.state) {
          case 'draft':
            assert.equal(received + cancelled, 0, label);
            assert.equal(order.sentAt, null, label);
            break;
          case 'sent':
          case 'confirmed':
            assert.equal(received, 0, label);
            assert.ok(open > 0, label);
            assert.notEqual(order.sentAt, null, label);
            break;
          case 'partially_received':
            assert.ok(received > 0 && open > 0, label);
            break;
          case 'received':
            assert.ok(received > 0 && open === 0, label);
            break;
          case 'cancelled':
            assert.equal(open, 0, label);
            break;
        }
      }

      const audit = await ok<{ ok: boolean }>({ method: 'GET', url: '/v1/stock/audit' });
      assert.equal(audit.ok, true, JSON.stringify(audit));
    }

    // ---- create --------------------------------------------------------------------

    describe('create', () => {
      it('creates a draft with the line fields given, totals included, and reads it back', async () => {
        const order = await create({
          supplier: 'ACME',
          location: 'W1',
          reference: 'REQ-7',
          lines: [
            {
              sku: 'KET-01',
              quantity: 10,
              unitCost: 19.99,
              expectedDate: '2026-12-01',
              confidence: 'confirmed',
            },
          ],
        });
        assert.equal(typeof order.id, 'number');
        const line = lineAt(order, 0);
        assert.equal(typeof line.id, 'number');
        assert.deepEqual(order, {
          id: order.id,
          supplier: 'ACME',
          location: 'W1',
          state: 'draft',
          reference: 'REQ-7',
          createdAt: TEST_NOW,
          updatedAt: TEST_NOW,
          sentAt: null,
          confirmedAt: null,
          closedAt: null,
          lines: [
            {
              id: line.id,
              sku: 'KET-01',
              quantity: 10,
              received: 0,
              cancelled: 0,
              open: 10,
              overReceived: false,
              unitCost: 19.99,
              expectedDate: '2026-12-01',
              firstExpectedDate: null,
              confidence: 'confirmed',
              completedAt: null,
            },
          ],
          totals: { ordered: 10, received: 0, cancelled: 0, open: 10, cost: 199.9 },
        });
        assert.deepEqual(await get(order.id), order);
        // A draft is not a commitment: no history, no event.
        assert.deepEqual(await history(order.id), []);
        assert.deepEqual(await events(), []);
      });

      it('fills defaults: supplier item cost, today + lead time (or the item override), estimated', async () => {
        const order = await create({
          supplier: 'ACME',
          location: 'W2',
          lines: [
            { sku: 'KET-01', quantity: 2 },
            { sku: 'MUG-01', quantity: 3 },
            { sku: 'PAN-01', quantity: 1, unitCost: 7 },
            { sku: 'KET-01', quantity: 1, expectedDate: '2027-01-05' },
          ],
        });
        assert.deepEqual(
          order.lines.map((l) => [l.sku, l.quantity, l.unitCost, l.expectedDate, l.confidence]),
          [
            // ACME lead time 10 days from 2026-11-26.
            ['KET-01', 2, 20, '2026-12-06', 'estimated'],
            // The supplier item's own 3 days.
            ['MUG-01', 3, 4.5, '2026-11-29', 'estimated'],
            // Not linked: the cost is given, the date falls back to the supplier's lead time.
            ['PAN-01', 1, 7, '2026-12-06', 'estimated'],
            ['KET-01', 1, 20, '2027-01-05', 'estimated'],
          ],
        );
        assert.equal(order.location, 'W2');
        assert.equal(order.reference, null);
        assert.deepEqual(order.totals, {
          ordered: 7,
          received: 0,
          cancelled: 0,
          open: 7,
          cost: 2 * 20 + 3 * 4.5 + 7 + 20,
        });
      });

      it('follows the supplier catalogue as it is when the order is created', async () => {
        await ok({
          method: 'PUT',
          url: '/v1/suppliers/ACME/items/KET-01',
          body: { unitCost: 22.25, leadTimeDays: 1 },
        });
        const order = await draft();
        assert.deepEqual(
          [lineAt(order, 0).unitCost, lineAt(order, 0).expectedDate],
          [22.25, '2026-11-27'],
        );
      });

      it("refuses a reference the supplier's orders already use: 409 DUPLICATE_REFERENCE", async () => {
        await create({
          supplier: 'ACME',
          location: 'W1',
          reference: 'PO-7',
          lines: [{ sku: 'KET-01', quantity: 1 }],
        });
        const error = await refused(
          {
            method: 'POST',
            url: '/v1/purchase-orders',
            body: {
              supplier: 'ACME',
              location: 'W2',
              reference: 'PO-7',
              lines: [{ sku: 'KET-01', quantity: 2 }],
            },
          },
          409,
          'DUPLICATE_REFERENCE',
        );
        assert.deepEqual(error.details, { supplier: 'ACME', reference: 'PO-7' });
        // Another supplier may use the same reference.
        await create({
          supplier: 'BOLT',
          location: 'W1',
          reference: 'PO-7',
          lines: [{ sku: 'KET-01', quantity: 1, unitCost: 3 }],
        });
      });

      it('refuses a line the supplier has no cost for: 400 UNIT_COST_REQUIRED, nothing created', async () => {
        const error = await refused(
          {
            method: 'POST',
            url: '/v1/purchase-orders',
            body: {
              supplier: 'ACME',
              location: 'W1',
              lines: [
                { sku: 'KET-01', quantity: 1 },
                { sku: 'PAN-01', quantity: 2 },
              ],
            },
          },
          400,
          'UNIT_COST_REQUIRED',
        );
        assert.deepEqual(error.details, { sku: 'PAN-01' });
        // Another supplier's link does not help: BOLT has none for KET-01.
        await refused(
          {
            method: 'POST',
            url: '/v1/purchase-orders',
            body: { supplier: 'BOLT', location: 'W1', lines: [{ sku: 'KET-01', quantity: 1 }] },
          },
          400,
          'UNIT_COST_REQUIRED',
        );
      });

      it('answers 404 for an unknown supplier or location, nothing created', async () => {
        const supplier = await refused(
          {
            method: 'POST',
            url: '/v1/purchase-orders',
            body: { supplier: 'NOPE', location: 'W1', lines: [{ sku: 'KET-01', quantity: 1 }] },
          },
          404,
          'SUPPLIER_NOT_FOUND',
        );
        assert.equal(supplier.details.code, 'NOPE');
        await refused(
          {
            method: 'POST',
            url: '/v1/purchase-orders',
            body: {
              supplier: 'ACME',
              location: 'NOWHERE',
              lines: [{ sku: 'KET-01', quantity: 1 }],
            },
          },
          404,
          'LOCATION_NOT_FOUND',
        );
      });

      it('answers 404 ITEM_NOT_FOUND listing every unknown SKU once, nothing created', async () => {
        const error = await refused(
          {
            method: 'POST',
            url: '/v1/purchase-orders',
            body: {
              supplier: 'ACME',
              location: 'W1',
              lines: [
                { sku: 'NOPE-1', quantity: 1 },
                { sku: 'KET-01', quantity: 1 },
                { sku: 'NOPE-2', quantity: 1, unitCost: 3 },
                { sku: 'NOPE-1', quantity: 2 },
              ],
            },
          },
          404,
          'ITEM_NOT_FOUND',
        );
        assert.deepEqual(error.details, { skus: ['NOPE-1', 'NOPE-2'] });
        assert.match(error.message, /NOPE-1, NOPE-2/);
      });

      for (const quantity of [0, -1, 1.5]) {
        it(`refuses a line quantity of ${quantity} with 400, nothing created`, async () => {
          const error = await refused(
            {
              method: 'POST',
              url: '/v1/purchase-orders',
              body: {
                supplier: 'ACME',
                location: 'W1',
                lines: [
                  { sku: 'KET-01', quantity: 1 },
                  { sku: 'MUG-01', quantity },
                ],
              },
            },
            400,
            'VALIDATION_FAILED',
          );
          assert.match(error.message, /\/lines\/1\/quantity/, JSON.stringify(error));
        });
      }

      for (const [label, body, path] of [
        [
          'an unknown field on the order',
          {
            supplier: 'ACME',
            location: 'W1',
            state: 'sent',
            lines: [{ sku: 'KET-01', quantity: 1 }],
          },
          /unknown property "state"/,
        ],
        [
          'an unknown field on a line',
          {
            supplier: 'ACME',
            location: 'W1',
            lines: [{ sku: 'KET-01', quantity: 1, received: 1 }],
          },
          /unknown property "received"/,
        ],
        ['no lines', { supplier: 'ACME', location: 'W1', lines: [] }, /\/lines/],
        [
          'a missing supplier',
          { location: 'W1', lines: [{ sku: 'KET-01', quantity: 1 }] },
          /supplier/,
        ],
        [
          'a bad date',
          {
            supplier: 'ACME',
            location: 'W1',
            lines: [{ sku: 'KET-01', quantity: 1, expectedDate: '2026-13-01' }],
          },
          /expectedDate/,
        ],
        [
          'a bad confidence',
          {
            supplier: 'ACME',
            location: 'W1',
            lines: [{ sku: 'KET-01', quantity: 1, confidence: 'certain' }],
          },
          /confidence/,
        ],
        [
          'a negative unit cost',
          {
            supplier: 'ACME',
            location: 'W1',
            lines: [{ sku: 'KET-01', quantity: 1, unitCost: -1 }],
          },
          /unitCost/,
        ],
      ] as const) {
        it(`refuses ${label} with 400 VALIDATION_FAILED, nothing created`, async () => {
          const error = await refused(
            { method: 'POST', url: '/v1/purchase-orders', body },
            400,
            'VALIDATION_FAILED',
          );
          assert.match(error.message, path, JSON.stringify(error));
        });
      }
    });

    // ---- transitions ---------------------------------------------------------------

    describe('transitions', () => {
      it('sends a draft: sentAt set, first expected dates stamped, one sent event', async () => {
        const order = await draft([
          { sku: 'KET-01', quantity: 10, expectedDate: '2026-12-01', confidence: 'confirmed' },
          { sku: 'MUG-01', quantity: 4 },
        ]);
        t.clock.set(LATER);
        const sentOrder = await transitioned(order.id, 'send');
        assert.equal(sentOrder.state, 'sent');
        assert.equal(sentOrder.sentAt, LATER);
        assert.equal(sentOrder.updatedAt, LATER);
        assert.equal(sentOrder.createdAt, TEST_NOW);
        assert.equal(sentOrder.confirmedAt, null);
        assert.equal(sentOrder.closedAt, null);
        assert.deepEqual(
          sentOrder.lines.map((l) => [l.expectedDate, l.firstExpectedDate]),
          [
            ['2026-12-01', '2026-12-01'],
            ['2026-11-29', '2026-11-29'],
          ],
        );
        assert.deepEqual(await get(order.id), sentOrder);

        const event = await onlyEvent('purchase_order.sent');
        assert.equal(event.subject, `purchase_order:${order.id}`);
        assert.match(event.actor, ACTOR);
        assert.equal(event.createdAt, LATER);
        assert.deepEqual(event.payload, {
          purchaseOrderId: order.id,
          lines: [
            {
              lineId: lineAt(order, 0).id,
              itemId: await itemId('KET-01'),
              sku: 'KET-01',
              open: 10,
            },
            {
              lineId: lineAt(order, 1).id,
              itemId: await itemId('MUG-01'),
              sku: 'MUG-01',
              open: 4,
            },
          ],
          reason: null,
        });
        assert.equal((await events()).length, 1);
      });

      it('takes an optional reason, or no body at all', async () => {
        const withReason = await draft();
        await transitioned(withReason.id, 'send', { reason: 'weekly order' });
        assert.equal((await onlyEvent('purchase_order.sent')).payload.reason, 'weekly order');

        const noBody = await draft();
        const response = await t.request({
          method: 'POST',
          url: `/v1/purchase-orders/${noBody.id}/send`,
        });
        assert.equal(response.statusCode, 200, response.body);
        assert.equal(json<PurchaseOrder>(response).state, 'sent');
      });

      it('confirms a sent order: confirmedAt set, estimated dates confirmed, both kept in the history', async () => {
        const order = await sent([
          { sku: 'KET-01', quantity: 10 },
          { sku: 'KET-01', quantity: 5, confidence: 'confirmed' },
        ]);
        t.clock.set(LATER);
        const confirmed = await transitioned(order.id, 'confirm', { reason: 'supplier replied' });
        assert.equal(confirmed.state, 'confirmed');
        assert.equal(confirmed.confirmedAt, LATER);
        assert.equal(confirmed.sentAt, TEST_NOW);
        assert.equal(confirmed.closedAt, null);
        assert.deepEqual(
          confirmed.lines.map((l) => l.confidence),
          ['confirmed', 'confirmed'],
        );
        const changes = await history(order.id);
        assert.equal(changes.length, 2, JSON.stringify(changes));
        assert.deepEqual(
          [changes[1]?.line, changes[1]?.field, changes[1]?.oldValue, changes[1]?.newValue],
          [lineAt(order, 0).id, 'confidence', 'estimated', 'confirmed'],
        );
        const [change] = changes;
        assert.deepEqual(
          { ...change, id: 0, actor: '' },
          {
            id: 0,
            line: null,
            field: 'state',
            oldValue: 'sent',
            newValue: 'confirmed',
            reason: 'supplier replied',
            actor: '',
            at: LATER,
          },
        );
        assert.match(change!.actor, ACTOR);
        // Still incoming at the same open quantity.
        assert.equal(confirmed.totals.open, 15);
      });

      for (const from of ['draft', 'sent', 'confirmed'] as const) {
        it(`cancels a ${from} order: every open remainder cancelled, closedAt set, one cancelled event`, async () => {
          const order = await orderIn(from);
          const events0 = (await events()).length;
          t.clock.set(LATER);
          const cancelled = await transitioned(order.id, 'cancel', { reason: 'not needed' });
          assert.equal(cancelled.state, 'cancelled');
          assert.equal(cancelled.closedAt, LATER);
          assert.deepEqual(
            cancelled.lines.map((l) => [
              l.quantity,
              l.received,
              l.cancelled,
              l.open,
              l.completedAt,
            ]),
            [[10, 0, 10, 0, LATER]],
          );
          assert.deepEqual(cancelled.totals, {
            ordered: 10,
            received: 0,
            cancelled: 10,
            open: 0,
            cost: 0,
          });
          const event = await onlyEvent('purchase_order.cancelled');
          assert.equal(event.subject, `purchase_order:${order.id}`);
          assert.deepEqual(event.payload, {
            purchaseOrderId: order.id,
            lines: [
              {
                lineId: lineAt(order, 0).id,
                itemId: await itemId('KET-01'),
                sku: 'KET-01',
                open: 10,
              },
            ],
            reason: 'not needed',
          });
          assert.equal((await events()).length, events0 + 1);
          const stateChanges = (await history(order.id)).filter((c) => c.field === 'state');
          if (from === 'draft') assert.deepEqual(stateChanges, []);
          else
            assert.deepEqual(
              stateChanges.at(-1) && [stateChanges.at(-1)!.oldValue, stateChanges.at(-1)!.newValue],
              [from, 'cancelled'],
            );
        });
      }

      it('cancels what is left of a line already reduced after sending', async () => {
        const order = await sent([
          { sku: 'KET-01', quantity: 10 },
          { sku: 'MUG-01', quantity: 5 },
        ]);
        await patched(order.id, lineAt(order, 0).id, { quantity: 6 });
        const cancelled = await transitioned(order.id, 'cancel');
        assert.deepEqual(
          cancelled.lines.map((l) => [l.quantity, l.cancelled, l.open]),
          [
            [10, 10, 0],
            [5, 5, 0],
          ],
        );
        // The event reports what each line still had open when it was cancelled.
        const event = await onlyEvent('purchase_order.cancelled');
        assert.deepEqual(
          (event.payload.lines as { open: number }[]).map((l) => l.open),
          [6, 5],
        );
      });

      const illegal: [State, 'send' | 'confirm' | 'cancel', string[]][] = [
        ['draft', 'confirm', ['sent']],
        ['sent', 'send', ['draft']],
        ['confirmed', 'send', ['draft']],
        ['confirmed', 'confirm', ['sent']],
        ['partially_received', 'send', ['draft']],
        ['partially_received', 'confirm', ['sent']],
        ['partially_received', 'cancel', ['draft', 'sent', 'confirmed']],
        ['received', 'send', ['draft']],
        ['received', 'confirm', ['sent']],
        ['received', 'cancel', ['draft', 'sent', 'confirmed']],
        ['cancelled', 'send', ['draft']],
        ['cancelled', 'confirm', ['sent']],
        ['cancelled', 'cancel', ['draft', 'sent', 'confirmed']],
      ];
      for (const [state, action, allowedFrom] of illegal) {
        it(`refuses to ${action} a ${state} order: 409 INVALID_TRANSITION, nothing changed`, async () => {
          const order = await orderIn(state);
          t.clock.set(LATER);
          const error = await refused(
            {
              method: 'POST',
              url: `/v1/purchase-orders/${order.id}/${action}`,
              body: { reason: 'try' },
            },
            409,
            'INVALID_TRANSITION',
          );
          assert.deepEqual(error.details, {
            id: order.id,
            state,
            action,
            allowedFrom,
          });
          if (state === 'partially_received' && action === 'cancel') {
            assert.match(error.message, /close the open lines short/);
          }
        });
      }

      it('refuses an unknown field or an empty reason in the body with 400, nothing changed', async () => {
        const order = await draft();
        const unknown = await refused(
          {
            method: 'POST',
            url: `/v1/purchase-orders/${order.id}/send`,
            body: { reason: 'x', force: true },
          },
          400,
          'VALIDATION_FAILED',
        );
        assert.match(unknown.message, /unknown property "force"/, JSON.stringify(unknown));
        await refused(
          { method: 'POST', url: `/v1/purchase-orders/${order.id}/cancel`, body: { reason: '' } },
          400,
          'VALIDATION_FAILED',
        );
      });

      it('answers 404 PURCHASE_ORDER_NOT_FOUND for an unknown order, nothing changed', async () => {
        await draft();
        for (const action of ['send', 'confirm', 'cancel']) {
          const error = await refused(
            { method: 'POST', url: `/v1/purchase-orders/999999/${action}` },
            404,
            'PURCHASE_ORDER_NOT_FOUND',
          );
          assert.deepEqual(error.details, { id: 999999 });
        }
      });
    });

    // ---- draft lines ---------------------------------------------------------------

    describe('draft line editing', () => {
      it('adds a line with the same defaults as on create', async () => {
        const order = await draft();
        t.clock.set(LATER);
        const response = await t.request({
          method: 'POST',
          url: `/v1/purchase-orders/${order.id}/lines`,
          body: { sku: 'MUG-01', quantity: 4 },
        });
        assert.equal(response.statusCode, 201, response.body);
        const after = json<PurchaseOrder>(response);
        assert.equal(after.lines.length, 2);
        assert.deepEqual(lineAt(after, 0), lineAt(order, 0));
        const added = lineAt(after, 1);
        assert.deepEqual(
          [added.sku, added.quantity, added.unitCost, added.expectedDate, added.confidence],
          // Today is now 2026-11-28: plus MUG-01's 3 days.
          ['MUG-01', 4, 4.5, '2026-12-01', 'estimated'],
        );
        assert.equal(after.updatedAt, LATER);
        assert.equal(after.totals.cost, 200 + 18);
        assert.deepEqual(await get(order.id), after);
      });

      it('refuses to add an unknown SKU, a line without a cost, or an unknown field', async () => {
        const order = await draft();
        const url = `/v1/purchase-orders/${order.id}/lines`;
        const unknown = await refused(
          { method: 'POST', url, body: { sku: 'NOPE', quantity: 1 } },
          404,
          'ITEM_NOT_FOUND',
        );
        assert.deepEqual(unknown.details, { skus: ['NOPE'] });
        await refused(
          { method: 'POST', url, body: { sku: 'PAN-01', quantity: 1 } },
          400,
          'UNIT_COST_REQUIRED',
        );
        await refused(
          { method: 'POST', url, body: { sku: 'KET-01', quantity: 1, received: 1 } },
          400,
          'VALIDATION_FAILED',
        );
        await refused(
          { method: 'POST', url, body: { sku: 'KET-01', quantity: 0 } },
          400,
          'VALIDATION_FAILED',
        );
        await refused(
          {
            method: 'POST',
            url: '/v1/purchase-orders/999999/lines',
            body: { sku: 'KET-01', quantity: 1 },
          },
          404,
          'PURCHASE_ORDER_NOT_FOUND',
        );
      });

      it('removes a line, but never the last one (409 LAST_LINE, nothing changed)', async () => {
        const order = await draft([
          { sku: 'KET-01', quantity: 10 },
          { sku: 'MUG-01', quantity: 4 },
        ]);
        const [ket, mug] = [lineAt(order, 0), lineAt(order, 1)];
        const after = await ok<PurchaseOrder>({
          method: 'DELETE',
          url: `/v1/purchase-orders/${order.id}/lines/${ket.id}`,
        });
        assert.deepEqual(after.lines, [mug]);
        assert.deepEqual(after.totals, {
          ordered: 4,
          received: 0,
          cancelled: 0,
          open: 4,
          cost: 18,
        });
        const error = await refused(
          { method: 'DELETE', url: `/v1/purchase-orders/${order.id}/lines/${mug.id}` },
          409,
          'LAST_LINE',
        );
        assert.deepEqual(error.details, { id: order.id, line: mug.id });
        // The removed line is gone.
        await refused(
          { method: 'DELETE', url: `/v1/purchase-orders/${order.id}/lines/${ket.id}` },
          404,
          'LINE_NOT_FOUND',
        );
      });

      it('changes any field of a draft line, without history or events', async () => {
        const order = await draft();
        const line = lineAt(order, 0);
        const after = await patched(order.id, line.id, {
          quantity: 7,
          unitCost: 21.5,
          expectedDate: '2027-02-01',
          confidence: 'confirmed',
        });
        assert.deepEqual(lineAt(after, 0), {
          ...line,
          quantity: 7,
          open: 7,
          unitCost: 21.5,
          expectedDate: '2027-02-01',
          confidence: 'confirmed',
        });
        assert.equal(after.totals.cost, 150.5);
        // Quantity can also go up while it is a draft.
        assert.equal(lineAt(await patched(order.id, line.id, { quantity: 12 }), 0).quantity, 12);
        assert.deepEqual(await history(order.id), []);
        assert.deepEqual(await events(), []);
      });

      it('refuses a zero quantity on a draft line (400 INVALID_QUANTITY) and an empty patch', async () => {
        const order = await draft();
        const url = `/v1/purchase-orders/${order.id}/lines/${lineAt(order, 0).id}`;
        await refused({ method: 'PATCH', url, body: { quantity: 0 } }, 400, 'INVALID_QUANTITY');
        await refused({ method: 'PATCH', url, body: {} }, 400, 'VALIDATION_FAILED');
        await refused({ method: 'PATCH', url, body: { quantity: -1 } }, 400, 'VALIDATION_FAILED');
        await refused({ method: 'PATCH', url, body: { sku: 'MUG-01' } }, 400, 'VALIDATION_FAILED');
      });

      for (const state of ['sent', 'confirmed'] as const) {
        it(`refuses to add or remove lines once ${state}: 409 PURCHASE_ORDER_NOT_DRAFT`, async () => {
          const order = await orderIn(state);
          const add = await refused(
            {
              method: 'POST',
              url: `/v1/purchase-orders/${order.id}/lines`,
              body: { sku: 'MUG-01', quantity: 1 },
            },
            409,
            'PURCHASE_ORDER_NOT_DRAFT',
          );
          assert.deepEqual(add.details, { id: order.id, state });
          await refused(
            {
              method: 'DELETE',
              url: `/v1/purchase-orders/${order.id}/lines/${lineAt(order, 0).id}`,
            },
            409,
            'PURCHASE_ORDER_NOT_DRAFT',
          );
        });
      }

      it('refuses to add lines to a cancelled or received order', async () => {
        for (const state of ['cancelled', 'received'] as const) {
          const order = await orderIn(state);
          await refused(
            {
              method: 'POST',
              url: `/v1/purchase-orders/${order.id}/lines`,
              body: { sku: 'MUG-01', quantity: 1 },
            },
            409,
            'PURCHASE_ORDER_NOT_DRAFT',
          );
        }
      });
    });

    // ---- changes after sending ------------------------------------------------------

    describe('line changes after sending', () => {
      it('records an expected date and confidence change in the history and one event', async () => {
        const order = await sent();
        const line = lineAt(order, 0);
        t.clock.set(LATER);
        const after = await patched(order.id, line.id, {
          expectedDate: '2026-12-20',
          confidence: 'confirmed',
          reason: 'supplier confirmed a later date',
        });
        assert.deepEqual(lineAt(after, 0), {
          ...line,
          expectedDate: '2026-12-20',
          confidence: 'confirmed',
          // The first promise stays what it was: supplier performance is measured on it.
          firstExpectedDate: '2026-12-06',
        });
        assert.equal(after.state, 'sent');
        assert.equal(after.updatedAt, LATER);

        const changes = await history(order.id);
        assert.deepEqual(
          changes.map((c) => [c.line, c.field, c.oldValue, c.newValue, c.reason, c.at]),
          [
            [
              line.id,
              'expectedDate',
              '2026-12-06',
              '2026-12-20',
              'supplier confirmed a later date',
              LATER,
            ],
            [
              line.id,
              'confidence',
              'estimated',
              'confirmed',
              'supplier confirmed a later date',
              LATER,
            ],
          ],
        );
        for (const c of changes) assert.match(c.actor, ACTOR);

        const event = await onlyEvent('purchase_order.line_changed');
        assert.equal(event.subject, `purchase_order:${order.id}`);
        assert.deepEqual(event.payload, {
          purchaseOrderId: order.id,
          lineId: line.id,
          itemId: await itemId('KET-01'),
          sku: 'KET-01',
          changes: {
            expectedDate: { old: '2026-12-06', new: '2026-12-20' },
            confidence: { old: 'estimated', new: 'confirmed' },
          },
          reason: 'supplier confirmed a later date',
        });
      });

      it('records nothing when a patch changes nothing', async () => {
        const order = await orderIn('confirmed');
        const line = lineAt(order, 0);
        const before = await snapshot();
        const after = await patched(order.id, line.id, {
          expectedDate: line.expectedDate,
          confidence: line.confidence,
          quantity: line.quantity,
          unitCost: line.unitCost,
        });
        assert.deepEqual(after, order);
        assert.deepEqual(await snapshot(), before);
      });

      it('lowers the quantity: the remainder is cancelled, recorded and raised', async () => {
        const order = await orderIn('confirmed');
        const line = lineAt(order, 0);
        const after = await patched(order.id, line.id, { quantity: 6, reason: 'short supply' });
        assert.deepEqual(
          [
            after.state,
            lineAt(after, 0).quantity,
            lineAt(after, 0).cancelled,
            lineAt(after, 0).open,
          ],
          ['confirmed', 10, 4, 6],
        );
        assert.equal(lineAt(after, 0).completedAt, null);
        assert.equal(after.totals.cost, 120);
        const changes = (await history(order.id)).filter(
          (c) => c.line !== null && c.field !== 'confidence',
        );
        assert.deepEqual(
          changes.map((c) => [c.field, c.oldValue, c.newValue, c.reason]),
          [['quantity', '10', '6', 'short supply']],
        );
        const event = await onlyEvent('purchase_order.line_changed');
        assert.deepEqual(event.payload.changes, { quantity: { old: '10', new: '6' } });

        // Lower again: measured against what the line brings now (6), not what was ordered.
        const again = await patched(order.id, line.id, { quantity: 2 });
        assert.deepEqual([lineAt(again, 0).cancelled, lineAt(again, 0).open], [8, 2]);
        assert.equal((await history(order.id)).at(-1)?.oldValue, '6');
      });

      it('cancels an order whose only line is lowered to zero before anything arrived', async () => {
        const order = await sent();
        t.clock.set(LATER);
        const after = await patched(order.id, lineAt(order, 0).id, { quantity: 0 });
        assert.equal(after.state, 'cancelled');
        assert.equal(after.closedAt, LATER);
        assert.deepEqual(
          [lineAt(after, 0).cancelled, lineAt(after, 0).open, lineAt(after, 0).completedAt],
          [10, 0, LATER],
        );
        assert.deepEqual(
          (await history(order.id)).map((c) => [c.field, c.oldValue, c.newValue]),
          [
            ['state', 'sent', 'cancelled'],
            ['quantity', '10', '0'],
          ],
        );
      });

      it('closes a line short at what has arrived: the order becomes received', async () => {
        const order = await sent();
        const line = lineAt(order, 0);
        await received(order.id, 'D1', [{ line: line.id, quantity: 4 }]);
        t.clock.set(LATER);
        const after = await patched(order.id, line.id, {
          quantity: 4,
          reason: 'rest discontinued',
        });
        assert.equal(after.state, 'received');
        assert.equal(after.closedAt, LATER);
        assert.deepEqual(
          [
            lineAt(after, 0).received,
            lineAt(after, 0).cancelled,
            lineAt(after, 0).open,
            lineAt(after, 0).completedAt,
          ],
          [4, 6, 0, LATER],
        );
        assert.deepEqual(
          (await history(order.id)).map((c) => [c.field, c.oldValue, c.newValue]),
          [
            ['state', 'sent', 'partially_received'],
            ['state', 'partially_received', 'received'],
            ['quantity', '10', '4'],
          ],
        );
        assert.equal((await stock('KET-01', 'W1')).onHand, 4);
      });

      it('closes one line short while another stays open: still partially received', async () => {
        const order = await sent([
          { sku: 'KET-01', quantity: 10 },
          { sku: 'MUG-01', quantity: 5 },
        ]);
        const [ket] = [lineAt(order, 0)];
        await received(order.id, 'D1', [{ line: ket.id, quantity: 4 }]);
        const after = await patched(order.id, ket.id, { quantity: 4 });
        assert.equal(after.state, 'partially_received');
        assert.deepEqual(
          after.lines.map((l) => [l.sku, l.open, l.completedAt !== null]),
          [
            ['KET-01', 0, true],
            ['MUG-01', 5, false],
          ],
        );
      });

      it('refuses to raise the quantity once sent: 409 LINE_LOCKED, nothing changed', async () => {
        const order = await sent();
        const line = lineAt(order, 0);
        const url = `/v1/purchase-orders/${order.id}/lines/${line.id}`;
        const error = await refused(
          { method: 'PATCH', url, body: { quantity: 11 } },
          409,
          'LINE_LOCKED',
        );
        assert.equal(error.details.quantity, 10, JSON.stringify(error));
        await patched(order.id, line.id, { quantity: 6 });
        // Back up to the original 10 is still raising it.
        await refused(
          { method: 'PATCH', url, body: { quantity: 8, expectedDate: '2027-01-01' } },
          409,
          'LINE_LOCKED',
        );
      });

      it('refuses to change the unit cost once sent: 409 LINE_LOCKED, nothing changed', async () => {
        const order = await orderIn('confirmed');
        await refused(
          {
            method: 'PATCH',
            url: `/v1/purchase-orders/${order.id}/lines/${lineAt(order, 0).id}`,
            body: { unitCost: 18, expectedDate: '2027-01-01' },
          },
          409,
          'LINE_LOCKED',
        );
      });

      it('refuses a quantity below what has arrived: 409 QUANTITY_BELOW_RECEIVED', async () => {
        const order = await sent();
        const line = lineAt(order, 0);
        await received(order.id, 'D1', [{ line: line.id, quantity: 5 }]);
        const error = await refused(
          {
            method: 'PATCH',
            url: `/v1/purchase-orders/${order.id}/lines/${line.id}`,
            body: { quantity: 3 },
          },
          409,
          'QUANTITY_BELOW_RECEIVED',
        );
        assert.equal(error.details.received, 5, JSON.stringify(error));
      });

      it('refuses to change a fully received line: 409 LINE_COMPLETE', async () => {
        const order = await sent([
          { sku: 'KET-01', quantity: 10 },
          { sku: 'MUG-01', quantity: 5 },
        ]);
        const ket = lineAt(order, 0);
        await received(order.id, 'D1', [{ line: ket.id, quantity: 10 }]);
        assert.equal((await get(order.id)).state, 'partially_received');
        for (const body of [
          { expectedDate: '2027-01-01' },
          { quantity: 10 },
          { confidence: 'confirmed' },
        ]) {
          const error = await refused(
            { method: 'PATCH', url: `/v1/purchase-orders/${order.id}/lines/${ket.id}`, body },
            409,
            'LINE_COMPLETE',
          );
          assert.deepEqual(error.details, {
            id: order.id,
            line: ket.id,
            state: 'partially_received',
          });
        }
        // The other line still moves.
        await patched(order.id, lineAt(order, 1).id, { expectedDate: '2027-01-01' });
      });

      for (const state of ['received', 'cancelled'] as const) {
        it(`refuses to change a line of a ${state} order: 409 PURCHASE_ORDER_CLOSED`, async () => {
          const order = await orderIn(state);
          const error = await refused(
            {
              method: 'PATCH',
              url: `/v1/purchase-orders/${order.id}/lines/${lineAt(order, 0).id}`,
              body: { expectedDate: '2027-01-01' },
            },
            409,
            'PURCHASE_ORDER_CLOSED',
          );
          assert.equal(error.details.state, state);
        });
      }

      it('answers 404 LINE_NOT_FOUND for a line of another order, 404 for an unknown order', async () => {
        const order = await sent();
        const other = await sent();
        const error = await refused(
          {
            method: 'PATCH',
            url: `/v1/purchase-orders/${order.id}/lines/${lineAt(other, 0).id}`,
            body: { expectedDate: '2027-01-01' },
          },
          404,
          'LINE_NOT_FOUND',
        );
        assert.deepEqual(error.details, { id: order.id, lines: [lineAt(other, 0).id] });
        await refused(
          {
            method: 'DELETE',
            url: `/v1/purchase-orders/${(await draft()).id}/lines/${lineAt(other, 0).id}`,
          },
          404,
          'LINE_NOT_FOUND',
        );
        await refused(
          {
            method: 'PATCH',
            url: `/v1/purchase-orders/999999/lines/${lineAt(order, 0).id}`,
            body: { expectedDate: '2027-01-01' },
          },
          404,
          'PURCHASE_ORDER_NOT_FOUND',
        );
      });

      it('refuses an unknown field, a bad date or a fractional quantity with 400, nothing changed', async () => {
        const order = await sent();
        const url = `/v1/purchase-orders/${order.id}/lines/${lineAt(order, 0).id}`;
        await refused(
          {
            method: 'PATCH',
            url,
            body: { expectedDate: '2027-01-01', firstExpectedDate: '2027-01-01' },
          },
          400,
          'VALIDATION_FAILED',
        );
        await refused(
          { method: 'PATCH', url, body: { expectedDate: 'soon' } },
          400,
          'VALIDATION_FAILED',
        );
        await refused({ method: 'PATCH', url, body: { quantity: 2.5 } }, 400, 'VALIDATION_FAILED');
      });

      it('answers 404 for the history of an unknown order', async () => {
        assertError(
          await t.request({ method: 'GET', url: '/v1/purchase-orders/999999/history' }),
          404,
          'PURCHASE_ORDER_NOT_FOUND',
        );
      });
    });

    // ---- receipts ------------------------------------------------------------------

    describe('receipts', () => {
      it('receives part of a line: partially received, on hand grows, a receipt ledger row, one event', async () => {
        const order = await sent();
        const line = lineAt(order, 0);
        t.clock.set(LATER);
        const receipt = await received(order.id, 'DEL-1', [{ line: line.id, quantity: 4 }]);
        assert.equal(receipt.receiptId, 'DEL-1');
        assert.equal(receipt.purchaseOrderId, order.id);
        assert.equal(receipt.receivedAt, LATER);
        assert.deepEqual(receipt.lines, [
          { line: line.id, sku: 'KET-01', quantity: 4, overReceived: false },
        ]);
        const po = receipt.purchaseOrder;
        assert.equal(po.state, 'partially_received');
        assert.equal(po.closedAt, null);
        assert.equal(po.updatedAt, LATER);
        assert.deepEqual(
          [lineAt(po, 0).received, lineAt(po, 0).open, lineAt(po, 0).completedAt],
          [4, 6, null],
        );
        assert.deepEqual(await get(order.id), po);

        const level = await stock('KET-01', 'W1');
        assert.deepEqual([level.onHand, level.available], [4, 4]);
        const entries = await ledger('?sku=KET-01&location=W1');
        assert.equal(entries.length, 1, JSON.stringify(entries));
        assert.deepEqual(
          [entries[0]?.type, entries[0]?.quantity, entries[0]?.onHandAfter, entries[0]?.reference],
          ['receipt', 4, 4, `po:${order.id}/receipt:DEL-1`],
        );

        const event = await onlyEvent('purchase_order.received');
        assert.equal(event.subject, `purchase_order:${order.id}`);
        assert.equal(event.createdAt, LATER);
        assert.deepEqual(event.payload, {
          purchaseOrderId: order.id,
          receiptId: 'DEL-1',
          locationId: (
            await t.ctx.db
              .selectFrom('locations')
              .select('id')
              .where('code', '=', 'W1')
              .executeTakeFirstOrThrow()
          ).id,
          location: 'W1',
          lines: [
            {
              line: line.id,
              sku: 'KET-01',
              quantity: 4,
              overReceived: false,
              itemId: await itemId('KET-01'),
            },
          ],
        });
        assert.deepEqual(
          (await history(order.id)).map((c) => [c.field, c.oldValue, c.newValue]),
          [['state', 'sent', 'partially_received']],
        );
      });

      it('completes the order with the rest: received, closedAt, line completed', async () => {
        const order = await orderIn('confirmed');
        const line = lineAt(order, 0);
        await received(order.id, 'DEL-1', [{ line: line.id, quantity: 4 }]);
        t.clock.set(LATER);
        const receipt = await received(order.id, 'DEL-2', [{ line: line.id, quantity: 6 }]);
        const po = receipt.purchaseOrder;
        assert.equal(po.state, 'received');
        assert.equal(po.closedAt, LATER);
        assert.deepEqual(
          [lineAt(po, 0).received, lineAt(po, 0).open, lineAt(po, 0).completedAt],
          [10, 0, LATER],
        );
        assert.equal(lineAt(po, 0).overReceived, false);
        assert.equal((await stock('KET-01', 'W1')).onHand, 10);
        assert.deepEqual(
          (await ledger('?sku=KET-01')).map((e) => e.reference),
          [`po:${order.id}/receipt:DEL-2`, `po:${order.id}/receipt:DEL-1`],
        );
        assert.equal((await events('purchase_order.received')).length, 2);
      });

      it('accepts an over-receipt and flags it', async () => {
        const order = await sent();
        const line = lineAt(order, 0);
        const receipt = await received(order.id, 'DEL-1', [{ line: line.id, quantity: 12 }]);
        assert.deepEqual(receipt.lines, [
          { line: line.id, sku: 'KET-01', quantity: 12, overReceived: true },
        ]);
        const po = receipt.purchaseOrder;
        assert.equal(po.state, 'received');
        assert.deepEqual(
          [lineAt(po, 0).received, lineAt(po, 0).cancelled, lineAt(po, 0).open],
          [12, 0, 0],
        );
        assert.equal(lineAt(po, 0).overReceived, true);
        assert.equal((await stock('KET-01', 'W1')).onHand, 12);
        assert.deepEqual(po.totals, {
          ordered: 10,
          received: 12,
          cancelled: 0,
          open: 0,
          cost: 200,
        });
      });

      it('receives several lines at once at the order location only', async () => {
        const order = await transitioned(
          (
            await create({
              supplier: 'ACME',
              location: 'W2',
              lines: [
                { sku: 'MUG-01', quantity: 3 },
                { sku: 'KET-01', quantity: 5 },
              ],
            })
          ).id,
          'send',
        );
        const [mug, ket] = [lineAt(order, 0), lineAt(order, 1)];
        const receipt = await received(order.id, 'DEL-9', [
          { line: ket.id, quantity: 5 },
          { line: mug.id, quantity: 2 },
        ]);
        assert.deepEqual(
          receipt.lines.map((l) => [l.sku, l.quantity, l.overReceived]),
          [
            ['MUG-01', 2, false],
            ['KET-01', 5, false],
          ],
        );
        assert.equal(receipt.purchaseOrder.state, 'partially_received');
        assert.equal((await stock('KET-01', 'W2')).onHand, 5);
        assert.equal((await stock('MUG-01', 'W2')).onHand, 2);
        assert.equal((await stock('KET-01', 'W1')).onHand, 0);
        const entries = await ledger('?location=W2');
        assert.deepEqual(entries.map((e) => [e.sku, e.type, e.quantity, e.reference]).sort(), [
          ['KET-01', 'receipt', 5, `po:${order.id}/receipt:DEL-9`],
          ['MUG-01', 'receipt', 2, `po:${order.id}/receipt:DEL-9`],
        ]);
        assert.deepEqual(await ledger('?location=W1'), []);
        const event = await onlyEvent('purchase_order.received');
        assert.equal(event.payload.location, 'W2');
        assert.equal((event.payload.lines as unknown[]).length, 2);
      });

      it('replays the same receipt id and lines: 200, the first body, nothing changed', async () => {
        const order = await sent([
          { sku: 'KET-01', quantity: 10 },
          { sku: 'MUG-01', quantity: 5 },
        ]);
        const [ket, mug] = [lineAt(order, 0), lineAt(order, 1)];
        const first = await receive(order.id, 'DEL-1', [
          { line: ket.id, quantity: 4 },
          { line: mug.id, quantity: 5 },
        ]);
        assert.equal(first.statusCode, 201, first.body);

        // Later, from a retrying client that lists the lines in another order.
        t.clock.set(LATER);
        const before = await snapshot();
        const replay = await receive(order.id, 'DEL-1', [
          { line: mug.id, quantity: 5 },
          { line: ket.id, quantity: 4 },
        ]);
        assert.equal(replay.statusCode, 200, replay.body);
        assert.equal(replay.headers['idempotent-replayed'], 'true');
        assert.equal(replay.body, first.body);
        assert.deepEqual(await snapshot(), before, 'a replay changed something');
        assert.equal((await stock('KET-01', 'W1')).onHand, 4);
        assert.equal((await ledger('?location=W1')).length, 2);

        // Still the first answer once the order has moved on, even to received.
        await received(order.id, 'DEL-2', [{ line: ket.id, quantity: 6 }]);
        assert.equal((await get(order.id)).state, 'received');
        const late = await receive(order.id, 'DEL-1', [
          { line: ket.id, quantity: 4 },
          { line: mug.id, quantity: 5 },
        ]);
        assert.equal(late.statusCode, 200, late.body);
        assert.equal(late.body, first.body);
      });

      it('refuses the same receipt id with different lines: 409 RECEIPT_ID_CONFLICT', async () => {
        const order = await sent([
          { sku: 'KET-01', quantity: 10 },
          { sku: 'MUG-01', quantity: 5 },
        ]);
        const [ket, mug] = [lineAt(order, 0), lineAt(order, 1)];
        await received(order.id, 'DEL-1', [{ line: ket.id, quantity: 4 }]);
        for (const lines of [
          [{ line: ket.id, quantity: 5 }],
          [{ line: mug.id, quantity: 4 }],
          [
            { line: ket.id, quantity: 4 },
            { line: mug.id, quantity: 1 },
          ],
        ]) {
          const error = await refused(
            {
              method: 'POST',
              url: `/v1/purchase-orders/${order.id}/receipts`,
              body: { receiptId: 'DEL-1', lines },
            },
            409,
            'RECEIPT_ID_CONFLICT',
          );
          assert.deepEqual(error.details, { id: order.id, receiptId: 'DEL-1' });
        }
      });

      it('treats a receipt id as the order own: another order may use it', async () => {
        const a = await sent();
        const b = await sent();
        await received(a.id, 'DEL-1', [{ line: lineAt(a, 0).id, quantity: 1 }]);
        await received(b.id, 'DEL-1', [{ line: lineAt(b, 0).id, quantity: 2 }]);
        assert.equal((await stock('KET-01', 'W1')).onHand, 3);
      });

      for (const state of ['draft', 'cancelled', 'received'] as const) {
        it(`refuses to receive on a ${state} order: 409 NOT_RECEIVABLE, nothing changed`, async () => {
          const order = await orderIn(state);
          const error = await refused(
            {
              method: 'POST',
              url: `/v1/purchase-orders/${order.id}/receipts`,
              body: { receiptId: 'LATE', lines: [{ line: lineAt(order, 0).id, quantity: 1 }] },
            },
            409,
            'NOT_RECEIVABLE',
          );
          assert.deepEqual(error.details, {
            id: order.id,
            state,
            receivableStates: ['sent', 'confirmed', 'partially_received'],
          });
        });
      }

      it('refuses a line of another order: 404 LINE_NOT_FOUND, the good lines not received either', async () => {
        const order = await sent();
        const other = await sent();
        const error = await refused(
          {
            method: 'POST',
            url: `/v1/purchase-orders/${order.id}/receipts`,
            body: {
              receiptId: 'DEL-1',
              lines: [
                { line: lineAt(order, 0).id, quantity: 1 },
                { line: lineAt(other, 0).id, quantity: 1 },
              ],
            },
          },
          404,
          'LINE_NOT_FOUND',
        );
        assert.deepEqual(error.details, { id: order.id, lines: [lineAt(other, 0).id] });
        // The id was not used up by the refused attempt.
        await received(order.id, 'DEL-1', [{ line: lineAt(order, 0).id, quantity: 1 }]);
      });

      it('refuses the same line twice in one receipt: 400 DUPLICATE_RECEIPT_LINE', async () => {
        const order = await sent();
        const line = lineAt(order, 0).id;
        await refused(
          {
            method: 'POST',
            url: `/v1/purchase-orders/${order.id}/receipts`,
            body: {
              receiptId: 'DEL-1',
              lines: [
                { line, quantity: 1 },
                { line, quantity: 2 },
              ],
            },
          },
          400,
          'DUPLICATE_RECEIPT_LINE',
        );
      });

      for (const quantity of [0, -1, 1.5]) {
        it(`refuses a receipt quantity of ${quantity} with 400, nothing changed`, async () => {
          const order = await sent();
          const error = await refused(
            {
              method: 'POST',
              url: `/v1/purchase-orders/${order.id}/receipts`,
              body: { receiptId: 'DEL-1', lines: [{ line: lineAt(order, 0).id, quantity }] },
            },
            400,
            'VALIDATION_FAILED',
          );
          assert.match(error.message, /\/lines\/0\/quantity/, JSON.stringify(error));
        });
      }

      for (const receiptId of ['', ' DEL', '-DEL', 'DEL 1', 'DÉL', 'x'.repeat(101)]) {
        it(`refuses the receipt id ${JSON.stringify(receiptId.slice(0, 12))} with 400`, async () => {
          const order = await sent();
          const error = await refused(
            {
              method: 'POST',
              url: `/v1/purchase-orders/${order.id}/receipts`,
              body: { receiptId, lines: [{ line: lineAt(order, 0).id, quantity: 1 }] },
            },
            400,
            'VALIDATION_FAILED',
          );
          assert.match(error.message, /receiptId/, JSON.stringify(error));
        });
      }

      it('refuses no lines, a missing receipt id or an unknown field with 400', async () => {
        const order = await sent();
        const url = `/v1/purchase-orders/${order.id}/receipts`;
        const line = lineAt(order, 0).id;
        for (const body of [
          { receiptId: 'DEL-1', lines: [] },
          { lines: [{ line, quantity: 1 }] },
          { receiptId: 'DEL-1', lines: [{ line, quantity: 1 }], location: 'W2' },
          { receiptId: 'DEL-1', lines: [{ line, quantity: 1, sku: 'KET-01' }] },
        ]) {
          await refused({ method: 'POST', url, body }, 400, 'VALIDATION_FAILED');
        }
      });

      it('answers 404 PURCHASE_ORDER_NOT_FOUND for an unknown order', async () => {
        const order = await sent();
        await refused(
          {
            method: 'POST',
            url: '/v1/purchase-orders/999999/receipts',
            body: { receiptId: 'DEL-1', lines: [{ line: lineAt(order, 0).id, quantity: 1 }] },
          },
          404,
          'PURCHASE_ORDER_NOT_FOUND',
        );
      });

      it('takes a late delivery on a line closed short without breaking the quantities', async () => {
        const order = await sent([
          { sku: 'KET-01', quantity: 10 },
          { sku: 'MUG-01', quantity: 5 },
        ]);
        const [ket, mug] = [lineAt(order, 0), lineAt(order, 1)];
        await received(order.id, 'DEL-1', [{ line: ket.id, quantity: 4 }]);
        await patched(order.id, ket.id, { quantity: 4 });
        const receipt = await received(order.id, 'DEL-2', [{ line: ket.id, quantity: 3 }]);
        const after = lineAt(receipt.purchaseOrder, 0);
        assert.deepEqual(
          [after.quantity, after.received, after.cancelled, after.open, after.overReceived],
          [10, 7, 3, 0, false],
        );
        assert.equal(receipt.purchaseOrder.state, 'partially_received');
        assert.equal((await stock('KET-01', 'W1')).onHand, 7);
        // The other line still completes the order.
        const last = await received(order.id, 'DEL-3', [{ line: mug.id, quantity: 5 }]);
        assert.equal(last.purchaseOrder.state, 'received');
      });
    });

    // ---- domain events -------------------------------------------------------------

    describe('domain events', () => {
      it('writes exactly one event per send, confirm, date change, receipt and cancel, none for refusals', async () => {
        const order = await draft();
        const line = lineAt(order, 0).id;
        const types = async () => (await events()).map((e) => e.type);

        await transitioned(order.id, 'send');
        assert.deepEqual(await types(), ['purchase_order.sent']);
        await act(order.id, 'send'); // refused
        await patchLine(order.id, line, { unitCost: 1 }); // refused
        await patched(order.id, line, { expectedDate: '2027-01-10', reason: 'slip' });
        assert.deepEqual(await types(), ['purchase_order.sent', 'purchase_order.line_changed']);
        await received(order.id, 'R1', [{ line, quantity: 2 }]);
        await receive(order.id, 'R1', [{ line, quantity: 2 }]); // replay
        await receive(order.id, 'R1', [{ line, quantity: 3 }]); // conflict
        await receive(order.id, 'R2', [{ line: 999999, quantity: 3 }]); // unknown line
        assert.deepEqual(await types(), [
          'purchase_order.sent',
          'purchase_order.line_changed',
          'purchase_order.received',
        ]);
        await act(order.id, 'cancel'); // refused: partially received

        const other = await orderIn('confirmed');
        await transitioned(other.id, 'cancel');
        assert.deepEqual(await types(), [
          'purchase_order.sent',
          'purchase_order.line_changed',
          'purchase_order.received',
          'purchase_order.sent',
          'purchase_order.confirmed',
          'purchase_order.cancelled',
        ]);
        const changed = await onlyEvent('purchase_order.line_changed');
        assert.deepEqual(changed.payload.changes, {
          expectedDate: { old: '2026-12-06', new: '2027-01-10' },
        });
        assert.equal(changed.payload.reason, 'slip');
      });
    });

    // ---- list and read -------------------------------------------------------------

    describe('list and read', () => {
      async function world() {
        const p1 = await draft(); // ACME W1 KET draft
        const p2 = await transitioned(
          (
            await create({
              supplier: 'ACME',
              location: 'W2',
              lines: [{ sku: 'MUG-01', quantity: 2 }],
            })
          ).id,
          'send',
        );
        const p3 = await transitioned(
          (
            await create({
              supplier: 'BOLT',
              location: 'W1',
              lines: [{ sku: 'PAN-01', quantity: 1, unitCost: 30 }],
            })
          ).id,
          'send',
        );
        const p4 = await transitioned(
          (
            await draft([
              { sku: 'KET-01', quantity: 1 },
              { sku: 'MUG-01', quantity: 1 },
            ])
          ).id,
          'cancel',
        );
        return [p1, p2, p3, p4].map((p) => p.id) as [number, number, number, number];
      }

      async function listIds(query: string): Promise<number[]> {
        const page = await ok<Page<PurchaseOrder>>({
          method: 'GET',
          url: `/v1/purchase-orders${query}`,
        });
        return page.items.map((o) => o.id);
      }

      it('lists every order in id order, with lines, and filters by state, supplier, location and SKU', async () => {
        const [p1, p2, p3, p4] = await world();
        const page = await ok<Page<PurchaseOrder>>({ method: 'GET', url: '/v1/purchase-orders' });
        assert.deepEqual(
          page.items.map((o) => o.id),
          [p1, p2, p3, p4],
        );
        assert.equal(page.nextCursor, null);
        for (const order of page.items) assert.deepEqual(await get(order.id), order);

        assert.deepEqual(await listIds('?state=sent'), [p2, p3]);
        assert.deepEqual(await listIds('?state=draft'), [p1]);
        assert.deepEqual(await listIds('?state=cancelled'), [p4]);
        assert.deepEqual(await listIds('?state=received'), []);
        assert.deepEqual(await listIds('?supplier=BOLT'), [p3]);
        assert.deepEqual(await listIds('?supplier=ACME'), [p1, p2, p4]);
        assert.deepEqual(await listIds('?location=W1'), [p1, p3, p4]);
        assert.deepEqual(await listIds('?location=W2'), [p2]);
        assert.deepEqual(await listIds('?sku=MUG-01'), [p2, p4]);
        assert.deepEqual(await listIds('?sku=PAN-01'), [p3]);
        assert.deepEqual(await listIds('?supplier=ACME&location=W1&sku=KET-01'), [p1, p4]);
        assert.deepEqual(await listIds('?state=sent&location=W1'), [p3]);
      });

      it('filters by the expected date of a line still to come, one line meeting both ends', async () => {
        // TEST_NOW is 2026-11-26: these dates are days ahead of it.
        const early = await sent([{ sku: 'KET-01', quantity: 4, expectedDate: '2026-11-30' }]);
        const split = await sent([
          { sku: 'KET-01', quantity: 2, expectedDate: '2026-11-20' },
          { sku: 'MUG-01', quantity: 2, expectedDate: '2026-12-20' },
        ]);
        const arrived = await sent([
          { sku: 'KET-01', quantity: 3, expectedDate: '2026-12-01' },
          { sku: 'MUG-01', quantity: 3, expectedDate: '2026-12-24' },
        ]);
        // Its line due on 1 December has all arrived: only the 24 December one is to come.
        await received(arrived.id, 'ALL-KET', [{ line: lineAt(arrived, 0).id, quantity: 3 }]);
        const planned = await draft([{ sku: 'KET-01', quantity: 1, expectedDate: '2026-12-02' }]);

        const week = '?expectedFrom=2026-11-26&expectedTo=2026-12-02';
        assert.deepEqual(await listIds(week), [early.id, planned.id]);
        assert.deepEqual(await listIds(`${week}&state=sent`), [early.id]);
        // Lines on either side of the week do not make the split order due in it.
        assert.deepEqual(await listIds('?expectedFrom=2026-11-21&expectedTo=2026-12-19'), [
          early.id,
          planned.id,
        ]);
        assert.deepEqual(await listIds('?expectedTo=2026-11-25'), [split.id]);
        assert.deepEqual(await listIds('?expectedFrom=2026-12-20'), [split.id, arrived.id]);
        assert.deepEqual(await listIds('?expectedFrom=2026-12-21&sku=MUG-01'), [arrived.id]);
        assert.deepEqual(await listIds('?expectedFrom=2026-12-25'), []);

        const error = assertError(
          await t.request({
            method: 'GET',
            url: '/v1/purchase-orders?expectedFrom=2026-12-02&expectedTo=2026-12-01',
          }),
          400,
          'INVALID_PERIOD',
        );
        assert.deepEqual(error.details, { expectedFrom: '2026-12-02', expectedTo: '2026-12-01' });
        for (const query of ['?expectedFrom=2026-13-01', '?expectedTo=tomorrow']) {
          assertError(
            await t.request({ method: 'GET', url: `/v1/purchase-orders${query}` }),
            400,
            'VALIDATION_FAILED',
          );
        }
      });

      it('pages with a cursor, every order exactly once, also with a filter', async () => {
        const all = await world();
        for (const limit of [1, 2, 3, 4]) {
          const seen: number[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const page: Page<PurchaseOrder> = await ok<Page<PurchaseOrder>>({
              method: 'GET',
              url: `/v1/purchase-orders?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
            });
            assert.ok(page.items.length <= limit);
            seen.push(...page.items.map((o) => o.id));
            cursor = page.nextCursor;
            pages++;
            assert.ok(pages <= 10, 'too many pages');
          } while (cursor !== null);
          assert.deepEqual(seen, all, `limit ${limit}`);
          assert.equal(pages, Math.ceil(all.length / limit), `limit ${limit}`);
        }
        const first = await ok<Page<PurchaseOrder>>({
          method: 'GET',
          url: '/v1/purchase-orders?location=W1&limit=2',
        });
        assert.deepEqual(
          first.items.map((o) => o.id),
          [all[0], all[2]],
        );
        assert.notEqual(first.nextCursor, null);
        assert.deepEqual(await listIds(`?location=W1&limit=2&cursor=${first.nextCursor}`), [
          all[3],
        ]);
      });

      it('answers 404 for an unknown supplier, location or SKU filter and 400 for bad ones', async () => {
        for (const [query, code] of [
          ['?supplier=NOPE', 'SUPPLIER_NOT_FOUND'],
          ['?location=NOWHERE', 'LOCATION_NOT_FOUND'],
          ['?sku=NOPE', 'ITEM_NOT_FOUND'],
        ] as const) {
          assertError(
            await t.request({ method: 'GET', url: `/v1/purchase-orders${query}` }),
            404,
            code,
          );
        }
        for (const query of ['?state=open', '?limit=0', '?limit=1001', '?colour=red']) {
          assertError(
            await t.request({ method: 'GET', url: `/v1/purchase-orders${query}` }),
            400,
            'VALIDATION_FAILED',
          );
        }
        assertError(
          await t.request({ method: 'GET', url: '/v1/purchase-orders?cursor=bm9wZQ' }),
          400,
          'INVALID_CURSOR',
        );
      });

      it('answers 404 PURCHASE_ORDER_NOT_FOUND for an unknown id and 400 for a bad one', async () => {
        await draft();
        const error = assertError(
          await t.request({ method: 'GET', url: '/v1/purchase-orders/999999' }),
          404,
          'PURCHASE_ORDER_NOT_FOUND',
        );
        assert.deepEqual(error.details, { id: 999999 });
        for (const id of ['0', 'abc', '-1', '1.5']) {
          assertError(
            await t.request({ method: 'GET', url: `/v1/purchase-orders/${id}` }),
            400,
            'VALIDATION_FAILED',
          );
        }
        const order = await sent();
        for (const line of ['0', 'abc']) {
          await refused(
            {
              method: 'PATCH',
              url: `/v1/purchase-orders/${order.id}/lines/${line}`,
              body: { expectedDate: '2027-01-01' },
            },
            400,
            'VALIDATION_FAILED',
          );
        }
      });
    });

    // ---- security ------------------------------------------------------------------

    describe('security', () => {
      it('refuses channel keys with 403 and missing keys with 401, nothing changed', async () => {
        await ok(
          {
            method: 'POST',
            url: '/v1/channels',
            body: { code: 'web', name: 'Web shop', kind: 'online', locations: ['W1'] },
          },
          201,
        );
        const channelKey = await t.channelKey('web');
        const order = await sent();
        const requests: TestRequest[] = [
          {
            method: 'POST',
            url: '/v1/purchase-orders',
            body: { supplier: 'ACME', location: 'W1', lines: [{ sku: 'KET-01', quantity: 1 }] },
          },
          { method: 'GET', url: '/v1/purchase-orders' },
          { method: 'GET', url: `/v1/purchase-orders/${order.id}` },
          { method: 'POST', url: `/v1/purchase-orders/${order.id}/cancel` },
          {
            method: 'POST',
            url: `/v1/purchase-orders/${order.id}/receipts`,
            body: { receiptId: 'DEL-1', lines: [{ line: lineAt(order, 0).id, quantity: 1 }] },
          },
          {
            method: 'PATCH',
            url: `/v1/purchase-orders/${order.id}/lines/${lineAt(order, 0).id}`,
            body: { quantity: 1 },
          },
        ];
        for (const request of requests) {
          await refused({ ...request, key: channelKey }, 403, 'FORBIDDEN');
          await refused({ ...request, key: null }, 401, 'UNAUTHORIZED');
          await refused({ ...request, key: 'sk_not_a_real_key' }, 401, 'UNAUTHORIZED');
        }
      });

      it('lets staff keys do the purchasing', async () => {
        const order = await ok<PurchaseOrder>(
          {
            method: 'POST',
            url: '/v1/purchase-orders',
            key: t.staffKey,
            body: { supplier: 'ACME', location: 'W1', lines: [{ sku: 'KET-01', quantity: 2 }] },
          },
          201,
        );
        await ok({ method: 'POST', url: `/v1/purchase-orders/${order.id}/send`, key: t.staffKey });
        const receipt = await ok<Receipt>(
          {
            method: 'POST',
            url: `/v1/purchase-orders/${order.id}/receipts`,
            key: t.staffKey,
            body: { receiptId: 'S-1', lines: [{ line: lineAt(order, 0).id, quantity: 2 }] },
          },
          201,
        );
        assert.equal(receipt.purchaseOrder.state, 'received');
      });
    });
  });
}
