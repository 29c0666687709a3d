import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { watchAvailability } from '../../src/availability/availability-watcher.js';
import { adjustStock } from '../../src/inventory/stock.service.js';
import { DEFAULT_MESSAGING_SETTINGS } from '../../src/kernel/messaging-settings.js';
import { putSupplierItem } from '../../src/purchasing/suppliers.service.js';
import { runDueWaves } from '../../src/subscriptions/due-waves.js';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertLocation, insertWorld, putStock } from '../helpers/factories.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

/**
 * The availability watcher: changes queued by triggers become one availability.changed
 * event per item × channel that moved, "notify me" waves when units are back on the
 * shelf, and low-stock alerts that open once and resolve; running it again, or twice at
 * once, adds nothing.
 */

const HOUR = 60 * 60_000;
const later = (ms: number) => new Date(Date.parse(TEST_NOW) + ms).toISOString();

interface ChangedPayload {
  sku: string;
  channel: string;
  state: string;
  available: number;
  previousState: string;
  previousAvailable: number;
}

for (const target of testDatabases()) {
  describe(`availability watcher (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      // W1 and S1; web sells from W1 then S1, pos from S1.
      await insertWorld(t.ctx);
    });
    afterEach(async () => {
      await t.close();
    });

    const move = (sku: string, location: string, delta: number) =>
      adjustStock(t.ctx, { sku, location, delta, reason: 'test' }, 'test');

    async function events(type: string) {
      const rows = await t.ctx.db
        .selectFrom('domain_events')
        .select(['subject', 'channel', 'payload', 'actor'])
        .where('type', '=', type)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
    }

    async function snapshot(sku: string, channel: string) {
      return t.ctx.db
        .selectFrom('availability_snapshots as s')
        .innerJoin('items as i', 'i.id', 's.item_id')
        .innerJoin('channels as c', 'c.id', 's.channel_id')
        .select(['s.state', 's.available', 's.next_wave_at'])
        .where('i.sku', '=', sku)
        .where('c.code', '=', channel)
        .executeTakeFirst();
    }

    async function queued() {
      const row = await t.ctx.db
        .selectFrom('availability_changes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }

    /** Everything the watcher writes, to prove a second run adds nothing. */
    async function written() {
      const db = t.ctx.db;
      return {
        events: await db.selectFrom('domain_events').select(['id', 'type']).orderBy('id').execute(),
        snapshots: await db
          .selectFrom('availability_snapshots')
          .selectAll()
          .orderBy('item_id')
          .orderBy('channel_id')
          .execute(),
        outbox: await db
          .selectFrom('outbox_messages')
          .select(['id', 'dedupe_key'])
          .orderBy('id')
          .execute(),
        alerts: await db.selectFrom('staff_alerts').selectAll().orderBy('id').execute(),
        subscriptions: await db.selectFrom('subscriptions').selectAll().orderBy('id').execute(),
      };
    }

    /** n people subscribe, in order, to an item on web; returns their ids. */
    async function subscribers(sku: string, n: number, channel = 'web') {
      const ids: number[] = [];
      for (let i = 1; i <= n; i++) {
        const response = await t.request({
          method: 'POST',
          url: '/v1/subscriptions',
          body: {
            sku,
            channel,
            email: `p${i}@example.test`,
            name: `P${i}`,
            preferredChannel: 'email',
          },
        });
        assert.equal(response.statusCode, 201, response.body);
        ids.push(json<{ id: number }>(response).id);
      }
      return ids;
    }

    async function adminActor() {
      const key = await t.ctx.db
        .selectFrom('api_keys')
        .select(['id', 'name'])
        .where('role', '=', 'admin')
        .executeTakeFirstOrThrow();
      return `key:${key.id}/${key.name}`;
    }

    async function backInStockMessages() {
      const rows = await t.ctx.db
        .selectFrom('outbox_messages')
        .select(['subscription_id', 'recipient', 'transport', 'audience', 'dedupe_key', 'data'])
        .where('template', '=', 'back_in_stock')
        .orderBy('subscription_id')
        .execute();
      return rows.map((r) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }));
    }

    async function states(ids: readonly number[]) {
      const rows = await t.ctx.db
        .selectFrom('subscriptions')
        .select(['id', 'state', 'wave'])
        .where('id', 'in', ids)
        .orderBy('id')
        .execute();
      return rows.map((r) => `${r.state}${r.wave === null ? '' : `:${r.wave}`}`);
    }

    describe('changes and events', () => {
      it('records the first sight silently, then one availability.changed per channel that moved', async () => {
        await insertItem(t.ctx, { sku: 'KET' });
        await putStock(t.ctx, 'KET', 'W1', 5);
        const first = await watchAvailability(t.ctx);
        assert.deepEqual(first, { items: 1, events: 0, notified: 0 });
        assert.deepEqual(await snapshot('KET', 'web'), {
          state: 'in_stock',
          available: 5,
          next_wave_at: null,
        });
        assert.deepEqual(await snapshot('KET', 'pos'), {
          state: 'out_of_stock',
          available: 0,
          next_wave_at: null,
        });
        assert.equal(await queued(), 0);

        // W1 serves web only: pos shows the same, so only web moved.
        await move('KET', 'W1', 3);
        assert.deepEqual(await watchAvailability(t.ctx), { items: 1, events: 1, notified: 0 });
        const changed = await events('availability.changed');
        assert.deepEqual(changed, [
          {
            subject: 'item:KET',
            channel: 'web',
            actor: 'system:availability',
            payload: {
              sku: 'KET',
              channel: 'web',
              state: 'in_stock',
              available: 8,
              previousState: 'in_stock',
              previousAvailable: 5,
            },
          },
        ]);

        // S1 serves both: a change per channel, and pos has stock on the shelf again.
        await move('KET', 'S1', 2);
        assert.deepEqual(await watchAvailability(t.ctx), { items: 1, events: 3, notified: 0 });
        assert.deepEqual(
          (await events('item.back_in_stock')).map((e) => e.channel),
          ['pos'],
        );
        const both = (await events('availability.changed'))
          .slice(1)
          .map((e) => e.payload as unknown as ChangedPayload);
        assert.deepEqual(
          both.map((p) => [p.channel, p.previousState, p.previousAvailable, p.state, p.available]),
          [
            ['web', 'in_stock', 8, 'in_stock', 10],
            ['pos', 'out_of_stock', 0, 'in_stock', 2],
          ],
        );
      });

      it('running it again creates nothing new', async () => {
        await insertItem(t.ctx, { sku: 'KET', lowStockThreshold: 3 });
        await putStock(t.ctx, 'KET', 'W1', 5);
        await watchAvailability(t.ctx);
        await move('KET', 'W1', -4);
        await watchAvailability(t.ctx);
        const before = await written();
        assert.deepEqual(await watchAvailability(t.ctx), { items: 0, events: 0, notified: 0 });
        assert.deepEqual(await written(), before);
        // A queued change that changes nothing: examined, nothing written.
        await t.ctx.db
          .insertInto('availability_changes')
          .values({ item_id: (await itemId('KET'))! })
          .execute();
        assert.deepEqual(await watchAvailability(t.ctx), { items: 1, events: 0, notified: 0 });
        assert.deepEqual(await written(), before);
        assert.equal(await queued(), 0);
      });

      it('drains a queue longer than a batch, a batch per transaction', async () => {
        for (const sku of ['A', 'B', 'C', 'D', 'E']) {
          await insertItem(t.ctx, { sku });
          await putStock(t.ctx, sku, 'S1', 1);
        }
        await watchAvailability(t.ctx);
        for (const sku of ['A', 'B', 'C', 'D', 'E']) await move(sku, 'S1', 1);
        const result = await watchAvailability(t.ctx, { batch: 2 });
        assert.deepEqual(result, { items: 5, events: 10, notified: 0 });
        assert.equal(await queued(), 0);
      });

      it('shows what the availability API answers, for stock, backorders, lead time and preorders', async () => {
        const supplier = await insertSupplier(t.ctx);
        await insertItem(t.ctx, { sku: 'STOCKED', lowStockThreshold: 4 });
        await insertItem(t.ctx, { sku: 'INCOMING' });
        await insertItem(t.ctx, { sku: 'NEVER', backorderPolicy: 'none' });
        await insertItem(t.ctx, { sku: 'LEAD', backorderPolicy: 'lead_time' });
        await insertItem(t.ctx, { sku: 'SOON', releaseDate: '2026-12-20', preordersEnabled: true });
        await putSupplierItem(t.ctx, supplier.code, 'LEAD', {
          unitCost: 5,
          leadTimeDays: 7,
          preferred: true,
        });
        await putStock(t.ctx, 'STOCKED', 'W1', 3);
        await putStock(t.ctx, 'SOON', 'S1', 2);
        await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'S1',
          state: 'sent',
          lines: [
            { sku: 'INCOMING', ordered: 4, expectedDate: '2026-12-05' },
            { sku: 'NEVER', ordered: 4, expectedDate: '2026-12-05' },
          ],
        });
        // Supplier links queue no change (no trigger on supplier_items): queue LEAD by hand.
        await t.ctx.db
          .insertInto('availability_changes')
          .values({ item_id: (await itemId('LEAD'))! })
          .execute();
        await watchAvailability(t.ctx);
        for (const sku of ['STOCKED', 'INCOMING', 'NEVER', 'LEAD', 'SOON']) {
          for (const channel of ['web', 'pos']) {
            const answer = json<{ state: string; quantities: { available: number } }>(
              await t.request({ method: 'GET', url: `/v1/availability/${sku}?channel=${channel}` }),
            );
            const seen = await snapshot(sku, channel);
            assert.deepEqual(
              seen && { state: seen.state, available: seen.available },
              { state: answer.state, available: answer.quantities.available },
              `${sku} on ${channel}`,
            );
          }
        }
        assert.equal((await snapshot('STOCKED', 'web'))?.state, 'low_stock');
        assert.equal((await snapshot('INCOMING', 'web'))?.state, 'backorder');
        assert.equal((await snapshot('LEAD', 'web'))?.state, 'backorder');
        assert.equal((await snapshot('NEVER', 'web'))?.state, 'out_of_stock');
        assert.equal((await snapshot('SOON', 'pos'))?.state, 'preorder');
      });
    });

    describe('back in stock and waves', () => {
      it('backorders becoming possible, or a preorder with units held, is not back in stock', async () => {
        await insertItem(t.ctx, { sku: 'KET' });
        await insertItem(t.ctx, { sku: 'SOON', releaseDate: '2026-12-20', preordersEnabled: true });
        const ket = await subscribers('KET', 2);
        const soon = await subscribers('SOON', 2);
        const supplier = await insertSupplier(t.ctx);
        await insertPurchaseOrder(t.ctx, {
          supplier,
          location: 'W1',
          state: 'sent',
          lines: [{ sku: 'KET', ordered: 10, expectedDate: '2026-12-05' }],
        });
        await putStock(t.ctx, 'SOON', 'W1', 5);
        const result = await watchAvailability(t.ctx);
        assert.equal(result.notified, 0);
        assert.deepEqual(
          (await events('availability.changed')).map((e) => [
            e.payload.sku,
            e.channel,
            e.payload.previousState,
            e.payload.state,
          ]),
          [
            ['KET', 'web', 'out_of_stock', 'backorder'],
            ['SOON', 'web', 'out_of_stock', 'preorder'],
          ],
        );
        assert.deepEqual(await events('item.back_in_stock'), []);
        assert.deepEqual(await backInStockMessages(), []);
        assert.deepEqual(await states([...ket, ...soon]), [
          'waiting',
          'waiting',
          'waiting',
          'waiting',
        ]);
      });

      it('notifies the first subscribers in order, in waves of the units back × the multiple', async () => {
        await insertItem(t.ctx, { sku: 'KET' });
        const ids = await subscribers('KET', 10);
        await putStock(t.ctx, 'KET', 'W1', 2);

        const first = await watchAvailability(t.ctx);
        assert.deepEqual(first, { items: 1, events: 2, notified: 2 });
        assert.deepEqual(await states(ids), [
          'notified:1',
          'notified:1',
          ...Array(8).fill('waiting'),
        ]);
        const messages = await backInStockMessages();
        const token = async (id: number) =>
          (
            await t.ctx.db
              .selectFrom('subscriptions')
              .select('token')
              .where('id', '=', id)
              .executeTakeFirstOrThrow()
          ).token;
        assert.deepEqual(messages, [
          {
            subscription_id: ids[0],
            recipient: 'p1@example.test',
            transport: 'email',
            audience: 'customer',
            dedupe_key: `subscription:${ids[0]}:back_in_stock`,
            data: {
              customerName: 'P1',
              sku: 'KET',
              channel: 'web',
              available: 2,
              subscriptionId: ids[0],
              token: await token(ids[0]!),
            },
          },
          {
            subscription_id: ids[1],
            recipient: 'p2@example.test',
            transport: 'email',
            audience: 'customer',
            dedupe_key: `subscription:${ids[1]}:back_in_stock`,
            data: {
              customerName: 'P2',
              sku: 'KET',
              channel: 'web',
              available: 2,
              subscriptionId: ids[1],
              token: await token(ids[1]!),
            },
          },
        ]);
        const back = await events('item.back_in_stock');
        assert.deepEqual(back, [
          {
            subject: 'item:KET',
            channel: 'web',
            actor: 'system:availability',
            payload: { sku: 'KET', channel: 'web', state: 'in_stock', available: 2, notified: 2 },
          },
        ]);
        assert.equal((await snapshot('KET', 'web'))?.next_wave_at, later(HOUR));

        // Not due yet: nothing.
        t.clock.set(later(HOUR - 1000));
        assert.deepEqual(await runDueWaves(t.ctx), { notified: 0 });
        // After the delay, stock still there: the next two.
        t.clock.set(later(HOUR));
        assert.deepEqual(await runDueWaves(t.ctx), { notified: 2 });
        assert.deepEqual(await states(ids), [
          'notified:1',
          'notified:1',
          'notified:2',
          'notified:2',
          ...Array(6).fill('waiting'),
        ]);
        assert.equal((await snapshot('KET', 'web'))?.next_wave_at, later(2 * HOUR));
        assert.deepEqual(await runDueWaves(t.ctx), { notified: 0 });

        // The units are sold before the next wave (the watcher has not run yet): none, and
        // no wave is due any more.
        await move('KET', 'W1', -2);
        t.clock.set(later(2 * HOUR));
        assert.deepEqual(await runDueWaves(t.ctx), { notified: 0 });
        assert.equal((await snapshot('KET', 'web'))?.next_wave_at, null);
        assert.equal((await backInStockMessages()).length, 4);
        await watchAvailability(t.ctx);
        assert.deepEqual(await snapshot('KET', 'web'), {
          state: 'out_of_stock',
          available: 0,
          next_wave_at: null,
        });

        // A later return starts again with a first wave, for the next in line; one who left
        // the queue is skipped.
        await t.ctx.db
          .updateTable('subscriptions')
          .set({ state: 'unsubscribed' })
          .where('id', '=', ids[4]!)
          .execute();
        await putStock(t.ctx, 'KET', 'W1', 1);
        t.clock.set(later(3 * HOUR));
        assert.deepEqual(await watchAvailability(t.ctx), { items: 1, events: 2, notified: 1 });
        assert.deepEqual((await states(ids)).slice(4, 7), [
          'unsubscribed',
          'notified:1',
          'waiting',
        ]);
        assert.equal((await snapshot('KET', 'web'))?.next_wave_at, later(4 * HOUR));
      });

      it('resumes the waves when a due wave found the shelf empty for a moment', async () => {
        await insertItem(t.ctx, { sku: 'KET' });
        const ids = await subscribers('KET', 6);
        await putStock(t.ctx, 'KET', 'W1', 2);
        await watchAvailability(t.ctx);
        // Sold and returned between two runs of the watcher; the due wave sees the dip.
        await move('KET', 'W1', -2);
        t.clock.set(later(HOUR));
        assert.deepEqual(await runDueWaves(t.ctx), { notified: 0 });
        assert.equal((await snapshot('KET', 'web'))?.next_wave_at, null);
        await move('KET', 'W1', 2);
        // Same picture as before for the watcher: no event, but the wave is due again.
        assert.deepEqual(await watchAvailability(t.ctx), { items: 1, events: 0, notified: 0 });
        assert.equal((await snapshot('KET', 'web'))?.next_wave_at, later(HOUR));
        assert.deepEqual(await runDueWaves(t.ctx), { notified: 2 });
        assert.deepEqual(await states(ids), [
          'notified:1',
          'notified:1',
          'notified:2',
          'notified:2',
          'waiting',
          'waiting',
        ]);
      });

      it('reaches units × the multiple, and ends the schedule when nobody is left', async () => {
        t.ctx.messaging = {
          ...DEFAULT_MESSAGING_SETTINGS,
          notifyWaveMultiple: 2,
          notifyWaveDelayMinutes: 30,
        };
        await insertItem(t.ctx, { sku: 'KET' });
        const ids = await subscribers('KET', 6);
        await putStock(t.ctx, 'KET', 'W1', 2);
        assert.equal((await watchAvailability(t.ctx)).notified, 4);
        assert.deepEqual(await states(ids), [...Array(4).fill('notified:1'), 'waiting', 'waiting']);
        assert.equal((await snapshot('KET', 'web'))?.next_wave_at, later(30 * 60_000));
        t.clock.set(later(30 * 60_000));
        assert.deepEqual(await runDueWaves(t.ctx), { notified: 2 });
        assert.deepEqual(await states(ids), [
          ...Array(4).fill('notified:1'),
          'notified:2',
          'notified:2',
        ]);
        assert.equal((await snapshot('KET', 'web'))?.next_wave_at, null);
      });

      it('sends no wave for a discontinued item selling through what comes back', async () => {
        await insertItem(t.ctx, { sku: 'KET' });
        const ids = await subscribers('KET', 2);
        const patched = await t.request({
          method: 'PATCH',
          url: '/v1/items/KET',
          body: { status: 'discontinued' },
        });
        assert.equal(patched.statusCode, 200, patched.body);
        // Who retired it: the key that sent the change.
        assert.deepEqual(
          (await events('item.discontinued')).map((e) => e.actor),
          [await adminActor()],
        );
        await putStock(t.ctx, 'KET', 'W1', 3);
        const result = await watchAvailability(t.ctx);
        assert.equal(result.notified, 0);
        assert.deepEqual(
          (await events('item.back_in_stock')).map((e) => e.channel),
          ['web'],
        );
        assert.deepEqual(await backInStockMessages(), []);
        // The "discontinued" message ended their wait (with alternatives), not a wave.
        assert.deepEqual(await states(ids), ['notified', 'notified']);
        const told = await t.ctx.db
          .selectFrom('outbox_messages')
          .select('subscription_id')
          .where('template', '=', 'discontinued')
          .orderBy('subscription_id')
          .execute();
        assert.deepEqual(
          told.map((m) => Number(m.subscription_id)),
          ids.map(Number),
        );
        assert.equal((await snapshot('KET', 'web'))?.next_wave_at, null);
      });

      it('sends a back-in-stock event with no wave when nobody waits', async () => {
        await insertItem(t.ctx, { sku: 'KET' });
        await putStock(t.ctx, 'KET', 'S1', 1);
        await watchAvailability(t.ctx);
        await move('KET', 'S1', -1);
        await watchAvailability(t.ctx);
        await move('KET', 'S1', 1);
        assert.deepEqual(await watchAvailability(t.ctx), { items: 1, events: 4, notified: 0 });
        assert.deepEqual(
          (await events('item.back_in_stock')).map((e) => e.channel),
          ['web', 'pos'],
        );
        assert.equal((await snapshot('KET', 'web'))?.next_wave_at, null);
      });
    });

    describe('low stock alerts', () => {
      async function alerts() {
        return t.ctx.db
          .selectFrom('staff_alerts')
          .select(['kind', 'subject', 'open_key', 'resolved_at', 'details'])
          .where('subject', '=', 'item:KET/web')
          .orderBy('id')
          .execute();
      }

      it('opens once on entering low stock, stays open while low, resolves on recovery', async () => {
        t.ctx.messaging = { ...DEFAULT_MESSAGING_SETTINGS, staffEmails: ['ops@example.test'] };
        await insertItem(t.ctx, { sku: 'KET', lowStockThreshold: 3 });
        await putStock(t.ctx, 'KET', 'W1', 10);
        await watchAvailability(t.ctx);
        assert.deepEqual(await alerts(), []);

        await move('KET', 'W1', -8);
        await watchAvailability(t.ctx);
        await move('KET', 'W1', -1);
        await watchAvailability(t.ctx);
        const open = await alerts();
        assert.equal(open.length, 1);
        assert.deepEqual(
          { ...open[0], details: JSON.parse(open[0]!.details) },
          {
            kind: 'low_stock',
            subject: 'item:KET/web',
            open_key: 'low_stock:item:KET/web',
            resolved_at: null,
            details: {
              sku: 'KET',
              name: 'Test item',
              channel: 'web',
              state: 'low_stock',
              available: 2,
              threshold: 3,
            },
          },
        );
        const low = (await events('stock.low')).filter((e) => e.channel === 'web');
        assert.equal(low.length, 1);
        const emails = await t.ctx.db
          .selectFrom('outbox_messages')
          .select(['recipient', 'template'])
          .where('template', '=', 'alert_low_stock')
          .where('data', 'like', '%KET/web%')
          .execute();
        assert.deepEqual(emails, [{ recipient: 'ops@example.test', template: 'alert_low_stock' }]);

        t.clock.set(later(HOUR));
        await move('KET', 'W1', 10);
        await watchAvailability(t.ctx);
        const resolved = await alerts();
        assert.equal(resolved.length, 1);
        assert.equal(resolved[0]!.resolved_at, later(HOUR));
        assert.equal(resolved[0]!.open_key, null);

        // Low again later: a new alert.
        await move('KET', 'W1', -10);
        await watchAvailability(t.ctx);
        assert.deepEqual(
          (await alerts()).map((a) => a.resolved_at),
          [later(HOUR), null],
        );
      });

      it('raises it at first sight when already low, and resolves it when the item is discontinued', async () => {
        await insertItem(t.ctx, { sku: 'KET', lowStockThreshold: 3 });
        await putStock(t.ctx, 'KET', 'W1', 1);
        await watchAvailability(t.ctx);
        assert.equal((await alerts()).length, 1);
        const patched = await t.request({
          method: 'PATCH',
          url: '/v1/items/KET',
          body: { status: 'discontinued' },
        });
        assert.equal(patched.statusCode, 200, patched.body);
        await watchAvailability(t.ctx);
        assert.notEqual((await alerts())[0]!.resolved_at, null);
      });
    });

    describe('changes no stock or supply row shows', () => {
      it('a release date passing: subscribers hear on the day, once', async () => {
        // Not sold before release: out of stock until the 28th, with units on the shelf.
        await insertItem(t.ctx, { sku: 'SOON', releaseDate: '2026-11-28', lowStockThreshold: 5 });
        const lowAlerts = async () =>
          (
            await t.ctx.db
              .selectFrom('staff_alerts')
              .select('subject')
              .where('kind', '=', 'low_stock')
              .where('resolved_at', 'is', null)
              .orderBy('subject')
              .execute()
          ).map((a) => a.subject);
        await putStock(t.ctx, 'SOON', 'W1', 5);
        const waiting = await subscribers('SOON', 2);
        await watchAvailability(t.ctx);
        assert.deepEqual(await snapshot('SOON', 'web'), {
          state: 'out_of_stock',
          available: 5,
          next_wave_at: null,
        });

        assert.deepEqual(await lowAlerts(), [], 'not low before it is even on sale');
        t.clock.set('2026-11-27T09:00:00.000Z');
        assert.deepEqual(await watchAvailability(t.ctx), { items: 0, events: 0, notified: 0 });

        // The 28th: nothing changed in any table, and still the item is on sale.
        t.clock.set('2026-11-28T06:00:00.000Z');
        assert.deepEqual(await watchAvailability(t.ctx), { items: 1, events: 2, notified: 2 });
        assert.equal((await snapshot('SOON', 'web'))?.state, 'low_stock');
        assert.deepEqual(await states(waiting), ['notified:1', 'notified:1']);
        // On sale now: 5 on web's shelf and none on pos's, both at or under the threshold of 5.
        assert.deepEqual(await lowAlerts(), ['item:SOON/pos', 'item:SOON/web']);
        assert.deepEqual(
          (await events('item.back_in_stock')).map((e) => [e.payload.sku, e.channel]),
          [['SOON', 'web']],
        );

        // Later the same day, or a second process sweeping: the day is done.
        const before = await written();
        t.clock.set('2026-11-28T18:00:00.000Z');
        assert.deepEqual(await watchAvailability(t.ctx), { items: 0, events: 0, notified: 0 });
        assert.deepEqual(await written(), before);
      });

      it('a server down over a release date catches up on the days it missed', async () => {
        await insertItem(t.ctx, { sku: 'A', releaseDate: '2026-11-27' });
        await insertItem(t.ctx, { sku: 'B', releaseDate: '2026-11-29' });
        await insertItem(t.ctx, { sku: 'C', releaseDate: '2026-12-05' });
        for (const sku of ['A', 'B', 'C']) await putStock(t.ctx, sku, 'W1', 1);
        await watchAvailability(t.ctx);
        t.clock.set('2026-11-30T08:00:00.000Z');
        await watchAvailability(t.ctx);
        const moved = (await events('availability.changed')).filter((e) => e.channel === 'web');
        assert.deepEqual(
          moved.map((e) => [e.payload.sku, e.payload.previousState, e.payload.state]),
          [
            ['A', 'out_of_stock', 'in_stock'],
            ['B', 'out_of_stock', 'in_stock'],
          ],
        );
      });

      it('a location joining a channel queues the items stocked there, and leaving it too', async () => {
        await insertLocation(t.ctx, { code: 'S2', name: 'Station Road', kind: 'store' });
        await insertItem(t.ctx, { sku: 'KET' });
        await insertItem(t.ctx, { sku: 'MUG' });
        await putStock(t.ctx, 'KET', 'S2', 4);
        await putStock(t.ctx, 'MUG', 'W1', 9);
        await watchAvailability(t.ctx);
        assert.equal((await snapshot('KET', 'web'))?.available, 0);

        const joined = await t.request({
          method: 'PATCH',
          url: '/v1/channels/web',
          body: { locations: ['W1', 'S1', 'S2'] },
        });
        assert.equal(joined.statusCode, 200, joined.body);
        await watchAvailability(t.ctx);
        assert.deepEqual(await snapshot('KET', 'web'), {
          state: 'in_stock',
          available: 4,
          next_wave_at: null,
        });
        assert.equal((await snapshot('MUG', 'web'))?.available, 9);

        const left = await t.request({
          method: 'PATCH',
          url: '/v1/channels/web',
          body: { locations: ['W1', 'S1'] },
        });
        assert.equal(left.statusCode, 200, left.body);
        await watchAvailability(t.ctx);
        assert.equal((await snapshot('KET', 'web'))?.state, 'out_of_stock');
        assert.deepEqual(
          (await events('availability.changed')).map((e) => [
            e.payload.sku,
            e.channel,
            e.payload.available,
          ]),
          [
            ['KET', 'web', 4],
            ['KET', 'web', 0],
          ],
        );
      });

      it("a supplier's default lead time changing queues the items it supplies", async () => {
        await insertItem(t.ctx, { sku: 'KET' });
        await insertItem(t.ctx, { sku: 'MUG' });
        const supplier = await insertSupplier(t.ctx);
        await putSupplierItem(t.ctx, supplier.code, 'KET', { preferred: true, unitCost: 1200 });
        await watchAvailability(t.ctx);
        assert.equal(await queued(), 0);

        const same = await t.request({
          method: 'PATCH',
          url: `/v1/suppliers/${supplier.code}`,
          body: { leadTimeDays: 10 },
        });
        assert.equal(same.statusCode, 200, same.body);
        assert.equal(await queued(), 0, 'the same lead time again changes nothing');

        const slower = await t.request({
          method: 'PATCH',
          url: `/v1/suppliers/${supplier.code}`,
          body: { leadTimeDays: 21 },
        });
        assert.equal(slower.statusCode, 200, slower.body);
        const rows = await t.ctx.db
          .selectFrom('availability_changes as c')
          .innerJoin('items as i', 'i.id', 'c.item_id')
          .select('i.sku')
          .execute();
        assert.deepEqual(
          rows.map((r) => r.sku),
          ['KET'],
        );
      });
    });

    if (target.kind === 'postgres') {
      describe('several processes at once (PostgreSQL)', () => {
        it('two watchers over the same changes: each subscriber notified once, one event per change', async () => {
          const skus = Array.from({ length: 12 }, (_, i) => `K${i}`);
          const ids = new Map<string, number[]>();
          for (const sku of skus) {
            await insertItem(t.ctx, { sku });
            ids.set(sku, await subscribers(sku, 3));
          }
          for (const sku of skus) await putStock(t.ctx, sku, 'W1', 1);
          // Each item queued several times over, so both watchers meet the same items.
          for (const sku of skus) {
            const id = (await itemId(sku))!;
            await t.ctx.db
              .insertInto('availability_changes')
              .values([{ item_id: id }, { item_id: id }])
              .execute();
          }
          const results = await Promise.all([
            watchAvailability(t.ctx, { batch: 4 }),
            watchAvailability(t.ctx, { batch: 4 }),
          ]);
          assert.equal(results[0].events + results[1].events, 24, JSON.stringify(results));
          assert.equal(results[0].notified + results[1].notified, 12, JSON.stringify(results));
          assert.equal(await queued(), 0);
          const changed = await events('availability.changed');
          assert.deepEqual(
            changed.map((e) => `${e.payload.sku}/${e.channel}`).sort(),
            skus.map((s) => `${s}/web`).sort(),
          );
          assert.equal((await events('item.back_in_stock')).length, 12);
          const messages = await backInStockMessages();
          assert.equal(messages.length, 12);
          assert.deepEqual(
            messages.map((m) => m.subscription_id),
            skus.map((s) => ids.get(s)![0]).sort((a, b) => a! - b!),
          );

          // The due waves, taken by two runners at once: each sent once.
          t.clock.set(later(HOUR));
          const waves = await Promise.all([runDueWaves(t.ctx), runDueWaves(t.ctx)]);
          assert.equal(waves[0].notified + waves[1].notified, 12, JSON.stringify(waves));
          const second = await backInStockMessages();
          assert.equal(second.length, 24);
          assert.equal(new Set(second.map((m) => m.subscription_id)).size, 24);
        });
      });
    }

    async function itemId(sku: string) {
      const row = await t.ctx.db
        .selectFrom('items')
        .select('id')
        .where('sku', '=', sku)
        .executeTakeFirst();
      return row?.id;
    }
  });
}
