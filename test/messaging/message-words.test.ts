import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_MESSAGING_SETTINGS } from '../../src/kernel/messaging-settings.js';
import { DEFAULT_TEMPLATES } from '../../src/messaging/default-templates.js';
import { buildMessageView, fitSms } from '../../src/messaging/message-view.js';
import { plainSms, smsSize } from '../../src/messaging/sms-segments.js';
import { SAMPLE_DATA } from '../../src/messaging/template-samples.js';
import { renderTemplate } from '../../src/messaging/templates.js';
import { NO_FACTS } from '../../src/messaging/view-facts.js';
import { firstName, readableDate, timeOfDay } from '../../src/messaging/view-values.js';
import { signLink, verifyLink } from '../../src/shared/link-tokens.js';

/** The words of customer messages: names, dates, SMS length and signed links. Pure. */
describe('customer message words', () => {
  it('greets by first name, sensibly for one word, "Last, First" or no name', () => {
    assert.equal(firstName('Ann Example'), 'Ann');
    assert.equal(firstName('  Cher '), 'Cher');
    assert.equal(firstName('Example, Ann'), 'Ann');
    assert.equal(firstName(''), null);
    assert.equal(firstName('   '), null);
    assert.equal(firstName(null), null);
    const view = (customerName: unknown) =>
      renderTemplate(
        DEFAULT_TEMPLATES.ready,
        buildMessageView(
          'ready',
          { ...SAMPLE_DATA.ready, customerName },
          NO_FACTS,
          DEFAULT_MESSAGING_SETTINGS,
        ),
      ).text;
    assert.ok(view('Ann Example').startsWith('Hello Ann,\n'));
    assert.ok(view(null).startsWith('Hello,\n'));
  });

  it('shows a calendar day as it is, and an instant as the day and time where the order is', () => {
    // A promise date is the same day everywhere.
    assert.equal(readableDate('2026-12-11', 'en', 'Pacific/Auckland'), 'Friday 11 December 2026');
    // 23:30 in London on the 10th is already the 11th in Berlin, still the 10th in New York.
    const instant = '2026-12-10T23:30:00.000Z';
    assert.equal(readableDate(instant, 'en', 'Europe/Berlin'), 'Friday 11 December 2026');
    assert.equal(readableDate(instant, 'en', 'America/New_York'), 'Thursday 10 December 2026');
    assert.equal(timeOfDay(instant, 'en', 'America/New_York'), '18:30');
    assert.equal(readableDate('2026-12-11', 'de'), 'Freitag, 11. Dezember 2026');
    const shipped = (timeZone: string) =>
      renderTemplate(
        DEFAULT_TEMPLATES.shipped,
        buildMessageView('shipped', SAMPLE_DATA.shipped, NO_FACTS, DEFAULT_MESSAGING_SETTINGS, {
          timeZone,
          createdAt: instant,
        }),
      ).text;
    assert.match(shipped('Europe/Berlin'), /sent Friday 11 December 2026 at 00:30/);
    assert.match(shipped('America/New_York'), /sent Thursday 10 December 2026 at 18:30/);
  });

  it('counts SMS segments: GSM-7 160/153, extension characters twice, UCS-2 70/67', () => {
    assert.deepEqual(smsSize('a'.repeat(160)), { encoding: 'gsm7', units: 160, segments: 1 });
    assert.deepEqual(smsSize('a'.repeat(161)), { encoding: 'gsm7', units: 161, segments: 2 });
    assert.deepEqual(smsSize('a'.repeat(306)), { encoding: 'gsm7', units: 306, segments: 2 });
    assert.deepEqual(smsSize('a'.repeat(307)), { encoding: 'gsm7', units: 307, segments: 3 });
    assert.deepEqual(smsSize(`${'a'.repeat(159)}€`), { encoding: 'gsm7', units: 161, segments: 2 });
    assert.deepEqual(smsSize('£äöüé'), { encoding: 'gsm7', units: 5, segments: 1 });
    assert.deepEqual(smsSize('ç'.repeat(70)), { encoding: 'ucs2', units: 70, segments: 1 });
    assert.deepEqual(smsSize('ç'.repeat(71)), { encoding: 'ucs2', units: 71, segments: 2 });
    assert.deepEqual(smsSize('😀'.repeat(34)), { encoding: 'ucs2', units: 68, segments: 1 });
    assert.equal(smsSize(plainSms('It’s “here” – now…')).encoding, 'gsm7');
  });

  it('fits an SMS into one segment by shortening item names, and leaves names whole when nothing fits', () => {
    const settings = { ...DEFAULT_MESSAGING_SETTINGS, shopName: 'Kettle & Co' };
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 80 }).filter((s) => /\S/.test(s)),
        (raw) => {
          const name = raw.replace(/[^A-Za-z0-9 ]/g, 'x');
          const data = { ...SAMPLE_DATA.back_in_stock, name };
          const view = buildMessageView('back_in_stock', data, NO_FACTS, settings);
          const sms = fitSms(DEFAULT_TEMPLATES.back_in_stock, view);
          const size = smsSize(sms);
          assert.equal(size.encoding, 'gsm7');
          assert.equal(size.segments, 1, sms);
          assert.ok(sms.endsWith('Reply STOP to opt out'), sms);
        },
      ),
    );
    const long = 'Professional stainless steel gooseneck pour-over kettle with thermometer';
    const view = buildMessageView(
      'back_in_stock',
      { ...SAMPLE_DATA.back_in_stock, name: long },
      NO_FACTS,
      settings,
    );
    const sms = fitSms(DEFAULT_TEMPLATES.back_in_stock, view);
    assert.ok(sms.includes('Professional stainless steel...'), sms);
    assert.ok(sms.length <= 160, sms);
  });

  it('signs order links that verify, expire, and name only what they were signed for', () => {
    const secret = 'x'.repeat(32);
    const token = signLink(secret, 'order', 'WEB-1', 2_000_000_000);
    assert.equal(verifyLink(secret, 'order', 'WEB-1', token, 1_900_000_000), 'valid');
    assert.equal(verifyLink(secret, 'order', 'WEB-1', token, 2_000_000_001), 'expired');
    assert.equal(verifyLink(secret, 'order', 'WEB-2', token, 1_900_000_000), 'invalid');
    assert.equal(verifyLink('y'.repeat(32), 'order', 'WEB-1', token, 1_900_000_000), 'invalid');
    assert.equal(verifyLink(secret, 'unsubscribe', 'WEB-1', token, 1_900_000_000), 'invalid');
    const later = token.replace(/^\d+/, '2100000000');
    assert.equal(verifyLink(secret, 'order', 'WEB-1', later, 1_900_000_000), 'invalid');
  });

  it("the shop's verification code in the guide accepts our links and refuses altered ones", () => {
    const guide = readFileSync(
      new URL('../../docs/guides/customer-messages.md', import.meta.url),
      'utf8',
    );
    const code = /<!-- verify-order-link -->\s*```js\n([\s\S]*?)```/.exec(guide)?.[1];
    assert.ok(code, 'the guide has the verification example');
    const secret = 'the-shops-copy-of-STOCKROOM_LINK_SECRET';
    const expiry = Math.floor(Date.now() / 1000) + 3600;
    const good = `https://shop.example/orders/WEB-2001?token=${signLink(secret, 'order', 'WEB-2001', expiry)}`;
    const expired = `https://shop.example/orders/WEB-2001?token=${signLink(secret, 'order', 'WEB-2001', 1_000_000)}`;
    const other = good.replace('WEB-2001', 'WEB-2002');
    const run = (url: string) =>
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `${code}\nconsole.log(orderReferenceOf(process.argv[1], process.env.STOCKROOM_LINK_SECRET));`,
          url,
        ],
        {
          env: { ...process.env, STOCKROOM_LINK_SECRET: secret },
          encoding: 'utf8',
        },
      ).trim();
    assert.equal(run(good), 'WEB-2001');
    assert.equal(run(expired), 'null');
    assert.equal(run(other), 'null');
  });
});
