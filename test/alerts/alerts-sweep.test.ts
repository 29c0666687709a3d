import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { sweepAlerts } from '../../src/alerts/alerts-sweep.js';
import { DEFAULT_MESSAGING_SETTINGS } from '../../src/kernel/messaging-settings.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld } from '../helpers/factories.js';
import { type OrderDoc, orderKit } from '../helpers/orders.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

const STAFF = ['ops@shop.test', 'buyer@shop.test'];

/**
 * The periodic alert sweep: shortage ahead from backorders nothing brings, purchase
 * orders overdue, each opened once, emailed to staff once, and resolved when the cause
 * goes away.
 */
for (const target of testDatabases()) {
  describe(`alert sweep (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      t.ctx.messaging = { ...DEFAULT_MESSAGING_SETTINGS, staffEmails: STAFF };
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Kettle', handlingDays: 1 });
    });
    afterEach(async () => {
      await t.close();
    });

    const kit = orderKit(() => t);
    const backorder = (sku: string, quantity: number): Promise<OrderDoc> =>
      kit.placed({
        channel: 'web',
        customer: { name: 'Ann', email: 'ann@example.com', preferredChannel: 'email' },
        lines: [{ sku, quantity, acceptBackorder: true }],
      });

    async function alerts() {
      const rows = await t.ctx.db.selectFrom('staff_alerts').selectAll().orderBy('id').execute();
      return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
    }
    async function staffEmails() {
      return t.ctx.db
        .selectFrom('outbox_messages')
        .select(['recipient', 'template', 'alert_id', 'audience', 'transport', 'data'])
        .where('audience', '=', 'staff')
        .orderBy('id')
        .execute();
    }
    async function raised() {
      return (await kit.events('alert.raised')).map((e) => e.payload);
    }
    const cancelPo = async (id: number) => {
      const response = await t.request({
        method: 'POST',
        url: `/v1/purchase-orders/${id}/cancel`,
        body: { reason: 'supplier gone' },
      });
      assert.equal(response.statusCode, 200, response.body);
    };
    const cancelOrder = async (id: number) => {
      const response = await kit.cancel(id);
      assert.equal(response.statusCode, 200, response.body);
    };

    describe('shortage ahead', () => {
      it('opens once for unpromised units, emails each staff address once, and resolves when none wait', async () => {
        const po = await kit.supplierPo('W1', [
          { sku: 'KET', ordered: 3, expectedDate: '2026-12-05' },
        ]);
        const order = await backorder('KET', 3);
        assert.deepEqual(await sweepAlerts(t.ctx), { opened: 0, resolved: 0 });
        assert.deepEqual(await alerts(), []);

        await cancelPo(po.id);
        assert.deepEqual(await sweepAlerts(t.ctx), { opened: 1, resolved: 0 });
        const [alert, ...others] = await alerts();
        assert.deepEqual(others, []);
        const item = await t.ctx.db
          .selectFrom('items')
          .select('id')
          .where('sku', '=', 'KET')
          .executeTakeFirstOrThrow();
        assert.deepEqual(
          {
            kind: alert!.kind,
            subject: alert!.subject,
            item_id: alert!.item_id,
            channel_id: alert!.channel_id,
            purchase_order_id: alert!.purchase_order_id,
            open_key: alert!.open_key,
            details: alert!.details,
            created_at: alert!.created_at,
            resolved_at: alert!.resolved_at,
          },
          {
            kind: 'shortage_ahead',
            subject: 'item:KET',
            item_id: item.id,
            channel_id: null,
            purchase_order_id: null,
            open_key: 'shortage_ahead:item:KET',
            details: { sku: 'KET', unpromisedUnits: 3, estimatedUnits: 0, waitingLines: 1 },
            created_at: '2026-11-26T10:00:00.000Z',
            resolved_at: null,
          },
        );
        assert.match(alert!.message, /^KET: 3 backordered units have no purchase order/);

        const emails = await staffEmails();
        assert.deepEqual(
          emails.map((e) => [e.recipient, e.template, Number(e.alert_id), e.transport]),
          STAFF.map((to) => [to, 'alert_shortage_ahead', Number(alert!.id), 'email']),
        );
        assert.deepEqual(JSON.parse(emails[0]!.data), {
          alertId: Number(alert!.id),
          kind: 'shortage_ahead',
          subject: 'item:KET',
          message: alert!.message,
          sku: 'KET',
          unpromisedUnits: 3,
          estimatedUnits: 0,
          waitingLines: 1,
        });
        assert.deepEqual(await raised(), [
          {
            alertId: Number(alert!.id),
            kind: 'shortage_ahead',
            subject: 'item:KET',
            message: alert!.message,
            details: alert!.details,
          },
        ]);

        // Again: the alert is open, nothing new is opened, emailed or recorded.
        const eventsBefore = await kit.count('domain_events');
        assert.deepEqual(await sweepAlerts(t.ctx), { opened: 0, resolved: 0 });
        assert.equal((await alerts()).length, 1);
        assert.equal((await staffEmails()).length, STAFF.length);
        assert.equal(await kit.count('domain_events'), eventsBefore);

        t.clock.set('2026-11-27T10:00:00.000Z');
        await cancelOrder(order.id);
        assert.deepEqual(await sweepAlerts(t.ctx), { opened: 0, resolved: 1 });
        const [resolved] = await alerts();
        assert.deepEqual(
          [resolved!.resolved_at, resolved!.open_key],
          ['2026-11-27T10:00:00.000Z', null],
        );
        assert.deepEqual(await sweepAlerts(t.ctx), { opened: 0, resolved: 0 });
        assert.equal((await staffEmails()).length, STAFF.length);
      });

      it('counts units promised on the supplier lead time alone, per item, and opens again when it returns', async () => {
        await insertItem(t.ctx, { sku: 'LTK', backorderPolicy: 'lead_time' });
        await insertSupplier(t.ctx, 'ACME');
        await kit.supplies('ACME', 'LTK', 30);
        const first = await backorder('LTK', 2);
        const second = await backorder('LTK', 1);
        assert.equal(first.lines[0]!.promise?.restsOn[0]?.kind, 'lead_time');

        assert.deepEqual(await sweepAlerts(t.ctx), { opened: 1, resolved: 0 });
        const [alert] = await alerts();
        assert.equal(alert!.subject, 'item:LTK');
        assert.deepEqual(alert!.details, {
          sku: 'LTK',
          unpromisedUnits: 0,
          estimatedUnits: 3,
          waitingLines: 2,
        });

        await cancelOrder(first.id);
        await cancelOrder(second.id);
        assert.deepEqual(await sweepAlerts(t.ctx), { opened: 0, resolved: 1 });

        // The same cause coming back is a new alert, heard about anew.
        await backorder('LTK', 4);
        assert.deepEqual(await sweepAlerts(t.ctx), { opened: 1, resolved: 0 });
        assert.deepEqual(
          (await alerts()).map((a) => [
            a.subject,
            a.resolved_at !== null,
            a.details.estimatedUnits,
          ]),
          [
            ['item:LTK', true, 3],
            ['item:LTK', false, 4],
          ],
        );
        assert.equal((await staffEmails()).length, 2 * STAFF.length);
      });

      it('ignores backorders a purchase order or transfer brings', async () => {
        await kit.supplierPo('W1', [{ sku: 'KET', ordered: 10, expectedDate: '2026-12-05' }]);
        await backorder('KET', 4);
        assert.deepEqual(await sweepAlerts(t.ctx), { opened: 0, resolved: 0 });
        assert.deepEqual(await staffEmails(), []);
      });
    });

    describe('purchase order overdue', () => {
      it('opens when an open line passes its expected date, and resolves when its date moves', async () => {
        const po = await kit.supplierPo('W1', [
          { sku: 'KET', ordered: 5, expectedDate: '2026-11-30' },
        ]);
        const supplier = await t.ctx.db
          .selectFrom('suppliers')
          .innerJoin('purchase_orders', 'purchase_orders.supplier_id', 'suppliers.id')
          .select('suppliers.code')
          .where('purchase_orders.id', '=', po.id)
          .executeTakeFirstOrThrow();
        assert.deepEqual(await sweepAlerts(t.ctx), { opened: 0, resolved: 0 });
        // Due on the 30th: overdue from the 1st, not on the day itself.
        t.clock.set('2026-11-30T23:59:00.000Z');
        assert.deepEqual(await sweepAlerts(t.ctx), { opened: 0, resolved: 0 });

        t.clock.set('2026-12-01T08:00:00.000Z');
        assert.deepEqual(await sweepAlerts(t.ctx), { opened: 1, resolved: 0 });
        const [alert] = await alerts();
        assert.deepEqual(
          [alert!.kind, alert!.subject, Number(alert!.purchase_order_id), alert!.item_id],
          ['po_overdue', `purchase_order:${po.id}`, po.id, null],
        );
        assert.deepEqual(alert!.details, {
          purchaseOrderId: po.id,
          supplier: supplier.code,
          lines: [{ sku: 'KET', expectedDate: '2026-11-30', open: 5 }],
        });
        assert.equal(
          alert!.message,
          `Purchase order ${po.id} from ${supplier.code} is overdue: 5 units on 1 line expected since 2026-11-30 have not arrived`,
        );
        assert.deepEqual(
          (await staffEmails()).map((e) => [e.recipient, e.template]),
          STAFF.map((to) => [to, 'alert_po_overdue']),
        );
        assert.deepEqual(await sweepAlerts(t.ctx), { opened: 0, resolved: 0 });

        const moved = await t.request({
          method: 'PATCH',
          url: `/v1/purchase-orders/${po.id}/lines/${po.lineIds[0]}`,
          body: { expectedDate: '2026-12-10', reason: 'ship delayed' },
        });
        assert.equal(moved.statusCode, 200, moved.body);
        assert.deepEqual(await sweepAlerts(t.ctx), { opened: 0, resolved: 1 });
        assert.equal((await alerts())[0]!.resolved_at, '2026-12-01T08:00:00.000Z');
      });

      it('resolves when the rest arrives or the order is cancelled; drafts and closed lines never alert', async () => {
        const partly = await kit.supplierPo('W1', [
          { sku: 'KET', ordered: 5, expectedDate: '2026-11-20', received: 2 },
          { sku: 'KET', ordered: 3, expectedDate: '2026-11-20', received: 3 },
          { sku: 'KET', ordered: 4, expectedDate: '2026-11-24', cancelled: 1 },
        ]);
        const cancelled = await kit.supplierPo('W1', [
          { sku: 'KET', ordered: 1, expectedDate: '2026-11-25' },
        ]);
        const supplier = await insertSupplier(t.ctx);
        for (const state of ['draft', 'received', 'cancelled'] as const) {
          await insertPurchaseOrder(t.ctx, {
            supplier,
            location: 'W1',
            state,
            lines: [{ sku: 'KET', ordered: 2, expectedDate: '2026-11-01' }],
          });
        }
        await t.ctx.db
          .updateTable('purchase_orders')
          .set({ state: 'partially_received' })
          .where('id', '=', partly.id)
          .execute();

        assert.deepEqual(await sweepAlerts(t.ctx), { opened: 2, resolved: 0 });
        const opened = await alerts();
        assert.deepEqual(
          opened.map((a) => a.subject),
          [`purchase_order:${partly.id}`, `purchase_order:${cancelled.id}`],
        );
        assert.deepEqual(opened[0]!.details.lines, [
          { sku: 'KET', expectedDate: '2026-11-20', open: 3 },
          { sku: 'KET', expectedDate: '2026-11-24', open: 3 },
        ]);
        assert.match(opened[0]!.message, /6 units on 2 lines expected since 2026-11-20/);

        const receipt = await t.request({
          method: 'POST',
          url: `/v1/purchase-orders/${partly.id}/receipts`,
          body: {
            receiptId: 'GRN-1',
            lines: [
              { line: partly.lineIds[0], quantity: 3 },
              { line: partly.lineIds[2], quantity: 3 },
            ],
          },
          key: t.staffKey,
        });
        assert.equal(receipt.statusCode, 201, receipt.body);
        await cancelPo(cancelled.id);
        assert.deepEqual(await sweepAlerts(t.ctx), { opened: 0, resolved: 2 });
        assert.ok((await alerts()).every((a) => a.resolved_at !== null && a.open_key === null));
      });
    });

    it('two sweeps at once open each alert once', async () => {
      await kit.supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-11-20' }]);
      await kit.supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-11-21' }]);
      await insertItem(t.ctx, { sku: 'LTK', backorderPolicy: 'lead_time' });
      await insertSupplier(t.ctx, 'ACME');
      await kit.supplies('ACME', 'LTK', 30);
      await backorder('LTK', 2);

      const results = await Promise.all([sweepAlerts(t.ctx), sweepAlerts(t.ctx)]);
      assert.equal(
        results.reduce((sum, r) => sum + r.opened, 0),
        3,
        JSON.stringify(results),
      );
      assert.equal((await alerts()).length, 3);
      assert.equal((await staffEmails()).length, 3 * STAFF.length);
      assert.equal((await raised()).length, 3);
      assert.deepEqual(await sweepAlerts(t.ctx), { opened: 0, resolved: 0 });
    });

    it('opens alerts without emails when no staff address is configured', async () => {
      t.ctx.messaging = undefined;
      await kit.supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-11-20' }]);
      assert.deepEqual(await sweepAlerts(t.ctx), { opened: 1, resolved: 0 });
      assert.deepEqual(await staffEmails(), []);
      assert.equal((await raised()).length, 1);
    });
  });
}
