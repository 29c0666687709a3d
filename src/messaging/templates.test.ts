import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MESSAGE_KINDS, type MessageKind } from '../domain/customer-messages.js';
import {
  DEFAULT_MESSAGING_SETTINGS,
  type MessagingSettings,
} from '../kernel/messaging-settings.js';
import { signLink, unsubscribeToken } from '../shared/link-tokens.js';
import { DEFAULT_TEMPLATES } from './default-templates.js';
import { buildMessageView } from './message-view.js';
import { SAMPLE_DATA } from './template-samples.js';
import { type MessageTemplate, renderTemplate, templateIssues } from './templates.js';
import { NO_FACTS, type ViewFacts } from './view-facts.js';
import { readableDate } from './view-values.js';

const settings: MessagingSettings = {
  ...DEFAULT_MESSAGING_SETTINGS,
  shopName: 'Kettle & Co',
  shopUrl: 'https://shop.example/',
  delayIncentive: 'free shipping on your next order with SORRY10',
};

function render(
  kind: MessageKind,
  data: Record<string, unknown> = SAMPLE_DATA[kind],
  options: { settings?: MessagingSettings; facts?: ViewFacts; template?: MessageTemplate } = {},
) {
  return renderTemplate(
    options.template ?? DEFAULT_TEMPLATES[kind],
    buildMessageView(kind, data, options.facts ?? NO_FACTS, options.settings ?? settings, {
      linkSecret: SECRET,
      now: NOW,
    }),
  );
}

const SECRET = 'a-test-secret-of-at-least-32-characters';
const NOW = new Date('2026-12-01T10:00:00Z');
/** The token of an order link made at NOW for this reference (30 days, the default). */
const orderToken = (reference: string) =>
  signLink(SECRET, 'order', reference, NOW.getTime() / 1000 + 30 * 86_400);

