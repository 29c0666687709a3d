import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { enqueueMessages, type NewMessage } from '../../src/kernel/outbox/outbox.repository.js';
import { dispatchOnce } from '../../src/messaging/dispatcher.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { drain, outbox, testDispatcher } from '../helpers/messaging.js';
import { orderKit } from '../helpers/orders.js';
import { type SmtpSink, startSmtpSink } from '../helpers/receivers.js';

/**
 * Messages fit for real customers (issue 15), end to end on both databases: the order a
 * customer reads their messages in, one-click unsubscribe through a real SMTP server,
 * and messages in the customer's own language with signed links.
 */
for (const target of testDatabases()) {
  describe(`customer messages fit to send (${target.kind})`, () => {
    let t: TestApp;
    let smtp: SmtpSink;
    const kit = orderKit(() => t);

    beforeEach(async () => {
      t = await startTestApp(target);
      smtp = await startSmtpSink();
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Copper kettle', price: 40 });
      await insertItem(t.ctx, { sku: 'MAT', name: 'Deluxe bath mat', price: 25 });
    });
    afterEach(async () => {
      await smtp.close();
      await t.close();
    });

    const advance = (seconds: number) =>
      t.clock.set(new Date(t.clock.now().getTime() + seconds * 1000));

    const enqueue = (messages: NewMessage[]) =>
      enqueueMessages(t.ctx.db, messages, t.clock.now().toISOString());

    /** A "ready" message for an order, as its event would queue it. */
    const ready = (key: string, orderId: number, reference: string): NewMessage => ({
      dedupeKey: key,
      audience: 'customer',
      transport: 'email',
      template: 'ready',
      recipient: `${key}@example.test`,
      orderId,
      data: { customerName: 'Ann Example', orderId, reference, sku: 'KET', quantity: 1 },
    });

    async function twoOrders() {
      await putStock(t.ctx, 'KET', 'W1', 10);
      const first = await kit.placed({
        channel: 'web',
        reference: 'WEB-1',
        lines: [{ sku: 'KET', quantity: 1 }],
      });
      const second = await kit.placed({
        channel: 'web',
        reference: 'WEB-2',
        lines: [{ sku: 'KET', quantity: 1 }],
      });
      return { first: first.id, second: second.id };
    }

    it('a later message for an order waits while an earlier one is retrying; other orders do not', async () => {
      const { first, second } = await twoOrders();
      await enqueue([ready('a-earlier', first, 'WEB-1')]);
      await enqueue([ready('b-later', first, 'WEB-1'), ready('c-other', second, 'WEB-2')]);
      const dispatcher = testDispatcher({ smtpUrl: smtp.url });

      smtp.mode = { code: 451, message: 'try again later' };
      const pass1 = await dispatchOnce(t.ctx, dispatcher);
      // The earlier message and the other order's are tried; the later one is held back.
      assert.deepEqual(pass1, { claimed: 2, delivered: 0, retrying: 2, dead: 0 });
      const held = (await outbox(t.ctx.db)).find((r) => r.dedupe_key === 'b-later')!;
      assert.equal(held.attempts, 0);
      assert.equal(held.state, 'pending');
      // Due, unlocked and first in line by its own date: still not claimed.
      assert.equal((await dispatchOnce(t.ctx, dispatcher)).claimed, 0);

      smtp.mode = 'accept';
      advance(11);
      await drain(t.ctx, dispatcher);
      dispatcher.close();
      const order = smtp.received.map((m) => m.dedupeKey);
      assert.deepEqual(order.slice().sort(), ['a-earlier', 'b-later', 'c-other']);
      assert.ok(order.indexOf('a-earlier') < order.indexOf('b-later'), order.join(', '));
    });

    it('an earlier message that ends as a dead letter no longer holds the later ones', async () => {
      const { first } = await twoOrders();
      await enqueue([ready('a-earlier', first, 'WEB-1'), ready('b-later', first, 'WEB-1')]);
      const dispatcher = testDispatcher({ smtpUrl: smtp.url });
      smtp.mode = { code: 550, message: 'no such mailbox' };
      assert.deepEqual(await dispatchOnce(t.ctx, dispatcher), {
        claimed: 1,
        delivered: 0,
        retrying: 0,
        dead: 1,
      });
      smtp.mode = 'accept';
      assert.equal((await drain(t.ctx, dispatcher)).delivered, 1);
      dispatcher.close();
      assert.deepEqual(
        smtp.received.map((m) => m.dedupeKey),
        ['b-later'],
      );
    });

    /** Bo waits for the bath mat; the wave's message is queued as send-wave.ts queues it. */
    async function notifyMeMail() {
      const response = await t.request({
        method: 'POST',
        url: '/v1/subscriptions',
        body: {
          sku: 'MAT',
          channel: 'web',
          name: 'Bo Example',
          email: 'bo@example.com',
          preferredChannel: 'email',
        },
      });
      assert.equal(response.statusCode, 201, response.body);
      const subscription = json<{ id: number }>(response);
      await enqueue([
        {
          dedupeKey: `subscription:${subscription.id}:back_in_stock`,
          audience: 'customer',
          transport: 'email',
          template: 'back_in_stock',
          recipient: 'bo@example.com',
          subscriptionId: subscription.id,
          data: {
            customerName: 'Bo Example',
            sku: 'MAT',
            channel: 'web',
            available: 1,
            subscriptionId: subscription.id,
          },
        },
      ]);
      const dispatcher = testDispatcher({ smtpUrl: smtp.url });
      await drain(t.ctx, dispatcher);
      dispatcher.close();
      assert.equal(smtp.received.length, 1);
      return { subscription, mail: smtp.received[0]! };
    }

    const stateOf = async (id: number) =>
      json<{ state: string }>(await t.request({ method: 'GET', url: `/v1/subscriptions/${id}` }))
        .state;

    it('"notify me" mail carries List-Unsubscribe one-click headers; GET asks, POST unsubscribes', async () => {
      const { subscription, mail } = await notifyMeMail();
      const headers = mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
      const link = /^List-Unsubscribe: <([^>]+)>$/im.exec(headers)?.[1];
      assert.ok(link, headers);
      assert.match(headers, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/im);
      const url = new URL(link);
      assert.equal(url.origin, 'http://localhost:3000');
      assert.match(url.pathname, /^\/v1\/unsubscribe\/\d+\.0\.[A-Za-z0-9_-]{22}$/);
      // The same link is in the message itself, as written (no &amp; or &#x2F;).
      assert.ok(mail.html!.includes(`href="${link}"`), mail.html!);
      assert.ok(mail.text.includes(link), mail.text);

      const page = await t.request({ method: 'GET', url: url.pathname, key: null });
      assert.equal(page.statusCode, 200, page.body);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(page.body, /<form method="post"/);
      assert.match(page.body, /Deluxe bath mat/);
      assert.equal(await stateOf(subscription.id), 'waiting', 'a GET never unsubscribes');

      const oneClick = () =>
        t.request({
          method: 'POST',
          url: url.pathname,
          key: null,
          rawBody: 'List-Unsubscribe=One-Click',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
      const done = await oneClick();
      assert.equal(done.statusCode, 200, done.body);
      assert.match(done.body, /You are unsubscribed/);
      assert.equal(await stateOf(subscription.id), 'unsubscribed');
      assert.equal((await oneClick()).statusCode, 200, 'a second click is fine');
    });

    it('unsubscribe links this server did not sign are refused and change nothing', async () => {
      const { subscription, mail } = await notifyMeMail();
      const headers = mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
      const path = new URL(/^List-Unsubscribe: <([^>]+)>$/im.exec(headers)![1]!).pathname;
      const token = path.split('/').pop()!;
      const [id, expiry, mac] = token.split('.') as [string, string, string];
      const flipped = `${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
      const forged = [
        `${id}.${expiry}.${flipped}`,
        `${Number(id) + 1}.${expiry}.${mac}`,
        `${id}.1.${mac}`,
      ];
      for (const bad of forged) {
        for (const method of ['GET', 'POST'] as const) {
          const response = await t.request({ method, url: `/v1/unsubscribe/${bad}`, key: null });
          assert.equal(response.statusCode, 404, `${method} ${bad}: ${response.body}`);
          assert.equal(
            json<{ error: { code: string } }>(response).error.code,
            'UNSUBSCRIBE_LINK_INVALID',
          );
        }
      }
      await fc.assert(
        fc.asyncProperty(fc.string({ minLength: 1, maxLength: 60 }), async (junk) => {
          const response = await t.request({
            method: 'POST',
            url: `/v1/unsubscribe/${encodeURIComponent(junk)}`,
            key: null,
          });
          assert.ok(
            response.statusCode >= 400 && response.statusCode < 500,
            `${junk}: ${response.statusCode} ${response.body}`,
          );
        }),
        { numRuns: 40 },
      );
      assert.equal(await stateOf(subscription.id), 'waiting');
    });

    it('a German customer gets German words, dates and prices, greeted by first name', async () => {
      await putStock(t.ctx, 'KET', 'S1', 3);
      const placed = await kit.placed({
        channel: 'web',
        reference: 'WEB-77',
        customer: { name: 'Grete Muster', email: 'grete@example.de', language: 'de' },
        lines: [{ sku: 'KET', quantity: 1 }],
      });
      const customer = json<{ language: string }>(
        await t.request({ method: 'GET', url: `/v1/customers/${placed.customer!.id}` }),
      );
      assert.equal(customer.language, 'de');
      const message: NewMessage = {
        ...ready('grete', placed.id, 'WEB-77'),
        recipient: 'grete@example.de',
        customerId: placed.customer!.id,
        data: {
          customerName: 'Grete Muster',
          orderId: placed.id,
          reference: 'WEB-77',
          sku: 'KET',
          quantity: 1,
        },
      };
      await enqueue([message]);
      const dispatcher = testDispatcher({ smtpUrl: smtp.url });
      await drain(t.ctx, dispatcher);
      dispatcher.close();
      const mail = smtp.received[0]!;
      assert.equal(mail.subject, 'Ihre Bestellung WEB-77: Copper kettle ist versandbereit');
      assert.ok(mail.text.startsWith('Hallo Grete,'), mail.text);
      assert.match(mail.html!, /<html lang="de">/);
      assert.match(mail.html!, /40,00\s£/);
      // The link names the shop's reference, never the internal id, and is signed.
      assert.match(mail.text, /\/orders\/WEB-77\?token=\d+\.[A-Za-z0-9_-]{22}\n/);
      assert.ok(!mail.text.includes(`/orders/${placed.id}`), mail.text);

      const patched = await t.request({
        method: 'PATCH',
        url: `/v1/customers/${placed.customer!.id}`,
        body: { language: 'english' },
      });
      assert.equal(patched.statusCode, 400, patched.body);
      const after = json<{ language: string }>(
        await t.request({ method: 'GET', url: `/v1/customers/${placed.customer!.id}` }),
      );
      assert.equal(after.language, 'de', 'a refused change changes nothing');
    });

    it('a language with no templates falls back to the shop language', async () => {
      await putStock(t.ctx, 'KET', 'W1', 3);
      const created = await t.request({
        method: 'POST',
        url: '/v1/customers',
        body: { name: 'Ines', email: 'ines@example.it', preferredChannel: 'email', language: 'it' },
      });
      assert.equal(created.statusCode, 201, created.body);
      const customer = json<{ id: number; language: string }>(created);
      assert.equal(customer.language, 'it');
      const placed = await kit.placed({
        channel: 'web',
        reference: 'WEB-78',
        customerId: customer.id,
        lines: [{ sku: 'KET', quantity: 1 }],
      });
      await enqueue([{ ...ready('ines', placed.id, 'WEB-78'), customerId: customer.id }]);
      const dispatcher = testDispatcher({ smtpUrl: smtp.url });
      await drain(t.ctx, dispatcher);
      dispatcher.close();
      assert.ok(smtp.received[0]!.text.startsWith('Hello Ann,'), smtp.received[0]!.text);
    });

    it('shows when an order was sent in the time zone of the location serving it', async () => {
      const nyc = await t.request({
        method: 'PATCH',
        url: '/v1/locations/W1',
        body: { timeZone: 'America/New_York' },
      });
      assert.equal(nyc.statusCode, 200, nyc.body);
      await putStock(t.ctx, 'KET', 'W1', 5);
      const placed = await kit.placed({
        channel: 'web',
        reference: 'WEB-90',
        lines: [{ sku: 'KET', quantity: 1 }],
      });
      // 23:30 in London on the 10th: 18:30 on the 10th in New York, the 11th in Berlin.
      t.clock.set(new Date('2026-12-10T23:30:00.000Z'));
      await enqueue([
        {
          dedupeKey: 'shipped-ny',
          audience: 'customer',
          transport: 'email',
          template: 'shipped',
          recipient: 'ann@example.test',
          orderId: placed.id,
          data: {
            customerName: 'Ann Example',
            orderId: placed.id,
            reference: 'WEB-90',
            lines: [{ sku: 'KET', quantity: 1 }],
          },
        },
      ]);
      const dispatcher = testDispatcher({ smtpUrl: smtp.url });
      await drain(t.ctx, dispatcher);
      dispatcher.close();
      const mail = smtp.received[0]!;
      assert.match(mail.text, /on its way \(sent Thursday 10 December 2026 at 18:30\)/, mail.text);
    });
  });
}
