// npm run web:screenshots: one PNG per screen at 1280×800 into docs/screenshots/, taken in
// Chromium from a fresh demo store, signed in as the admin. Builds first if needed.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ADMIN_KEY,
  ensureBuilt,
  launchChromium,
  REPO_ROOT,
  settled,
  signedInContext,
  startStockroom,
} from './web-browser.js';

const OUT = join(REPO_ROOT, 'docs', 'screenshots');

ensureBuilt();
mkdirSync(OUT, { recursive: true });
const server = await startStockroom();
const browser = await launchChromium();
try {
  const items = await fetch(`${server.baseURL}/v1/items?limit=1`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  const { items: first } = (await items.json()) as { items: { sku: string }[] };
  const sku = first[0]?.sku ?? 'unknown';
  const shots: [string, string][] = [
    ['today', '/'],
    ['stock', '/stock'],
    ['item', `/items/${encodeURIComponent(sku)}`],
    ['sell', '/sell'],
    ['backorders', '/backorders'],
    ['purchasing', '/purchasing'],
    ['messages', '/messages'],
    ['reports', '/reports'],
    ['settings', '/settings'],
  ];
  const signedOut = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const signInPage = await signedOut.newPage();
  await signInPage.goto(`${server.baseURL}/sign-in`);
  await settled(signInPage);
  await signInPage.screenshot({ path: join(OUT, 'sign-in.png') });
  console.log('docs/screenshots/sign-in.png');
  await signedOut.close();

  const context = await signedInContext(browser, server.baseURL);
  const page = await context.newPage();
  for (const [name, path] of shots) {
    await page.goto(path);
    await settled(page);
    // Charts and badges animate in; the picture should show them at rest.
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(OUT, `${name}.png`) });
    console.log(`docs/screenshots/${name}.png  (${path})`);
  }
} finally {
  await browser.close();
  await server.stop();
}
