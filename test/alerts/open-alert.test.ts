import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type NewAlert, resolveAlert } from '../../src/alerts/alerts.repository.js';
import { openAlert } from '../../src/alerts/open-alert.js';
import {
  DEFAULT_MESSAGING_SETTINGS,
  type MessagingSettings,
} from '../../src/kernel/messaging-settings.js';
import { startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld } from '../helpers/factories.js';

const settings: MessagingSettings = {
  ...DEFAULT_MESSAGING_SETTINGS,
  staffEmails: ['ops@shop.test', 'buyer@shop.test', 'ops@shop.test'],
};

/** openAlert and resolveAlert, as the sweep and the availability watcher call them. */
for (const target of testDatabases()) {
  describe(`opening and resolving alerts (${target.kind})`, () => {
    let t: TestApp;
    let lowStock: NewAlert;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', lowStockThreshold: 3 });
      const item = await t.ctx.db
        .selectFrom('items')
        .select('id')
        .where('sku', '=', 'KET')
        .executeTakeFirstOrThrow();
      const channel = await t.ctx.db
        .selectFrom('channels')
        .select('id')
        .where('code', '=', 'web')
        .executeTakeFirstOrThrow();
      lowStock = {
        kind: 'low_stock',
        subject: 'item:KET/web',
        itemId: item.id,
        channelId: channel.id,
        message: 'KET on web: 1 available, at or below the threshold of 3',
        details: { sku: 'KET', channel: 'web', available: 1, threshold: 3 },
      };
    });
    afterEach(async () => {
      await t.close();
    });

    const open = (alert: NewAlert, now = TEST_NOW) =>
      t.ctx.db.transaction().execute((trx) => openAlert(trx, alert, settings, now));

    async function written() {
      const db = t.ctx.db;
      return {
        alerts: await db.selectFrom('staff_alerts').selectAll().orderBy('id').execute(),
        outbox: await db
          .selectFrom('outbox_messages')
          .select(['dedupe_key', 'audience', 'transport', 'template', 'recipient', 'alert_id'])
          .select(['webhook_id', 'data'])
          .orderBy('id')
          .execute(),
        events: await db
          .selectFrom('domain_events')
          .select(['type', 'subject', 'channel', 'payload', 'actor'])
          .orderBy('id')
          .execute(),
      };
    }

    it('opens low stock once: one email per staff address, alert.raised and stock.low on its channel', async () => {
      const hook = await t.request({
        method: 'POST',
        url: '/v1/webhooks',
        body: { url: 'https://erp.example.com/', events: ['stock.low'] },
      });
      assert.equal(hook.statusCode, 201, hook.body);
      const webhookId = (JSON.parse(hook.body) as { id: number }).id;

      const id = await open(lowStock);
      assert.ok(typeof id === 'number' && id > 0);
      const { alerts, outbox, events } = await written();
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0]!.open_key, 'low_stock:item:KET/web');

      const data = {
        sku: 'KET',
        channel: 'web',
        available: 1,
        threshold: 3,
        alertId: id,
        kind: 'low_stock',
        subject: 'item:KET/web',
        message: lowStock.message,
      };
      const emails = outbox.filter((m) => m.transport === 'email');
      assert.deepEqual(
        emails.map((m) => ({ ...m, alert_id: Number(m.alert_id), data: JSON.parse(m.data) })),
        ['ops@shop.test', 'buyer@shop.test'].map((to) => ({
          dedupe_key: `alert:${id}:${to}`,
          audience: 'staff',
          transport: 'email',
          template: 'alert_low_stock',
          recipient: to,
          alert_id: id,
          webhook_id: null,
          data,
        })),
      );

      assert.deepEqual(
        events.map((e) => ({ ...e, payload: JSON.parse(e.payload) })),
        [
          {
            type: 'alert.raised',
            subject: `alert:${id}`,
            channel: 'web',
            actor: 'system:alerts',
            payload: {
              alertId: id,
              kind: 'low_stock',
              subject: 'item:KET/web',
              message: lowStock.message,
              details: lowStock.details,
            },
          },
          {
            type: 'stock.low',
            subject: 'item:KET/web',
            channel: 'web',
            actor: 'system:alerts',
            payload: { ...lowStock.details, alertId: id },
          },
        ],
      );
      const deliveries = outbox.filter((m) => m.transport === 'webhook');
      assert.deepEqual(
        deliveries.map((d) => [Number(d.webhook_id), d.template, JSON.parse(d.data).channel]),
        [[webhookId, 'stock.low', 'web']],
      );

      // Still open: nothing more.
      const before = await written();
      assert.equal(await open(lowStock, '2026-11-26T11:00:00.000Z'), null);
      assert.deepEqual(await written(), before);
    });

    it('raises no stock.low for other kinds', async () => {
      await open({
        kind: 'shortage_ahead',
        subject: 'item:KET',
        message: 'KET: 2 backordered units have no purchase order',
        details: { sku: 'KET', unpromisedUnits: 2, estimatedUnits: 0, waitingLines: 1 },
      });
      const { events } = await written();
      assert.deepEqual(
        events.map((e) => [e.type, e.channel]),
        [['alert.raised', null]],
      );
    });

    it('writes nothing when the caller’s transaction rolls back', async () => {
      const before = await written();
      await assert.rejects(
        t.ctx.db.transaction().execute(async (trx) => {
          await openAlert(trx, lowStock, settings, TEST_NOW);
          throw new Error('the cause failed');
        }),
        /the cause failed/,
      );
      assert.deepEqual(await written(), before);
    });

    it('resolves the open alert once; the same cause later opens a new one', async () => {
      const first = await open(lowStock);
      assert.equal(
        await resolveAlert(t.ctx.db, 'low_stock', 'item:KET/web', '2026-11-27T00:00:00.000Z'),
        true,
      );
      assert.equal(
        await resolveAlert(t.ctx.db, 'low_stock', 'item:KET/web', '2026-11-28T00:00:00.000Z'),
        false,
      );
      assert.equal(await resolveAlert(t.ctx.db, 'low_stock', 'item:OTHER/web', TEST_NOW), false);
      const [resolved] = (await written()).alerts;
      assert.deepEqual(
        [resolved!.resolved_at, resolved!.open_key],
        ['2026-11-27T00:00:00.000Z', null],
      );

      const second = await open(lowStock, '2026-11-29T00:00:00.000Z');
      assert.ok(second !== null && second !== first);
      const { alerts, outbox } = await written();
      assert.deepEqual(
        alerts.map((a) => [Number(a.id), a.open_key]),
        [
          [first, null],
          [second, 'low_stock:item:KET/web'],
        ],
      );
      assert.equal(outbox.filter((m) => Number(m.alert_id) === second).length, 2);
    });
  });
}
