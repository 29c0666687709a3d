import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { watchAvailability } from '../../src/availability/availability-watcher.js';
import { DEFAULT_MESSAGING_SETTINGS } from '../../src/kernel/messaging-settings.js';
import { runDueWaves } from '../../src/subscriptions/due-waves.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld } from '../helpers/factories.js';
import { drain, outbox, testDispatcher } from '../helpers/messaging.js';
import { orderKit } from '../helpers/orders.js';
import {
  type HttpReceiver,
  type SmtpSink,
  startHttpReceiver,
  startSmtpSink,
} from '../helpers/receivers.js';
import { insertSupplier } from '../helpers/supply-factories.js';

/**
 * The end-to-end scenario, through the HTTP API, with mail delivered to a real
 * SMTP server and SMS to a local HTTP provider. Background jobs (dispatcher, availability
 * watcher, waves) are run by hand where the server would run them on a timer.
 */
for (const target of testDatabases()) {
  describe(`customer communication end to end (${target.kind})`, () => {
    let t: TestApp;
    let smtp: SmtpSink;
    let sms: HttpReceiver;
    let dispatcher: ReturnType<typeof testDispatcher>;
    const kit = orderKit(() => t);

    before(async () => {
      t = await startTestApp(target);
      t.ctx.messaging = {
        ...DEFAULT_MESSAGING_SETTINGS,
        shopName: 'Kettle & Co',
        shopUrl: 'https://shop.example.test',
        delayIncentive: 'free shipping on your next order with code SORRY10',
        notifyWaveMultiple: 1,
        notifyWaveDelayMinutes: 60,
      };
      smtp = await startSmtpSink();
      sms = await startHttpReceiver();
      dispatcher = testDispatcher({ smtpUrl: smtp.url, smsUrl: `${sms.url}/sms` });
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Copper kettle', handlingDays: 1 });
      await insertItem(t.ctx, { sku: 'MUG', name: 'Stoneware mug', handlingDays: 1 });
      await insertSupplier(t.ctx, 'ACME');
    });
    after(async () => {
      dispatcher.close();
      await smtp.close();
      await sms.close();
      await t.close();
    });

    const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));
    const backorder = (customer: object, quantity: number) =>
      kit.placed({
        channel: 'web',
        customer,
        lines: [{ sku: 'KET', quantity, acceptBackorder: true }],
      });

    let po: { id: number; lineIds: number[] };
    let ann: { id: number };
    let bob: { id: number };

    it('a backorder is confirmed to the customer with its promised date', async () => {
      po = await kit.supplierPo('W1', [{ sku: 'KET', ordered: 5, expectedDate: '2026-12-05' }]);
      ann = await backorder(
        { name: 'Ann', email: 'ann@example.test', preferredChannel: 'email' },
        3,
      );
      bob = await backorder({ name: 'Bob', phone: '+447700900123', preferredChannel: 'sms' }, 2);
      await drain(t.ctx, dispatcher);

      const [confirmation, ...more] = mailsTo('ann@example.test');
      assert.equal(more.length, 0);
      assert.match(confirmation!.text, /Ann/);
      assert.match(confirmation!.text, /Copper kettle/);
      assert.match(
        confirmation!.text,
        /6 December 2026/,
        'promised for the 5th plus a handling day',
      );
      assert.ok(confirmation!.html?.includes('6 December 2026'));

      assert.equal(sms.received.length, 1);
      const form = new URLSearchParams(sms.received[0]!.body);
      assert.equal(form.get('To'), '+447700900123');
      assert.equal(form.get('From'), '+15550001');
      assert.match(form.get('Body')!, /6 Dec 2026/);
      assert.equal(
        sms.received[0]!.headers.authorization,
        `Basic ${Buffer.from('AC-test:token').toString('base64')}`,
      );
    });

    it('a supplier slip of five days sends exactly one delay notice with both dates and the incentive', async () => {
      const slip = () =>
        t.request({
          method: 'PATCH',
          url: `/v1/purchase-orders/${po.id}/lines/${po.lineIds[0]}`,
          body: { expectedDate: '2026-12-10', reason: 'supplier delay' },
          key: t.staffKey,
        });
      assert.equal((await slip()).statusCode, 200);
      // The same change again is not a new cause: nothing more to say.
      assert.equal((await slip()).statusCode, 200);
      await drain(t.ctx, dispatcher);

      const delays = mailsTo('ann@example.test').slice(1);
      assert.equal(delays.length, 1, delays.map((m) => m.subject).join(' | '));
      assert.match(delays[0]!.text, /6 December 2026/);
      assert.match(delays[0]!.text, /11 December 2026/);
      assert.match(delays[0]!.text, /SORRY10/);
      assert.equal(sms.received.length, 2, 'Bob hears by SMS, once');
      assert.match(
        new URLSearchParams(sms.received[1]!.body).get('Body')!,
        // Both dates, in the one-segment wording (src/messaging/sms-segments.ts).
        /now comes 11 Dec 2026, not 6 Dec 2026/,
      );
    });

    it('a part receipt makes the first in the queue ready; the others keep their promise', async () => {
      const receipt = await t.request({
        method: 'POST',
        url: `/v1/purchase-orders/${po.id}/receipts`,
        body: { receiptId: 'GRN-1', lines: [{ line: po.lineIds[0], quantity: 3 }] },
        key: t.staffKey,
      });
      assert.equal(receipt.statusCode, 201, receipt.body);
      await drain(t.ctx, dispatcher);

      const ready = mailsTo('ann@example.test').slice(2);
      assert.equal(ready.length, 1);
      assert.match(ready[0]!.subject + ready[0]!.text, /ready/i);
      assert.equal(sms.received.length, 2, 'Bob: no message, his date stands');
      const bobsOrder = await kit.getOrder(bob.id);
      assert.equal(bobsOrder.lines[0]!.promise?.date, '2026-12-11');
      assert.equal((await kit.getOrder(ann.id)).state, 'ready');

      // Every message went once: the outbox holds each dedupe key once, all sent.
      const rows = await outbox(t.ctx.db);
      assert.ok(rows.every((r) => r.state === 'sent'));
      assert.equal(new Set(rows.map((r) => r.dedupe_key)).size, rows.length);
      assert.deepEqual(
        rows.filter((r) => r.audience === 'customer').map((r) => [r.template, r.recipient]),
        [
          ['backorder_confirmed', 'ann@example.test'],
          ['backorder_confirmed', '+447700900123'],
          ['delay', 'ann@example.test'],
          ['delay', '+447700900123'],
          ['ready', 'ann@example.test'],
        ],
      );
    });

    it('ten subscribers, two units back: the first two hear now, the next two a wave later', async () => {
      await watchAvailability(t.ctx); // the world as it is now: no one to notify
      for (let i = 1; i <= 10; i++) {
        const response = await t.request({
          method: 'POST',
          url: '/v1/subscriptions',
          body: {
            sku: 'MUG',
            channel: 'web',
            name: `Sub ${i}`,
            email: `sub${i}@example.test`,
            preferredChannel: 'email',
          },
          key: await t.channelKey('web'),
        });
        assert.equal(response.statusCode, 201, response.body);
      }
      const adjust = await t.request({
        method: 'POST',
        url: '/v1/stock/adjustments',
        body: { sku: 'MUG', location: 'W1', delta: 2, reason: 'found in the back' },
        key: t.staffKey,
      });
      assert.equal(adjust.statusCode, 201, adjust.body);
      await watchAvailability(t.ctx);
      await drain(t.ctx, dispatcher);
      // Mails of one wave arrive in any order (the dispatcher sends a few at once).
      const notified = () =>
        smtp.received
          .filter((m) => m.to[0]!.startsWith('sub'))
          .map((m) => m.to[0]!)
          .sort((a, b) => Number(/\d+/.exec(a)) - Number(/\d+/.exec(b)));
      assert.deepEqual(notified(), ['sub1@example.test', 'sub2@example.test']);
      const first = smtp.received.find((m) => m.to[0] === 'sub1@example.test')!;
      assert.match(first.text, /Stoneware mug/);
      assert.match(first.text, /\/v1\/unsubscribe\/\d+\.0\.[\w-]{22}\n/);

      // Not yet time for the next wave.
      await runDueWaves(t.ctx);
      await drain(t.ctx, dispatcher);
      assert.equal(notified().length, 2);

      t.clock.set(new Date(t.clock.now().getTime() + 61 * 60_000));
      await runDueWaves(t.ctx);
      await drain(t.ctx, dispatcher);
      assert.deepEqual(notified(), [
        'sub1@example.test',
        'sub2@example.test',
        'sub3@example.test',
        'sub4@example.test',
      ]);

      // The units sell: the wave after that finds nothing on the shelf and sends nothing.
      const sold = await kit.place({ channel: 'web', lines: [{ sku: 'MUG', quantity: 2 }] });
      assert.equal(sold.statusCode, 201, sold.body);
      await watchAvailability(t.ctx);
      t.clock.set(new Date(t.clock.now().getTime() + 61 * 60_000));
      await runDueWaves(t.ctx);
      await drain(t.ctx, dispatcher);
      assert.equal(notified().length, 4);
      const waiting = json<{ items: unknown[] }>(
        await t.request({
          method: 'GET',
          url: '/v1/subscriptions?sku=MUG&state=waiting',
          key: t.staffKey,
        }),
      );
      assert.equal(waiting.items.length, 6);
    });
  });
}
