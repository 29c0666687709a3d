import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { enqueueMessages, type NewMessage } from '../../src/kernel/outbox/outbox.repository.js';
import { dispatchOnce } from '../../src/messaging/dispatcher.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { drain, outbox, testDispatcher } from '../helpers/messaging.js';
import { orderKit } from '../helpers/orders.js';
import {
  type HttpReceiver,
  type SmtpSink,
  startHttpReceiver,
  startSmtpSink,
} from '../helpers/receivers.js';

/**
 * The dispatcher against real receivers: an SMTP server and an HTTP server started here.
 * Retries, dead letters, leases and signatures, on both databases.
 */
for (const target of testDatabases()) {
  describe(`outbox dispatcher (${target.kind})`, () => {
    let t: TestApp;
    let smtp: SmtpSink;
    let http: HttpReceiver;
    const kit = orderKit(() => t);

    beforeEach(async () => {
      // The receivers listen on 127.0.0.1, which only this setting lets webhooks target.
      t = await startTestApp(target, { allowPrivateWebhookTargets: true });
      smtp = await startSmtpSink();
      http = await startHttpReceiver();
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Copper kettle' });
    });
    afterEach(async () => {
      await smtp.close();
      await http.close();
      await t.close();
    });

    const advance = (seconds: number) =>
      t.clock.set(new Date(t.clock.now().getTime() + seconds * 1000));

    const backInStock = (i: number, transport: 'email' | 'sms' = 'email'): NewMessage => ({
      dedupeKey: `test:${i}`,
      audience: 'customer',
      transport,
      template: 'back_in_stock',
      recipient: transport === 'email' ? `c${i}@example.test` : `+4477009000${i}`,
      data: {
        customerName: `C${i}`,
        sku: 'KET',
        channel: 'web',
        available: 2,
        subscriptionId: i,
        token: `tok${i}`,
      },
    });
    const enqueue = (messages: NewMessage[]) =>
      enqueueMessages(t.ctx.db, messages, t.clock.now().toISOString());

    async function registerWebhook(events: string[]) {
      const response = await t.request({
        method: 'POST',
        url: '/v1/webhooks',
        body: { url: `${http.url}/hooks/stock`, events },
      });
      assert.equal(response.statusCode, 201, response.body);
      return json<{ id: number; secret: string }>(response);
    }

    it('a dedupe key is queued once, however often its cause runs', async () => {
      assert.equal(await enqueue([backInStock(1), backInStock(2)]), 2);
      assert.equal(await enqueue([backInStock(1), backInStock(2), backInStock(3)]), 1);
      const dispatcher = testDispatcher({ smtpUrl: smtp.url });
      await drain(t.ctx, dispatcher);
      await drain(t.ctx, dispatcher);
      dispatcher.close();
      assert.deepEqual(smtp.received.map((m) => m.dedupeKey).sort(), [
        'test:1',
        'test:2',
        'test:3',
      ]);
      const first = smtp.received.find((m) => m.dedupeKey === 'test:1')!;
      assert.deepEqual(first.to, ['c1@example.test']);
      assert.match(first.text, /Copper kettle/);
    });

    it('with no transport configured, messages go to the log and stay readable', async () => {
      await enqueue([backInStock(1), backInStock(2, 'sms')]);
      const dispatcher = testDispatcher({});
      await drain(t.ctx, dispatcher);
      const rows = await outbox(t.ctx.db);
      assert.deepEqual(
        rows.map((r) => [r.state, r.delivered_via]),
        [
          ['sent', 'log'],
          ['sent', 'log'],
        ],
      );
      const listed = json<{ items: { id: number; text: string; deliveredVia: string }[] }>(
        await t.request({ method: 'GET', url: '/v1/messages', key: t.staffKey }),
      );
      assert.equal(listed.items.length, 2);
      assert.ok(
        listed.items.every((m) => /Copper kettle/.test(m.text) && m.deliveredVia === 'log'),
      );
    });

    it('SMS goes to the provider as a Twilio-style form with basic auth', async () => {
      await enqueue([backInStock(7, 'sms')]);
      const dispatcher = testDispatcher({
        smsUrl: `${http.url}/2010-04-01/Accounts/AC-test/Messages.json`,
      });
      await drain(t.ctx, dispatcher);
      assert.equal(http.received.length, 1);
      const request = http.received[0]!;
      assert.equal(request.path, '/2010-04-01/Accounts/AC-test/Messages.json');
      assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(request.headers['idempotency-key'], 'test:7');
      const form = new URLSearchParams(request.body);
      assert.equal(form.get('To'), '+44770090007');
      assert.match(form.get('Body')!, /Copper kettle/);
      assert.ok(form.get('Body')!.length <= 320);
      const [row] = await outbox(t.ctx.db);
      assert.equal(row!.delivered_via, 'sms-http');
    });

    it('a webhook delivery is signed per Standard Webhooks, with the event in the envelope', async () => {
      const hook = await registerWebhook(['order.placed']);
      await putStock(t.ctx, 'KET', 'W1', 5);
      const placed = await kit.placed({ channel: 'web', lines: [{ sku: 'KET', quantity: 2 }] });
      const dispatcher = testDispatcher({ allowPrivateWebhookTargets: true });
      await drain(t.ctx, dispatcher);
      dispatcher.close();
      assert.equal(http.received.length, 1);
      const request = http.received[0]!;
      assert.equal(request.path, '/hooks/stock');
      const headers = request.headers as Record<string, string>;
      assert.match(headers['webhook-signature']!, /^v1,[A-Za-z0-9+/]{43}=$/);
      assert.equal(headers['stockroom-signature'], undefined, 'the old header is gone');
      new Webhook(hook.secret).verify(request.body, headers);
      const envelope = JSON.parse(request.body) as {
        id: number;
        type: string;
        channel: string;
        data: { orderId: number; lines: { sku: string; quantity: number }[] };
      };
      assert.equal(envelope.type, 'order.placed');
      assert.equal(request.headers['stockroom-event-type'], 'order.placed');
      assert.equal(request.headers['stockroom-event-id'], String(envelope.id));
      assert.equal(envelope.channel, 'web');
      assert.equal(envelope.data.orderId, placed.id);
      assert.deepEqual(
        envelope.data.lines.map((l) => [l.sku, l.quantity]),
        [['KET', 2]],
      );
    });

    it('a failing receiver is retried with growing delays, then dead-lettered; staff can retry it', async () => {
      await registerWebhook(['order.placed']);
      http.status = 500;
      await putStock(t.ctx, 'KET', 'W1', 5);
      await kit.placed({ channel: 'web', lines: [{ sku: 'KET', quantity: 1 }] });
      // 3 attempts, 10 s base, random 0.5 → no jitter
      const dispatcher = testDispatcher({ allowPrivateWebhookTargets: true });
      const [queued] = await outbox(t.ctx.db);

      assert.deepEqual(await dispatchOnce(t.ctx, dispatcher), {
        claimed: 1,
        delivered: 0,
        retrying: 1,
        dead: 0,
      });
      let [row] = await outbox(t.ctx.db);
      assert.equal(row!.state, 'pending');
      assert.equal(Date.parse(row!.next_attempt_at) - t.clock.now().getTime(), 10_000);
      assert.match(row!.last_error!, /500/);
      assert.equal((await dispatchOnce(t.ctx, dispatcher)).claimed, 0, 'not due yet');

      advance(10);
      await dispatchOnce(t.ctx, dispatcher);
      [row] = await outbox(t.ctx.db);
      assert.equal(Date.parse(row!.next_attempt_at) - t.clock.now().getTime(), 20_000, 'doubled');
      advance(20);
      assert.deepEqual(await dispatchOnce(t.ctx, dispatcher), {
        claimed: 1,
        delivered: 0,
        retrying: 0,
        dead: 1,
      });
      assert.equal(http.received.length, 3);
      advance(3600);
      assert.equal(
        (await dispatchOnce(t.ctx, dispatcher)).claimed,
        0,
        'a dead letter is not retried by itself',
      );

      const dead = json<{
        state: string;
        attempts: number;
        attemptLog: { outcome: string; detail: string }[];
      }>(await t.request({ method: 'GET', url: `/v1/messages/${queued!.id}`, key: t.staffKey }));
      assert.equal(dead.state, 'dead');
      assert.equal(dead.attempts, 3);
      assert.deepEqual(
        dead.attemptLog.map((a) => a.outcome),
        ['failed', 'failed', 'failed'],
      );

      http.status = 204;
      const retried = await t.request({
        method: 'POST',
        url: `/v1/messages/${queued!.id}/retry`,
        key: t.staffKey,
      });
      assert.equal(retried.statusCode, 200, retried.body);
      await drain(t.ctx, dispatcher);
      [row] = await outbox(t.ctx.db);
      assert.equal(row!.state, 'sent');
      assert.equal(row!.attempts, 4);
      assert.equal(http.received.length, 4);
      // Every attempt carried the same delivery key, so a receiver can drop repeats.
      assert.equal(new Set(http.received.map((r) => r.headers['idempotency-key'])).size, 1);
      assert.deepEqual(
        new Set(http.received.map((r) => r.headers['webhook-id'])),
        new Set([`msg_${queued!.id}`]),
      );
      dispatcher.close();
    });

    it('a mail server refusal for good (5xx) is a dead letter at once; a temporary one (4xx) is retried', async () => {
      const dispatcher = testDispatcher({ smtpUrl: smtp.url });
      smtp.mode = { code: 550, message: 'No such mailbox' };
      await enqueue([backInStock(1)]);
      assert.equal((await dispatchOnce(t.ctx, dispatcher)).dead, 1);
      smtp.mode = { code: 451, message: 'Try again later' };
      await enqueue([backInStock(2)]);
      assert.equal((await dispatchOnce(t.ctx, dispatcher)).retrying, 1);
      smtp.mode = 'accept';
      advance(60);
      assert.equal((await dispatchOnce(t.ctx, dispatcher)).delivered, 1);
      dispatcher.close();
      const rows = await outbox(t.ctx.db);
      assert.deepEqual(
        rows.map((r) => [r.dedupe_key, r.state, r.attempts]),
        [
          ['test:1', 'dead', 1],
          ['test:2', 'sent', 2],
        ],
      );
      assert.match(rows[0]!.last_error!, /No such mailbox/);
    });

    it("a claim is a lease: a dead dispatcher's messages are taken over once it has passed", async () => {
      await enqueue([backInStock(1)]);
      const until = new Date(t.clock.now().getTime() + 30_000).toISOString();
      await t.ctx.db
        .updateTable('outbox_messages')
        .set({ locked_by: 'crashed-host:1', locked_until: until })
        .execute();
      const dispatcher = testDispatcher({ smtpUrl: smtp.url, worker: 'survivor' });
      assert.equal((await dispatchOnce(t.ctx, dispatcher)).claimed, 0);
      advance(31);
      assert.equal((await dispatchOnce(t.ctx, dispatcher)).delivered, 1);
      dispatcher.close();
      assert.equal(smtp.received.length, 1);
      const attempts = await t.ctx.db.selectFrom('message_attempts').selectAll().execute();
      assert.deepEqual(
        attempts.map((a) => [a.worker, a.outcome, a.via]),
        [['survivor', 'delivered', 'smtp']],
      );
    });

    it('dispatchers running at once send every message once', async () => {
      const n = 60;
      await enqueue(Array.from({ length: n }, (_, i) => backInStock(i + 1)));
      const a = testDispatcher({ smtpUrl: smtp.url, worker: 'a', config: { batchSize: 7 } });
      const b = testDispatcher({ smtpUrl: smtp.url, worker: 'b', config: { batchSize: 7 } });
      const [ra, rb] = await Promise.all([drain(t.ctx, a), drain(t.ctx, b)]);
      a.close();
      b.close();
      assert.equal(ra.delivered + rb.delivered, n);
      assert.equal(smtp.received.length, n);
      assert.equal(new Set(smtp.received.map((m) => m.dedupeKey)).size, n);
      if (target.kind === 'postgres') {
        assert.ok(
          ra.delivered > 0 && rb.delivered > 0,
          `both worked: ${ra.delivered}/${rb.delivered}`,
        );
      }
    });
  });
}