describe('message templates', () => {
  for (const kind of MESSAGE_KINDS) {
    it(`${kind}: renders every part from its sample data, with no gaps`, () => {
      const out = render(kind);
      for (const [part, value] of Object.entries(out)) {
        assert.ok(value.trim().length > 0, `${kind} ${part} is empty`);
        // An unknown name renders as nothing; these betray one ("order ." or "x  from").
        assert.doesNotMatch(value, / {2}\S| \.|\(\)|: $/m, `${kind} ${part}: ${value}`);
        assert.doesNotMatch(value, /undefined|null|\[object Object\]|{{|}}/, `${kind} ${part}`);
      }
      assert.ok(out.sms.length < 320, `${kind} SMS is ${out.sms.length} characters: ${out.sms}`);
      assert.doesNotMatch(out.subject, /\n/);
      assert.match(out.html, /^<!doctype html>/);
      assert.ok(out.text.includes('Kettle & Co') || out.subject.includes('Kettle & Co'), kind);
    });

    it(`${kind}: the default template parses`, () => {
      assert.deepEqual(templateIssues(DEFAULT_TEMPLATES[kind]), []);
    });
  }

  it('escapes values in HTML only: text, subject and SMS go out as written', () => {
    const out = render('delay', { ...SAMPLE_DATA.delay, name: 'Pots & <Pans>' });
    assert.ok(out.text.includes('2 x Pots & <Pans> from'), out.text);
    assert.ok(out.subject.includes('Pots & <Pans>'), out.subject);
    assert.ok(out.sms.includes('Pots & <Pans>'), out.sms);
    assert.ok(out.html.includes('Pots &amp; &lt;Pans&gt;'), out.html);
    assert.ok(!out.html.includes('<Pans>'), out.html);
    // The shop's name is a value too.
    assert.ok(out.html.includes('Kettle &amp; Co'));
    assert.ok(out.text.includes('Kettle & Co'));
  });

  it('writes dates out in words, in UTC', () => {
    assert.equal(readableDate('2026-12-11'), 'Friday 11 December 2026');
    assert.equal(readableDate('2026-12-11T23:30:00.000Z'), 'Friday 11 December 2026');
    assert.equal(readableDate(null), 'no date yet');
  });

  it('delay: shows the old and the new date and the configured incentive', () => {
    const out = render('delay');
    for (const part of [out.text, out.html]) {
      assert.ok(part.includes('Friday 11 December 2026'), part);
      assert.ok(part.includes('Wednesday 16 December 2026'), part);
      assert.ok(part.includes('free shipping on your next order with SORRY10'), part);
    }
    assert.ok(out.sms.includes('11 Dec 2026') && out.sms.includes('16 Dec 2026'), out.sms);
    assert.ok(out.sms.includes('SORRY10'), out.sms);
    assert.ok(out.text.indexOf('Friday 11') < out.text.indexOf('Wednesday 16'), 'old date first');
  });

  it('delay: with no incentive configured, says nothing about one', () => {
    const out = render('delay', SAMPLE_DATA.delay, {
      settings: { ...settings, delayIncentive: null },
    });
    for (const part of Object.values(out)) {
      assert.doesNotMatch(part, /make up|SORRY10/, part);
    }
    assert.ok(out.text.includes('Wednesday 16 December 2026'));
  });

  it('only delay notices carry the incentive', () => {
    const template = { ...DEFAULT_TEMPLATES.earlier_date, text: '[{{incentive}}]' };
    assert.equal(render('earlier_date', undefined, { template }).text, '[]');
  });

  it('unpromised: explains, and links to keep waiting, alternatives and cancel', () => {
    const out = render('unpromised');
    const base = 'https://shop.example/orders/WEB-1042/lines/7';
    const token = `?token=${orderToken('WEB-1042')}`;
    for (const action of ['keep-waiting', 'alternatives', 'cancel']) {
      const url = `${base}/${action}${token}`;
      assert.ok(out.text.includes(url), `${action}: ${out.text}`);
      // The href is the URL itself: no &amp; or &#x2F; for a mail tool to mangle.
      assert.ok(out.html.includes(`href="${url}"`), out.html);
    }
    assert.doesNotMatch(out.html, /href="[^"]*&/);
    assert.match(out.text, /cannot promise a date/);
    assert.ok(out.text.includes('we had said Friday 11 December 2026'), out.text);
    assert.ok(out.text.includes('- Glass kettle: https://shop.example/items/KET-02'), out.text);
    assert.ok(out.sms.includes(`${base}${token}`), out.sms);
  });

  it('unpromised: offers at most three alternatives, found ones when the data has none', () => {
    const { alternatives: _, ...data } = SAMPLE_DATA.unpromised;
    const found = ['A', 'B', 'C', 'D'].map((s) => ({ sku: `ALT-${s}`, name: `Alt ${s}` }));
    const out = render('unpromised', data, { facts: { ...NO_FACTS, alternatives: found } });
    assert.ok(out.text.includes('Alt C'), out.text);
    assert.ok(!out.text.includes('Alt D'), out.text);
    const none = render('unpromised', data);
    assert.ok(!none.text.includes('Items you could take instead'), none.text);
  });

  it('backorder_confirmed: lists each line with its date, "no date yet" and pre-orders', () => {
    const out = render('backorder_confirmed');
    assert.ok(out.text.includes('- 2 x Kettle: expected by Friday 11 December 2026'), out.text);
    assert.ok(out.text.includes('- 1 x Toaster: no date yet'), out.text);
    assert.ok(
      out.text.includes('- 4 x Winter mug (pre-order): expected by Friday 15 January 2027'),
      out.text,
    );
    assert.match(out.text, /Pre-ordered items are sent as soon as they are released/);
    assert.match(out.html, /1 &times; Toaster<\/strong><br>no date yet/);
  });

  it('names items from the database before the data, and falls back to the SKU', () => {
    const facts = { ...NO_FACTS, itemNames: new Map([['KET-01', 'Steel kettle']]) };
    assert.ok(render('delay', undefined, { facts }).subject.includes('Steel kettle'));
    const { name: _, ...data } = SAMPLE_DATA.delay;
    assert.ok(render('delay', data).subject.includes('KET-01'));
  });

  it('ready: for pickup on a till (pos) channel, to ship otherwise', () => {
    const store = render('ready', { ...SAMPLE_DATA.ready, channelKind: 'pos' });
    assert.ok(store.subject.includes('ready for pickup'), store.subject);
    assert.ok(store.text.includes('collect'), store.text);
    const online = render('ready');
    assert.ok(online.subject.includes('ready to ship'), online.subject);
    // The ready event carries a line id, not a SKU: the name comes from the line.
    const { sku: _s, name: _n, ...data } = SAMPLE_DATA.ready;
    const facts = { ...NO_FACTS, lineItems: new Map([[7, { sku: 'KET-01', name: 'Kettle' }]]) };
    assert.ok(render('ready', data, { facts }).text.includes('2 x Kettle'));
  });

  it('shipped lists the lines', () => {
    const out = render('shipped');
    assert.ok(out.text.includes('- 2 x Kettle\n- 1 x Toaster'), out.text);
  });

  it('discontinued: for an order line offers its choices; for a subscriber, alternatives', () => {
    const order = render('discontinued');
    assert.ok(order.text.includes(`/orders/WEB-1042/lines/7/cancel?token=`), order.text);
    assert.ok(order.text.includes('Glass kettle'), order.text);
    const subscriber = render('discontinued', {
      customerName: null,
      channel: 'web',
      sku: 'KET-01',
      name: 'Kettle',
      subscriptionId: 4,
      alternatives: [{ sku: 'KET-02', name: 'Glass kettle' }],
    });
    assert.ok(subscriber.text.startsWith('Hello,'), subscriber.text);
    assert.ok(!subscriber.text.includes('/lines/'), subscriber.text);
    assert.ok(
      subscriber.text.includes(`/v1/unsubscribe/${unsubscribeToken(SECRET, 4)}`),
      subscriber.text,
    );
    assert.ok(subscriber.sms.includes('Glass kettle'), subscriber.sms);
  });

  it('back_in_stock links to the item and to unsubscribe', () => {
    const out = render('back_in_stock');
    assert.ok(out.text.includes('https://shop.example/items/KET-01'), out.text);
    const unsubscribe = `http://localhost:3000/v1/unsubscribe/${unsubscribeToken(SECRET, 12)}`;
    assert.ok(out.text.includes(unsubscribe), out.text);
    assert.ok(out.html.includes(`href="${unsubscribe}"`), out.html);
    // SMS opts out by reply, in the configured words, not with a long link.
    assert.ok(out.sms.endsWith('Reply STOP to opt out'), out.sms);
    const own = renderTemplate(
      DEFAULT_TEMPLATES.back_in_stock,
      buildMessageView('back_in_stock', SAMPLE_DATA.back_in_stock, NO_FACTS, {
        ...settings,
        smsStopText: 'Text STOP to 60060',
      }),
    );
    assert.ok(own.sms.endsWith('Text STOP to 60060'), own.sms);
  });

  it('staff alerts render the message and its details', () => {
    const out = render('alert_po_overdue');
    assert.ok(out.subject.includes('Purchase order overdue: Purchase order 12'), out.subject);
    assert.ok(out.text.includes('supplier: ACME'), out.text);
    assert.ok(out.text.includes('expectedDate: 2026-11-20'), out.text);
    assert.ok(!out.text.includes('alertId:'), 'the alert id is not a detail');
    const nested = render('alert_low_stock', {
      alertId: 1,
      kind: 'low_stock',
      message: 'Low',
      details: { available: 1, locations: ['W1'] },
    });
    assert.ok(nested.text.includes('available: 1\nlocations: ["W1"]'), nested.text);
  });

  it('templateIssues names each part that does not parse', () => {
    const issues = templateIssues({
      subject: 'ok {{name}}',
      text: '{{#lines}} unclosed',
      html: '<p>{{name</p>',
      sms: 'fine',
    });
    assert.deepEqual(
      issues.map((i) => i.path),
      ['/text', '/html'],
    );
    assert.match(issues[0]!.message, /Unclosed section "lines"/);
  });
});
