import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { resolveAlert } from '../../src/alerts/alerts.repository.js';
import type * as alerts from '../../src/alerts/alerts.schemas.js';
import { sweepAlerts } from '../../src/alerts/alerts-sweep.js';
import { openAlert } from '../../src/alerts/open-alert.js';
import { DEFAULT_MESSAGING_SETTINGS } from '../../src/kernel/messaging-settings.js';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld } from '../helpers/factories.js';
import { assertError, orderKit, type Page } from '../helpers/orders.js';
import type { Body } from '../helpers/responses.js';
import { insertSupplier } from '../helpers/supply-factories.js';

type Alert = Body<typeof alerts.Alert>;

for (const target of testDatabases()) {
  describe(`alert routes (${target.kind})`, () => {
    let t: TestApp;
    let ids: { low: number; shortage: number; overdue: number; resolvedLow: number };
    let poId: number;

    /**
     * Four alerts, oldest first: low stock on pos (resolved), low stock on web, a shortage
     * ahead and an overdue purchase order (both from the sweep).
     */
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', lowStockThreshold: 3 });
      await insertItem(t.ctx, { sku: 'LTK', backorderPolicy: 'lead_time' });
      const db = t.ctx.db;
      const item = await db
        .selectFrom('items')
        .select('id')
        .where('sku', '=', 'KET')
        .executeTakeFirstOrThrow();
      const channels = await db.selectFrom('channels').select(['id', 'code']).execute();
      const low = (channel: string, now: string) =>
        db.transaction().execute((trx) =>
          openAlert(
            trx,
            {
              kind: 'low_stock',
              subject: `item:KET/${channel}`,
              itemId: item.id,
              channelId: channels.find((c) => c.code === channel)!.id,
              message: `KET on ${channel}: 1 available, at or below the threshold of 3`,
              details: { sku: 'KET', channel, available: 1, threshold: 3 },
            },
            DEFAULT_MESSAGING_SETTINGS,
            now,
          ),
        );
      const resolvedLow = (await low('pos', TEST_NOW))!;
      await resolveAlert(db, 'low_stock', 'item:KET/pos', '2026-11-26T10:30:00.000Z');
      const lowId = (await low('web', TEST_NOW))!;

      const kit = orderKit(() => t);
      poId = (await kit.supplierPo('W1', [{ sku: 'KET', ordered: 2, expectedDate: '2026-11-20' }]))
        .id;
      await insertSupplier(t.ctx, 'ACME');
      await kit.supplies('ACME', 'LTK', 30);
      await kit.placed({
        channel: 'web',
        lines: [{ sku: 'LTK', quantity: 2, acceptBackorder: true }],
      });
      assert.deepEqual(await sweepAlerts(t.ctx), { opened: 2, resolved: 0 });
      const swept = await db
        .selectFrom('staff_alerts')
        .select(['id', 'kind'])
        .where('kind', '<>', 'low_stock')
        .execute();
      ids = {
        resolvedLow,
        low: lowId,
        shortage: Number(swept.find((a) => a.kind === 'shortage_ahead')!.id),
        overdue: Number(swept.find((a) => a.kind === 'po_overdue')!.id),
      };
    });
    afterEach(async () => {
      await t.close();
    });

    const list = async (query = '', key?: string) => {
      const response = await t.request({
        method: 'GET',
        url: `/v1/alerts${query}`,
        ...(key !== undefined && { key }),
      });
      assert.equal(response.statusCode, 200, response.body);
      return json<Page<Alert>>(response);
    };

    it('lists open alerts newest first, each with what it is about', async () => {
      const page = await list('', t.staffKey);
      assert.equal(page.nextCursor, null);
      const byId = new Map(page.items.map((a) => [a.id, a]));
      assert.deepEqual(
        page.items.map((a) => a.id),
        [ids.low, ids.shortage, ids.overdue].sort((a, b) => b - a),
      );
      assert.deepEqual(byId.get(ids.low), {
        id: ids.low,
        kind: 'low_stock',
        subject: 'item:KET/web',
        sku: 'KET',
        channel: 'web',
        message: 'KET on web: 1 available, at or below the threshold of 3',
        details: { sku: 'KET', channel: 'web', available: 1, threshold: 3 },
        createdAt: TEST_NOW,
        resolvedAt: null,
      });
      const shortage = byId.get(ids.shortage)!;
      assert.deepEqual(
        [shortage.kind, shortage.subject, shortage.sku, 'channel' in shortage],
        ['shortage_ahead', 'item:LTK', 'LTK', false],
      );
      assert.deepEqual(shortage.details, {
        sku: 'LTK',
        unpromisedUnits: 0,
        estimatedUnits: 2,
        waitingLines: 1,
      });
      const overdue = byId.get(ids.overdue)!;
      assert.deepEqual(
        [overdue.kind, overdue.subject, overdue.purchaseOrderId, 'sku' in overdue],
        ['po_overdue', `purchase_order:${poId}`, poId, false],
      );
      assert.match(overdue.message, new RegExp(`^Purchase order ${poId} from SUP\\d+ is overdue`));
    });

    it('filters by state and kind', async () => {
      const resolved = await list('?state=resolved');
      assert.deepEqual(
        resolved.items.map((a) => [a.id, a.channel, a.resolvedAt]),
        [[ids.resolvedLow, 'pos', '2026-11-26T10:30:00.000Z']],
      );
      const all = await list('?state=all');
      assert.deepEqual(
        all.items.map((a) => a.id),
        Object.values(ids).sort((a, b) => b - a),
      );
      const lowOnes = await list('?state=all&kind=low_stock');
      assert.deepEqual(
        lowOnes.items.map((a) => a.id),
        [ids.low, ids.resolvedLow],
      );
      const overdue = await list('?kind=po_overdue');
      assert.deepEqual(
        overdue.items.map((a) => a.id),
        [ids.overdue],
      );
    });

    it('pages through alerts with a cursor', async () => {
      const expected = Object.values(ids).sort((a, b) => b - a);
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<Alert> = await list(
          `?state=all&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...page.items.map((a) => a.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, expected);
    });

    it('counts the open alerts, in all and by kind', async () => {
      const count = async () => {
        const response = await t.request({
          method: 'GET',
          url: '/v1/alerts/counts',
          key: t.staffKey,
        });
        assert.equal(response.statusCode, 200, response.body);
        return json(response);
      };
      assert.deepEqual(await count(), {
        open: 3,
        byKind: { low_stock: 1, shortage_ahead: 1, po_overdue: 1 },
      });
      await resolveAlert(t.ctx.db, 'low_stock', 'item:KET/web', TEST_NOW);
      assert.deepEqual(await count(), {
        open: 2,
        byKind: { low_stock: 0, shortage_ahead: 1, po_overdue: 1 },
      });
      const channel = await t.request({
        method: 'GET',
        url: '/v1/alerts/counts',
        key: await t.channelKey('web'),
      });
      assertError(channel, 403, 'FORBIDDEN');
    });

    it('reads one alert', async () => {
      const response = await t.request({
        method: 'GET',
        url: `/v1/alerts/${ids.resolvedLow}`,
        key: t.staffKey,
      });
      assert.equal(response.statusCode, 200, response.body);
      const alert = json<Alert>(response);
      assert.deepEqual(
        [alert.id, alert.kind, alert.sku, alert.channel, alert.resolvedAt],
        [ids.resolvedLow, 'low_stock', 'KET', 'pos', '2026-11-26T10:30:00.000Z'],
      );
      const missing = assertError(
        await t.request({ method: 'GET', url: '/v1/alerts/9999' }),
        404,
        'ALERT_NOT_FOUND',
      );
      assert.deepEqual(missing.details, { id: 9999 });
    });

    it('refuses bad queries with a precise 400', async () => {
      for (const query of [
        '?state=closed',
        '?kind=fire',
        '?limit=0',
        '?limit=1001',
        '?colour=red',
      ]) {
        assertError(
          await t.request({ method: 'GET', url: `/v1/alerts${query}` }),
          400,
          'VALIDATION_FAILED',
        );
      }
      assertError(
        await t.request({ method: 'GET', url: '/v1/alerts?cursor=abc' }),
        400,
        'INVALID_CURSOR',
      );
      assertError(
        await t.request({ method: 'GET', url: '/v1/alerts/abc' }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('is for admin and staff keys', async () => {
      const channelKey = await t.channelKey('web');
      for (const url of ['/v1/alerts', `/v1/alerts/${ids.low}`]) {
        assertError(await t.request({ method: 'GET', url, key: channelKey }), 403, 'FORBIDDEN');
        assertError(await t.request({ method: 'GET', url, key: null }), 401, 'UNAUTHORIZED');
        const admin = await t.request({ method: 'GET', url });
        assert.equal(admin.statusCode, 200, admin.body);
      }
    });
  });
}
