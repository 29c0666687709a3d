import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DEFAULT_MESSAGING_SETTINGS } from '../../src/kernel/messaging-settings.js';
import { renderOutboxMessage } from '../../src/messaging/message-view.js';
import type * as preview from '../../src/purchasing/line-change-preview.schemas.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { databaseFingerprint } from '../helpers/db-fingerprint.js';
import { insertItem, insertWorld } from '../helpers/factories.js';
import { assertError, orderKit } from '../helpers/orders.js';
import type { Body } from '../helpers/responses.js';

type Preview = Body<typeof preview.LineChangePreview>;

/**
 * POST /v1/purchase-orders/{id}/lines/{line}/preview: what changing a line would do to
 * the customers waiting for it, changing nothing, and exactly what the change then does.
 */
for (const target of testDatabases()) {
  describe(`purchase-order line change preview (${target.kind})`, () => {
    let t: TestApp;
    const kit = orderKit(() => t);
    let po: { id: number; lineIds: number[] };
    let orders: number[];

    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Copper kettle', handlingDays: 1 });
      await insertItem(t.ctx, { sku: 'PAN', name: 'Frying pan', handlingDays: 1 });
      po = await kit.supplierPo('W1', [{ sku: 'KET', ordered: 10, expectedDate: '2026-12-05' }]);
      // Waiting for another item on another order: a change to the kettles must not list it.
      await kit.supplierPo('W1', [{ sku: 'PAN', ordered: 5, expectedDate: '2026-12-05' }]);
      const backorder = (sku: string, quantity: number, customer?: Record<string, string>) =>
        kit.placed({
          channel: 'web',
          ...(customer && { customer }),
          lines: [{ sku, quantity, acceptBackorder: true }],
        });
      orders = [
        (await backorder('KET', 2, { name: 'Ann', email: 'ann@example.test' })).id,
        (
          await backorder('KET', 3, {
            name: 'Bob',
            phone: '+447700900123',
            preferredChannel: 'sms',
          })
        ).id,
        (await backorder('KET', 1)).id,
        (
          await backorder('KET', 1, {
            name: 'Cy',
            email: 'cy@example.test',
            preferredChannel: 'none',
          })
        ).id,
      ];
      await backorder('PAN', 1, { name: 'Dee', email: 'dee@example.test' });
    });
    afterEach(async () => {
      await t.close();
    });

    const url = (id = po.id, line = po.lineIds[0]!) =>
      `/v1/purchase-orders/${id}/lines/${line}/preview`;
    const previewOf = (body: unknown, key: string | null = t.staffKey) =>
      t.request({ method: 'POST', url: url(), body, key });

    it('lists every re-promised customer and their message, and changes nothing', async () => {
      const before = await databaseFingerprint(t.ctx);
      const response = await previewOf({ expectedDate: '2026-12-12', reason: 'Factory late' });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(await databaseFingerprint(t.ctx), before, 'the preview wrote nothing');
      const body = json<Preview>(response);
      assert.equal(body.before.expectedDate, '2026-12-05');
      assert.equal(body.after.expectedDate, '2026-12-12');
      assert.deepEqual(
        body.repromised.map((r) => [
          r.order.id,
          r.customer?.name ?? null,
          r.customer?.contact ?? null,
          r.waiting,
          r.oldDate,
          r.newDate,
          r.direction,
          r.message?.kind ?? null,
          r.message?.transport ?? null,
          r.message?.recipient ?? null,
        ]),
        [
          [
            orders[0],
            'Ann',
            'a••@example.test',
            2,
            '2026-12-06',
            '2026-12-13',
            'later',
            'delay',
            'email',
            'a••@example.test',
          ],
          [
            orders[1],
            'Bob',
            '•••• 0123',
            3,
            '2026-12-06',
            '2026-12-13',
            'later',
            'delay',
            'sms',
            '•••• 0123',
          ],
          [orders[2], null, null, 1, '2026-12-06', '2026-12-13', 'later', null, null, null],
          [
            orders[3],
            'Cy',
            'c••@example.test',
            1,
            '2026-12-06',
            '2026-12-13',
            'later',
            null,
            null,
            null,
          ],
        ],
      );
      const ann = body.repromised[0]!.message!;
      assert.ok(ann.subject.length > 0);
      assert.ok(ann.firstLines.length > 0 && ann.firstLines.length <= 4);
      assert.ok(!JSON.stringify(body).includes('ann@example.test'), 'contacts are masked');
    });

    it('names exactly the lines and messages the change then makes', async () => {
      const body = { expectedDate: '2026-12-12', reason: 'Factory late' };
      const previewed = json<Preview>(await previewOf(body));
      const changed = await t.request({
        method: 'PATCH',
        url: `/v1/purchase-orders/${po.id}/lines/${po.lineIds[0]}`,
        body,
        key: t.staffKey,
      });
      assert.equal(changed.statusCode, 200, changed.body);

      const events = (await kit.events('order_line.repromised')).map((e) => e.payload);
      assert.deepEqual(
        previewed.repromised.map((r) => [r.order.id, r.line, r.oldDate, r.newDate, r.direction]),
        events.map((p) => [p.orderId, p.lineId, p.oldDate, p.newDate, p.direction]),
      );
      const outbox = await t.ctx.db
        .selectFrom('outbox_messages')
        .select(['template', 'transport', 'recipient', 'data', 'order_id'])
        .where('dedupe_key', 'like', 'promise_change:%')
        .orderBy('id')
        .execute();
      const sent = [];
      for (const row of outbox) {
        const rendered = await renderOutboxMessage(
          t.ctx.db,
          row,
          DEFAULT_MESSAGING_SETTINGS,
          t.clock,
        );
        sent.push([row.order_id, row.template, row.transport, rendered.subject]);
      }
      assert.deepEqual(
        previewed.repromised
          .filter((r) => r.message)
          .map((r) => [r.order.id, r.message!.kind, r.message!.transport, r.message!.subject]),
        sent,
      );
      assert.equal(
        json<{ lines: { expectedDate: string }[] }>(changed).lines[0]!.expectedDate,
        previewed.after.expectedDate,
      );
    });

    it('shows good news for an earlier date, and nobody when nothing moves', async () => {
      const earlier = json<Preview>(await previewOf({ expectedDate: '2026-12-01' }));
      assert.deepEqual(
        earlier.repromised.map((r) => [r.newDate, r.direction, r.message?.kind ?? null]),
        [
          ['2026-12-02', 'earlier', 'earlier_date'],
          ['2026-12-02', 'earlier', 'earlier_date'],
          ['2026-12-02', 'earlier', null],
          ['2026-12-02', 'earlier', null],
        ],
      );
      const same = json<Preview>(await previewOf({ expectedDate: '2026-12-05' }));
      assert.deepEqual(same.repromised, []);
      assert.deepEqual(same.after, same.before);
    });

    it('refuses what the change refuses, with the same errors, changing nothing', async () => {
      const before = await databaseFingerprint(t.ctx);
      assertError(await previewOf({}), 400, 'VALIDATION_FAILED');
      assertError(await previewOf({ expectedDate: '2026-02-30' }), 400, 'VALIDATION_FAILED');
      assertError(
        await previewOf({ expectedDate: '2026-12-12', colour: 'red' }),
        400,
        'VALIDATION_FAILED',
      );
      assertError(await previewOf({ quantity: 11 }), 409, 'LINE_LOCKED');
      assertError(
        await t.request({ method: 'POST', url: url(9999), body: { expectedDate: '2026-12-12' } }),
        404,
        'PURCHASE_ORDER_NOT_FOUND',
      );
      assertError(
        await t.request({
          method: 'POST',
          url: url(po.id, 9999),
          body: { expectedDate: '2026-12-12' },
        }),
        404,
        'LINE_NOT_FOUND',
      );
      const anonymous = await previewOf({ expectedDate: '2026-12-12' }, null);
      assert.equal(anonymous.statusCode, 401, anonymous.body);
      assert.equal(await databaseFingerprint(t.ctx), before);
    });
  });
}
