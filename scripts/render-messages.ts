// npm run docs:messages: renders every customer message from its sample data with the
// built-in templates, screenshots the HTML in Chromium (600px wide, as a mail client's
// reading pane) into docs/images/messages/, and writes the subject, text part and SMS
// into docs/guides/customer-messages.md between its rendered-messages markers.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CUSTOMER_MESSAGE_KINDS } from '../src/domain/customer-messages.js';
import {
  DEFAULT_MESSAGING_SETTINGS,
  type MessagingSettings,
} from '../src/kernel/messaging-settings.js';
import { DEFAULT_TEMPLATES } from '../src/messaging/default-templates.js';
import { buildMessageView, fitSms } from '../src/messaging/message-view.js';
import { smsSize } from '../src/messaging/sms-segments.js';
import { SAMPLE_DATA } from '../src/messaging/template-samples.js';
import { KIND_TITLES, renderTemplate } from '../src/messaging/templates.js';
import { NO_FACTS } from '../src/messaging/view-facts.js';

const ROOT = resolve(import.meta.dirname, '..');
const IMAGES = join(ROOT, 'docs', 'images', 'messages');
const GUIDE = join(ROOT, 'docs', 'guides', 'customer-messages.md');
const START = '<!-- rendered-messages:start -->';
const END = '<!-- rendered-messages:end -->';

const settings: MessagingSettings = {
  ...DEFAULT_MESSAGING_SETTINGS,
  shopName: 'Kettle & Co',
  shopUrl: 'https://shop.example',
  publicUrl: 'https://stockroom.shop.example',
  logoUrl: 'https://shop.example/logo.svg',
  itemImageUrl: 'https://shop.example/images/{sku}.svg',
  delayIncentive: 'free delivery on your next order with code SORRY10',
};
const facts = {
  ...NO_FACTS,
  prices: new Map([
    ['KET-01', 4500],
    ['TOA-02', 3299],
    ['MUG-NEW', 1200],
  ]),
};
const context = {
  linkSecret: 'docs-example-secret-not-for-production-use',
  now: new Date('2026-12-01T10:00:00Z'),
  createdAt: '2026-12-01T10:00:00Z',
  timeZone: 'Europe/London',
};

/** Stand-ins for the shop's logo and item pictures: nothing is fetched from outside. */
const COLOURS: Record<string, string> = {
  'KET-01': '#b45309',
  'TOA-02': '#0f766e',
  'MUG-NEW': '#7c3aed',
};
function picture(url: string): string {
  if (url.endsWith('/logo.svg')) {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40"><rect width="40" height="40" rx="8" fill="#1d4ed8"/><text x="20" y="27" font-family="Arial" font-size="20" font-weight="bold" fill="#fff" text-anchor="middle">K</text><text x="50" y="27" font-family="Arial" font-size="18" font-weight="bold" fill="#111827">Kettle &amp; Co</text></svg>`;
  }
  const sku = decodeURIComponent(
    url
      .split('/')
      .pop()!
      .replace(/\.svg$/, ''),
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80" viewBox="0 0 80 80"><rect width="80" height="80" rx="8" fill="${COLOURS[sku] ?? '#6b7280'}"/><text x="40" y="46" font-family="Arial" font-size="12" fill="#fff" text-anchor="middle">${sku}</text></svg>`;
}

mkdirSync(IMAGES, { recursive: true });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 600, height: 400 } });
await page.route('**/*', (route) => {
  const url = route.request().url();
  if (url.startsWith('https://shop.example/')) {
    return route.fulfill({ contentType: 'image/svg+xml', body: picture(url) });
  }
  return route.abort();
});

const sections: string[] = [];
for (const kind of CUSTOMER_MESSAGE_KINDS) {
  const template = DEFAULT_TEMPLATES[kind];
  const view = buildMessageView(kind, SAMPLE_DATA[kind], facts, settings, context);
  const rendered = renderTemplate(template, view);
  const sms = fitSms(template, view);
  const size = smsSize(sms);
  // about:blank would refuse the https images; a page at the shop's origin loads them.
  await page.route('https://shop.example/message.html', (route) =>
    route.fulfill({ contentType: 'text/html', body: rendered.html }),
  );
  await page.goto('https://shop.example/message.html');
  await page.unroute('https://shop.example/message.html');
  const file = `${kind.replace(/_/g, '-')}.png`;
  await page.screenshot({ path: join(IMAGES, file), fullPage: true });
  sections.push(
    [
      `### ${KIND_TITLES[kind]} (\`${kind}\`)`,
      '',
      `Subject: **${rendered.subject}**`,
      '',
      `![${KIND_TITLES[kind]}: the HTML part](../images/messages/${file})`,
      '',
      'The text part:',
      '',
      '```plaintext',
      rendered.text.trimEnd(),
      '```',
      '',
      `The SMS (${sms.length} characters, ${size.segments} ${size.encoding === 'gsm7' ? 'GSM-7' : 'UCS-2'} segment${size.segments === 1 ? '' : 's'}):`,
      '',
      '```plaintext',
      sms,
      '```',
    ].join('\n'),
  );
}
await browser.close();

const guide = readFileSync(GUIDE, 'utf8');
const from = guide.indexOf(START);
const to = guide.indexOf(END);
if (from < 0 || to < from) throw new Error(`${GUIDE} has no ${START} … ${END} section`);
const generated = `${START}\n<!-- Written by npm run docs:messages (scripts/render-messages.ts): edit the script, not this. -->\n\n${sections.join('\n\n')}\n\n`;
writeFileSync(GUIDE, guide.slice(0, from) + generated + guide.slice(to));
console.log(`${sections.length} messages rendered into ${IMAGES} and ${GUIDE}`);
