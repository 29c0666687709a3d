import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type * as alerts from '../../src/alerts/alerts.schemas.js';
import type * as purchasing from '../../src/purchasing/purchase-orders.schemas.js';
import type * as replenishment from '../../src/replenishment/replenishment.schemas.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import type { Body, ErrorBody, Page } from '../helpers/responses.js';
import { insertReplenishmentWorld } from './world.js';

type ReorderPoints = Body<typeof replenishment.ReorderPointList>;
type Suggestion = Body<typeof replenishment.Suggestion>;
type Refresh = Body<typeof replenishment.RefreshResult>;
type PurchaseOrder = Body<typeof purchasing.PurchaseOrder>;
type Alert = Body<typeof alerts.Alert>;

const TODAY = '2026-11-26';

for (const target of testDatabases()) {
  describe(`replenishment routes (${target.kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(target);
      await insertReplenishmentWorld(t.ctx, TODAY);
    });
    after(async () => {
      await t.close();
    });

    const get = async <T>(url: string, status = 200) => {
      const response = await t.request({ method: 'GET', url });
      assert.equal(response.statusCode, status, response.body);
      return json<T>(response);
    };
    const post = async <T>(url: string, body?: unknown, status = 200) => {
      const response = await t.request({ method: 'POST', url, body });
      assert.equal(response.statusCode, status, response.body);
      return json<T>(response);
    };
    const refresh = () => post<Refresh>('/v1/replenishment/suggestions/refresh');
    const openSuggestions = async () =>
      (await get<Page<Suggestion>>('/v1/replenishment/suggestions?state=open')).items;
    const expectError = (
      response: Awaited<ReturnType<TestApp['request']>>,
      status: number,
      code: string,
    ) => {
      assert.equal(response.statusCode, status, response.body);
      assert.equal(json<ErrorBody>(response).error.code, code, response.body);
      return json<ErrorBody>(response).error;
    };

    it('computes reorder points rounded nowhere but to whole units (see world.ts)', async () => {
      const { items, skipped } = await get<ReorderPoints>('/v1/replenishment/reorder-points');
      assert.deepEqual(
        items.map((p) => [
          p.sku,
          p.location,
          p.supplier,
          p.serviceLevel,
          p.dailyDemand,
          p.safetyStock,
          p.reorderPoint,
          p.orderUpTo,
          p.inventoryPosition,
          p.projectedStockoutDate,
        ]),
        [
          ['KET-01', 'W1', 'ACME', 0.95, 4, 0, 48, 48, 10, '2026-11-29'],
          ['MUG-01', 'W1', 'ACME', 0.9, 3, 0, 36, 36, 30, '2026-12-07'],
          // 100 − 2 × 50 = 0 on day 50, below zero on day 51.
          ['TEA-01', 'S1', 'OTHER', 0.9, 2, 0, 20, 20, 100, '2027-01-16'],
        ],
      );
      // Forecast over lead time + 7-day review, and what a refresh would order: KET needs
      // 48 − 10 = 38, four cases of 12; MUG 36 − 30 = 6, one case, raised to the minimum of
      // 30 in whole cases (36); TEA sits above its reorder point.
      assert.deepEqual(
        items.map((p) => [p.sku, p.name, p.protectionDays, p.leadTimeDemand, p.suggestedQuantity]),
        [
          ['KET-01', 'Test item', 12, 48, 48],
          ['MUG-01', 'Test item', 12, 36, 36],
          ['TEA-01', 'Test item', 10, 20, 0],
        ],
      );
      assert.deepEqual(items[0]!.leadTime, { meanDays: 5, sdDays: 0, source: 'configured' });
      assert.equal(items[0]!.onHand, 10);
      assert.equal(items[0]!.nextReceiptDate, null);
      assert.equal(typeof items[0]!.forecastMethod, 'string');
      assert.deepEqual(skipped, [
        { sku: 'LAMP-01', reason: 'no_preferred_supplier' },
        { sku: 'BOWL-01', reason: 'no_supplier' },
      ]);

      const one = await get<ReorderPoints>(
        '/v1/replenishment/reorder-points?supplier=OTHER&location=S1&sku=TEA-01',
      );
      assert.deepEqual(
        one.items.map((p) => p.sku),
        ['TEA-01'],
      );
      const none = await get<ReorderPoints>(
        '/v1/replenishment/reorder-points?supplier=OTHER&location=W1',
      );
      assert.deepEqual(none.items, []);
    });

    it('answers 404 for an unknown supplier, location, SKU or suggestion', async () => {
      for (const [url, code] of [
        ['/v1/replenishment/reorder-points?supplier=NOPE', 'SUPPLIER_NOT_FOUND'],
        ['/v1/replenishment/reorder-points?location=NOPE', 'LOCATION_NOT_FOUND'],
        ['/v1/replenishment/reorder-points?sku=NOPE', 'ITEM_NOT_FOUND'],
        ['/v1/replenishment/suggestions?supplier=NOPE', 'SUPPLIER_NOT_FOUND'],
        ['/v1/replenishment/suggestions?location=NOPE', 'LOCATION_NOT_FOUND'],
        ['/v1/replenishment/suggestions/999999', 'SUGGESTION_NOT_FOUND'],
      ] as const) {
        expectError(await t.request({ method: 'GET', url }), 404, code);
      }
      for (const action of ['purchase-order', 'dismiss']) {
        expectError(
          await t.request({
            method: 'POST',
            url: `/v1/replenishment/suggestions/999999/${action}`,
          }),
          404,
          'SUGGESTION_NOT_FOUND',
        );
      }
    });

    it('refuses malformed parameters with 400', async () => {
      const badCode = fc.oneof(
        fc.constantFrom('', '-x', 'a b', 'x'.repeat(65), 'é'),
        fc
          .string({ minLength: 1, maxLength: 4 })
          .filter((s) => !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(s)),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('location', 'sku', 'supplier'),
          badCode,
          async (param, value) => {
            const response = await t.request({
              method: 'GET',
              url: `/v1/replenishment/reorder-points?${param}=${encodeURIComponent(value)}`,
            });
            expectError(response, 400, 'VALIDATION_FAILED');
          },
        ),
        { numRuns: 20 },
      );
      for (const url of [
        '/v1/replenishment/reorder-points?other=1',
        '/v1/replenishment/suggestions?state=closed',
        '/v1/replenishment/suggestions?limit=0',
        '/v1/replenishment/suggestions/0',
        '/v1/replenishment/suggestions/abc',
      ]) {
        expectError(await t.request({ method: 'GET', url }), 400, 'VALIDATION_FAILED');
      }
    });

    it('refuses a channel key every replenishment route (403)', async () => {
      const key = await t.channelKey('web');
      for (const [method, url] of [
        ['GET', '/v1/replenishment/reorder-points'],
        ['POST', '/v1/replenishment/suggestions/refresh'],
        ['GET', '/v1/replenishment/suggestions'],
        ['GET', '/v1/replenishment/suggestions/1'],
        ['POST', '/v1/replenishment/suggestions/1/purchase-order'],
        ['POST', '/v1/replenishment/suggestions/1/dismiss'],
      ] as const) {
        expectError(await t.request({ method, url, key }), 403, 'FORBIDDEN');
      }
      expectError(
        await t.request({ method: 'GET', url: '/v1/replenishment/suggestions', key: null }),
        401,
        'UNAUTHORIZED',
      );
      const staff = await t.request({
        method: 'GET',
        url: '/v1/replenishment/suggestions',
        key: t.staffKey,
      });
      assert.equal(staff.statusCode, 200, staff.body);
    });

    it('refreshes one suggestion per supplier × location, with MOQ and case pack, and raises shortage_ahead', async () => {
      const result = await refresh();
      assert.deepEqual(
        { ...result, skipped: result.skipped.length },
        {
          today: TODAY,
          suggestions: 1,
          lines: 2,
          replaced: 0,
          skipped: 2,
          projectedShortages: 1,
          alerts: { opened: 1, resolved: 0 },
        },
      );
      const [suggestion, ...others] = await openSuggestions();
      assert.deepEqual(others, []);
      assert.equal(suggestion!.supplier, 'ACME');
      assert.equal(suggestion!.location, 'W1');
      // Sent today, it arrives in 5 days; KET runs out 11-29, so it should have gone 11-24.
      assert.equal(suggestion!.arrivalDate, '2026-12-01');
      assert.equal(suggestion!.orderByDate, '2026-11-24');
      assert.deepEqual(
        suggestion!.lines.map((l) => [l.sku, l.quantity, l.unitCost, l.reorderPoint, l.reason]),
        [
          ['KET-01', 48, 7.5, 48, 'projected to run out on 2026-11-29'],
          ['MUG-01', 36, 2.25, 36, 'projected to run out on 2026-12-07'],
        ],
      );
      assert.deepEqual(
        await get<Suggestion>(`/v1/replenishment/suggestions/${suggestion!.id}`),
        suggestion,
      );

      const raised = await get<Page<Alert>>('/v1/alerts?kind=shortage_ahead');
      assert.deepEqual(
        raised.items.map((a) => {
          const details = a.details as Record<string, unknown>;
          return [a.subject, details.projectedStockoutDate, details.location];
        }),
        [['item:KET-01@W1', '2026-11-29', 'W1']],
      );
      // Again: the same alert stays open, not a second one.
      assert.deepEqual((await refresh()).alerts, { opened: 0, resolved: 0 });
    });

    it('turns a suggestion into a draft purchase order once; a second call is a 409 naming it', async () => {
      await refresh();
      const [suggestion] = await openSuggestions();
      const order = await post<PurchaseOrder>(
        `/v1/replenishment/suggestions/${suggestion!.id}/purchase-order`,
        undefined,
        201,
      );
      assert.equal(order.state, 'draft');
      assert.equal(order.supplier, 'ACME');
      assert.equal(order.location, 'W1');
      assert.deepEqual(
        order.lines.map((l) => [l.sku, l.quantity, l.unitCost, l.expectedDate]),
        [
          ['KET-01', 48, 7.5, '2026-12-01'],
          ['MUG-01', 36, 2.25, '2026-12-01'],
        ],
      );
      assert.equal(order.totals.cost, 48 * 7.5 + 36 * 2.25);
      assert.equal(order.reference, `suggestion ${suggestion!.id}`);
      const ordered = await get<Suggestion>(`/v1/replenishment/suggestions/${suggestion!.id}`);
      assert.equal(ordered.state, 'ordered');
      assert.equal(ordered.purchaseOrderId, order.id);

      const again = await t.request({
        method: 'POST',
        url: `/v1/replenishment/suggestions/${suggestion!.id}/purchase-order`,
      });
      const error = expectError(again, 409, 'SUGGESTION_NOT_OPEN');
      assert.deepEqual(error.details, {
        id: suggestion!.id,
        state: 'ordered',
        purchaseOrderId: order.id,
      });

      // The draft counts as on order: the next refresh suggests nothing more for ACME.
      const next = await refresh();
      assert.equal(next.suggestions, 0);
      const { items } = await get<ReorderPoints>('/v1/replenishment/reorder-points?sku=KET-01');
      assert.equal(items[0]!.onDraftOrders, 48);
      assert.equal(items[0]!.inventoryPosition, 58);
      const kept = await get<Page<Suggestion>>('/v1/replenishment/suggestions?state=ordered');
      assert.deepEqual(
        kept.items.map((s) => s.id),
        [suggestion!.id],
      );
      // Delete the draft so later tests start from the same position.
      const deleted = await t.request({
        method: 'POST',
        url: `/v1/purchase-orders/${order.id}/cancel`,
      });
      assert.equal(deleted.statusCode, 200, deleted.body);
    });

    it('orders other quantities when given lines, and refuses SKUs the suggestion does not hold', async () => {
      await refresh();
      const [suggestion] = await openSuggestions();
      const url = `/v1/replenishment/suggestions/${suggestion!.id}/purchase-order`;
      expectError(
        await t.request({ method: 'POST', url, body: { lines: [{ sku: 'TEA-01', quantity: 5 }] } }),
        400,
        'LINE_NOT_SUGGESTED',
      );
      expectError(
        await t.request({
          method: 'POST',
          url,
          body: {
            lines: [
              { sku: 'KET-01', quantity: 5 },
              { sku: 'KET-01', quantity: 6 },
            ],
          },
        }),
        400,
        'DUPLICATE_LINE',
      );
      expectError(
        await t.request({ method: 'POST', url, body: { lines: [{ sku: 'KET-01', quantity: 0 }] } }),
        400,
        'VALIDATION_FAILED',
      );
      assert.equal(
        (await get<Suggestion>(`/v1/replenishment/suggestions/${suggestion!.id}`)).state,
        'open',
      );
      const order = await post<PurchaseOrder>(
        url,
        { lines: [{ sku: 'KET-01', quantity: 60 }] },
        201,
      );
      assert.deepEqual(
        order.lines.map((l) => [l.sku, l.quantity, l.unitCost]),
        [['KET-01', 60, 7.5]],
      );
      await t.request({ method: 'POST', url: `/v1/purchase-orders/${order.id}/cancel` });
    });

    it('dismisses an open suggestion once; a refresh keeps it as history and replaces the open ones', async () => {
      await refresh();
      const [first] = await openSuggestions();
      const dismissed = await post<Suggestion>(
        `/v1/replenishment/suggestions/${first!.id}/dismiss`,
      );
      assert.equal(dismissed.state, 'dismissed');
      expectError(
        await t.request({
          method: 'POST',
          url: `/v1/replenishment/suggestions/${first!.id}/dismiss`,
        }),
        409,
        'SUGGESTION_NOT_OPEN',
      );
      expectError(
        await t.request({
          method: 'POST',
          url: `/v1/replenishment/suggestions/${first!.id}/purchase-order`,
        }),
        409,
        'SUGGESTION_NOT_OPEN',
      );

      const before = await refresh();
      const [open] = await openSuggestions();
      const after = await refresh();
      assert.equal(before.replaced, 0);
      assert.equal(after.replaced, 1);
      const [replacement] = await openSuggestions();
      assert.notEqual(replacement!.id, open!.id);
      expectError(
        await t.request({ method: 'GET', url: `/v1/replenishment/suggestions/${open!.id}` }),
        404,
        'SUGGESTION_NOT_FOUND',
      );
      assert.equal(
        (await get<Suggestion>(`/v1/replenishment/suggestions/${first!.id}`)).state,
        'dismissed',
      );
      const all = await get<Page<Suggestion>>(
        '/v1/replenishment/suggestions?supplier=ACME&location=W1',
      );
      assert.ok(all.items.some((s) => s.id === first!.id && s.state === 'dismissed'));

      // Page by page, one at a time, the same suggestions in the same order.
      const paged: number[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<Suggestion> = await get<Page<Suggestion>>(
          `/v1/replenishment/suggestions?supplier=ACME&location=W1&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
        paged.push(...page.items.map((s) => s.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      assert.deepEqual(
        paged,
        all.items.map((s) => s.id),
      );
      assert.ok(paged.length >= 3);
    });
  });
}
