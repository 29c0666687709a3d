import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  DEFAULT_MESSAGING_SETTINGS,
  type MessagingSettings,
} from '../../src/kernel/messaging-settings.js';
import { renderOutboxMessage } from '../../src/messaging/message-view.js';
import { startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { orderKit } from '../helpers/orders.js';

const settings: MessagingSettings = {
  ...DEFAULT_MESSAGING_SETTINGS,
  shopName: 'Kettle & Co',
  shopUrl: 'https://shop.example',
  delayIncentive: 'free delivery with SORRY10',
};

for (const target of testDatabases()) {
  describe(`renderOutboxMessage (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, {
        sku: 'KET-01',
        name: 'Steel kettle',
        category: 'kitchen',
        price: 40,
        tags: ['kettle'],
      });
    });
    afterEach(async () => {
      await t.close();
    });

    const render = (template: string, data: unknown, transport: 'email' | 'sms' = 'email') =>
      renderOutboxMessage(
        t.ctx.db,
        { template, transport, data: JSON.stringify(data) },
        settings,
        t.ctx.clock,
      );

    /** Kettles like KET-01 (same category, a shared tag, price within 30%). */
    async function alternatives(stocked: string[], unstocked: string[] = []) {
      for (const sku of [...stocked, ...unstocked]) {
        await insertItem(t.ctx, {
          sku,
          name: `Kettle ${sku}`,
          category: 'kitchen',
          price: 42,
          tags: ['kettle'],
        });
        if (stocked.includes(sku)) await putStock(t.ctx, sku, 'W1', 5);
      }
    }

    it('names the item from the catalogue and renders the delay with both dates', async () => {
      const out = await render('delay', {
        customerName: 'Ann',
        orderId: 3,
        reference: null,
        channel: 'web',
        sku: 'KET-01',
        quantity: 3,
        oldDate: '2026-12-01',
        newDate: '2026-12-06',
      });
      assert.equal(out.subject, 'Your order #3: Steel kettle is delayed');
      assert.ok(out.text.includes('3 x Steel kettle from your order #3'), out.text);
      assert.ok(out.text.includes('We said: Tuesday 1 December 2026'), out.text);
      assert.ok(out.text.includes('Now expected: Sunday 6 December 2026'), out.text);
      assert.ok(out.text.includes('free delivery with SORRY10'), out.text);
      assert.ok(out.html?.includes('Kettle &amp; Co'), out.html ?? '');
    });

    it('an SMS has the kind as its subject, the SMS body as its text, and no HTML', async () => {
      const out = await render(
        'delay',
        { orderId: 3, sku: 'KET-01', oldDate: '2026-12-01', newDate: '2026-12-06' },
        'sms',
      );
      assert.equal(out.subject, 'Delay notice');
      assert.equal(out.html, null);
      assert.ok(out.text.startsWith('Kettle & Co: sorry, Steel kettle'), out.text);
      assert.ok(out.text.length < 320);
    });

    it('finds the item of a line for a ready message, for pickup on a till channel', async () => {
      await putStock(t.ctx, 'KET-01', 'S1', 2);
      const order = await orderKit(() => t).placed({
        channel: 'pos',
        lines: [{ sku: 'KET-01', quantity: 2 }],
      });
      const line = await t.ctx.db
        .selectFrom('order_lines')
        .select('id')
        .where('order_id', '=', order.id)
        .executeTakeFirstOrThrow();
      const out = await render('ready', {
        customerName: 'Ann',
        orderId: order.id,
        reference: null,
        channel: 'pos',
        channelKind: 'pos',
        lineId: Number(line.id),
        quantity: 2,
      });
      assert.equal(out.subject, `Your order #${order.id}: Steel kettle is ready for pickup`);
    });

    it('offers up to three purchasable alternatives with an unpromised line, and its three links', async () => {
      await alternatives(['KET-02', 'KET-03', 'KET-04', 'KET-05'], ['KET-06']);
      const out = await render('unpromised', {
        customerName: 'Ann',
        orderId: 8,
        reference: 'WEB-8',
        channel: 'web',
        channelKind: 'online',
        lineId: 21,
        sku: 'KET-01',
        quantity: 1,
        oldDate: '2026-12-01',
        newDate: null,
      });
      const offered = [
        ...out.text.matchAll(/- Kettle (KET-\d+): https:\/\/shop\.example\/items\/\1/g),
      ];
      assert.equal(offered.length, 3, out.text);
      assert.ok(!out.text.includes('KET-06'), 'out of stock: not offered');
      for (const action of ['keep-waiting', 'alternatives', 'cancel']) {
        assert.ok(
          new RegExp(
            `https://shop\\.example/orders/WEB-8/lines/21/${action}\\?token=\\d+\\.[\\w-]{22}\\n`,
          ).test(out.text),
          out.text,
        );
      }
    });

    it('tells a subscriber an item was discontinued, with alternatives', async () => {
      await alternatives(['KET-02']);
      const out = await render('discontinued', {
        customerName: null,
        channel: 'web',
        sku: 'KET-01',
        subscriptionId: 4,
      });
      assert.equal(out.subject, 'Steel kettle is no longer available');
      assert.ok(out.text.includes('- Kettle KET-02: https://shop.example/items/KET-02'), out.text);
      assert.ok(!out.text.includes('action='), out.text);
    });

    it('renders without alternatives when the channel is unknown', async () => {
      await alternatives(['KET-02']);
      const out = await render('discontinued', { channel: 'gone', sku: 'KET-01' });
      assert.ok(!out.text.includes('KET-02'), out.text);
    });

    it('uses the stored template over the default', async () => {
      await t.ctx.db
        .insertInto('message_templates')
        .values({
          kind: 'back_in_stock',
          subject: '{{name}} is here',
          text_body: 'Go: {{itemUrl}}',
          html_body: '<a href="{{itemUrl}}">Go</a>',
          sms_body: 'Go {{itemUrl}}',
          updated_by: 'test',
          updated_at: TEST_NOW,
        })
        .execute();
      const out = await render('back_in_stock', { sku: 'KET-01', channel: 'web', token: 't' });
      assert.deepEqual(out, {
        subject: 'Steel kettle is here',
        text: 'Go: https://shop.example/items/KET-01',
        // A URL goes into the href as written: Mustache's &#x2F; entities are not used.
        html: '<a href="https://shop.example/items/KET-01">Go</a>',
      });
    });

    it('throws for what it cannot render: an unknown kind, a webhook, data that is not an object', async () => {
      await assert.rejects(
        render('no_such_kind', {}),
        /No template for message kind "no_such_kind"/,
      );
      await assert.rejects(
        renderOutboxMessage(
          t.ctx.db,
          { template: 'delay', transport: 'webhook', data: '{}' },
          settings,
        ),
        /not webhook/,
      );
      await assert.rejects(render('delay', [1, 2]), /not a JSON object/);
      await assert.rejects(
        renderOutboxMessage(
          t.ctx.db,
          { template: 'delay', transport: 'email', data: '{' },
          settings,
        ),
        SyntaxError,
      );
    });
  });
}
