import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import type * as schemas from '../../src/inventory/set-quantities.schemas.js';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { databaseFingerprint } from '../helpers/db-fingerprint.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { type OrderDoc, orderKit } from '../helpers/orders.js';
import type { Body, ErrorBody } from '../helpers/responses.js';
import { insertSupplier } from '../helpers/supply-factories.js';

type Result = Body<typeof schemas.SetQuantitiesResult>;
const LATER = '2026-11-26T11:00:00.000Z';

for (const target of testDatabases()) {
  describe(`POST /v1/stock/set-quantities (${target.kind})`, () => {
    let t: TestApp;
    const kit = orderKit(() => t);
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Kettle' });
      await insertItem(t.ctx, { sku: 'MUG', name: 'Mug' });
      await putStock(t.ctx, 'KET', 'W1', 10);
      await putStock(t.ctx, 'MUG', 'S1', 4);
    });
    afterEach(async () => {
      await t.close();
    });

    const send = (body: unknown, options: { key?: string; idempotencyKey?: string } = {}) =>
      t.request({
        method: 'POST',
        url: '/v1/stock/set-quantities',
        body,
        ...(options.key !== undefined && { key: options.key }),
        ...(options.idempotencyKey !== undefined && {
          headers: { 'idempotency-key': options.idempotencyKey },
        }),
      });

    async function applied(body: unknown, idempotencyKey?: string): Promise<Result> {
      const response = await send(body, idempotencyKey === undefined ? {} : { idempotencyKey });
      assert.equal(response.statusCode, 200, response.body);
      return json<Result>(response);
    }

    async function refused(body: unknown, status: number, code: string) {
      const before = await databaseFingerprint(t.ctx);
      const response = await send(body, { idempotencyKey: `refused-${Math.random()}` });
      assert.equal(response.statusCode, status, response.body);
      const error = json<ErrorBody>(response).error;
      assert.equal(error.code, code, response.body);
      assert.equal(await databaseFingerprint(t.ctx), before, `changed something: ${response.body}`);
      return error;
    }

    async function ledgerCounts() {
      return t.ctx.db
        .selectFrom('stock_ledger')
        .innerJoin('items', 'items.id', 'stock_ledger.item_id')
        .innerJoin('locations', 'locations.id', 'stock_ledger.location_id')
        .select(['items.sku', 'locations.code', 'stock_ledger.quantity', 'stock_ledger.reason'])
        .where('stock_ledger.type', '=', 'count')
        .orderBy('stock_ledger.id')
        .execute();
    }

    it('sets every row as a count, in one call, writing ledger rows only for changes', async () => {
      t.clock.set(LATER);
      const result = await applied({
        reason: 'nightly sync',
        reference: 'sync-42',
        quantities: [
          { sku: 'MUG', location: 'S1', quantity: 4 },
          { sku: 'KET', location: 'W1', quantity: 7, compareQuantity: 10 },
          { sku: 'KET', location: 'S1', quantity: 3 },
        ],
      });
      assert.deepEqual(
        result.rows.map((r) => [
          r.stock.sku,
          r.stock.location,
          r.previousQuantity,
          r.stock.onHand,
          r.delta,
          r.ledgerEntryId === null,
        ]),
        [
          ['MUG', 'S1', 4, 4, 0, true],
          ['KET', 'W1', 10, 7, -3, false],
          ['KET', 'S1', 0, 3, 3, false],
        ],
      );
      // An unchanged row keeps its updated_at, so it stays out of updatedSince listings.
      assert.equal(result.rows[0]!.stock.updatedAt, TEST_NOW);
      assert.equal(result.rows[1]!.stock.updatedAt, LATER);
      assert.deepEqual(await ledgerCounts(), [
        { sku: 'KET', code: 'W1', quantity: -3, reason: 'nightly sync' },
        { sku: 'KET', code: 'S1', quantity: 3, reason: 'nightly sync' },
      ]);
      const audit = await t.request({ method: 'GET', url: '/v1/stock/audit' });
      assert.equal(json<{ ok: boolean }>(audit).ok, true, audit.body);
    });

    it('refuses the whole call when any compareQuantity is stale, naming every stale row', async () => {
      const error = await refused(
        {
          reason: 'sync',
          quantities: [
            { sku: 'KET', location: 'W1', quantity: 1, compareQuantity: 9 },
            { sku: 'MUG', location: 'S1', quantity: 8, compareQuantity: 4 },
            { sku: 'MUG', location: 'W1', quantity: 2, compareQuantity: 1 },
          ],
        },
        409,
        'STALE_QUANTITIES',
      );
      assert.deepEqual(
        (error.details.rows as { index: number; onHand: number; reason: string }[]).map((r) => [
          r.index,
          r.onHand,
          r.reason,
        ]),
        [
          [0, 10, 'stale'],
          [2, 0, 'stale'],
        ],
      );
    });

    it('refuses a quantity below what orders have reserved, changing nothing', async () => {
      await kit.placed({ channel: 'web', lines: [{ sku: 'KET', quantity: 6 }] });
      const error = await refused(
        {
          reason: 'sync',
          quantities: [
            { sku: 'MUG', location: 'S1', quantity: 9 },
            { sku: 'KET', location: 'W1', quantity: 5 },
          ],
        },
        409,
        'QUANTITY_BELOW_RESERVED',
      );
      assert.deepEqual(error.details.rows, [
        {
          index: 1,
          sku: 'KET',
          location: 'W1',
          reason: 'below_reserved',
          quantity: 5,
          compareQuantity: null,
          onHand: 10,
          reserved: 6,
        },
      ]);
    });

    it('names duplicate rows (400) and every unknown SKU and location (404)', async () => {
      const duplicate = await refused(
        {
          reason: 'sync',
          quantities: [
            { sku: 'KET', location: 'W1', quantity: 1 },
            { sku: 'MUG', location: 'W1', quantity: 1 },
            { sku: 'KET', location: 'W1', quantity: 2 },
          ],
        },
        400,
        'DUPLICATE_ROWS',
      );
      assert.deepEqual(duplicate.details.duplicates, [
        { sku: 'KET', location: 'W1', rows: [0, 2] },
      ]);
      const unknown = await refused(
        {
          reason: 'sync',
          quantities: [
            { sku: 'NOPE', location: 'W1', quantity: 1 },
            { sku: 'KET', location: 'X9', quantity: 1 },
            { sku: 'NADA', location: 'X9', quantity: 1 },
          ],
        },
        404,
        'ITEM_NOT_FOUND',
      );
      assert.deepEqual(unknown.details, {
        unknownSkus: ['NOPE', 'NADA'],
        unknownLocations: ['X9'],
      });
      await refused(
        { reason: 'sync', quantities: [{ sku: 'KET', location: 'X9', quantity: 1 }] },
        404,
        'LOCATION_NOT_FOUND',
      );
    });

    it('fills waiting backorders from units it adds, as a count does', async () => {
      await insertItem(t.ctx, { sku: 'LAMP', name: 'Lamp', backorderPolicy: 'lead_time' });
      await insertSupplier(t.ctx, 'ACME');
      await kit.supplies('ACME', 'LAMP', 30);
      const order: OrderDoc = await kit.placed({
        channel: 'web',
        lines: [{ sku: 'LAMP', quantity: 2, acceptBackorder: true }],
      });
      assert.equal(order.lines[0]!.backordered, 2);
      const result = await applied({
        reason: 'found in the back',
        quantities: [{ sku: 'LAMP', location: 'W1', quantity: 5, compareQuantity: 0 }],
      });
      assert.deepEqual(
        [result.rows[0]!.stock.onHand, result.rows[0]!.stock.reserved],
        [5, 2],
        'the answer shows the units the backorder took',
      );
      const after = await kit.getOrder(order.id);
      assert.deepEqual([after.lines[0]!.allocated, after.lines[0]!.backordered], [2, 0]);
      assert.equal((await kit.events('order_line.ready')).length, 1);
    });

    it('is admin only, and a retry with the same Idempotency-Key replays the answer', async () => {
      const body = { reason: 'sync', quantities: [{ sku: 'KET', location: 'W1', quantity: 12 }] };
      for (const key of [t.staffKey, await t.channelKey('web')]) {
        const response = await send(body, { key });
        assert.equal(response.statusCode, 403, response.body);
      }
      const first = await send(body, { idempotencyKey: 'sync-run-1' });
      assert.equal(first.statusCode, 200, first.body);
      const before = await databaseFingerprint(t.ctx);
      const again = await send(body, { idempotencyKey: 'sync-run-1' });
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.deepEqual(json(again), json(first));
      assert.equal(await databaseFingerprint(t.ctx), before);
      const other = await send(
        { ...body, quantities: [{ sku: 'KET', location: 'W1', quantity: 13 }] },
        { idempotencyKey: 'sync-run-1' },
      );
      assert.equal(other.statusCode, 422, other.body);
    });

    it('answers generated bad bodies with a 4xx and changes nothing', async () => {
      const row = fc.record(
        {
          sku: fc.oneof(fc.constantFrom('KET', 'MUG', 'NOPE', '', ' KET'), fc.string()),
          location: fc.oneof(fc.constantFrom('W1', 'S1', 'X9', ''), fc.integer()),
          quantity: fc.oneof(
            fc.integer({ min: -5, max: 20 }),
            fc.constantFrom(1.5, 1e10, '3', null),
          ),
          compareQuantity: fc.oneof(fc.integer({ min: -1, max: 12 }), fc.constant('x')),
          extra: fc.string(),
        },
        { requiredKeys: [] },
      );
      const body = fc.oneof(
        fc.record(
          {
            reason: fc.oneof(fc.constant('sync'), fc.constant(''), fc.integer()),
            quantities: fc.oneof(
              fc.array(row, { maxLength: 4 }),
              fc.constant([]),
              fc.constant('nope'),
            ),
          },
          { requiredKeys: [] },
        ),
        fc.constantFrom(null, [], 'text', 7),
      );
      // Every generated body is refused: each row either breaks the schema or is stale
      // (compareQuantity 11 or 12 never matches), unknown, duplicated or below zero.
      const refusable = body.filter((b) => {
        if (b === null || typeof b !== 'object' || Array.isArray(b)) return true;
        const rows = (b as { quantities?: unknown }).quantities;
        return !Array.isArray(rows) || rows.length === 0 || rows.some(isRefusedRow);
      });
      await fc.assert(
        fc.asyncProperty(refusable, async (generated) => {
          const before = await databaseFingerprint(t.ctx);
          const response = await send(generated);
          assert.ok(
            response.statusCode >= 400 && response.statusCode < 500,
            `${response.statusCode}: ${response.body}`,
          );
          assert.equal(await databaseFingerprint(t.ctx), before, response.body);
        }),
        { numRuns: 40 },
      );
    });
  });
}

/** A row the call must refuse on its own, whatever the other rows are. */
function isRefusedRow(row: Record<string, unknown>): boolean {
  if (!['KET', 'MUG'].includes(row.sku as string)) return true;
  if (!['W1', 'S1'].includes(row.location as string)) return true;
  if (!Number.isInteger(row.quantity) || (row.quantity as number) < 0) return true;
  if ('extra' in row) return true;
  const compare = row.compareQuantity;
  if (compare === undefined) return false;
  return !Number.isInteger(compare) || (compare as number) < 0 || (compare as number) > 10;
}
