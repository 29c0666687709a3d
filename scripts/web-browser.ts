// Shared by scripts/web-metrics.ts and scripts/web-screenshots.ts: the build, a server,
// Chromium, and a signed-in browser context, as the e2e fixtures do (web/e2e).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, REPO_ROOT } from '../web/e2e/stockroom-server.js';

export { ADMIN_KEY, REPO_ROOT, startStockroom } from '../web/e2e/stockroom-server.js';

/** Builds server and app unless both are there (`npm run build`). */
export function ensureBuilt(): void {
  const built =
    existsSync(join(REPO_ROOT, 'dist', 'web', 'index.html')) &&
    existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js'));
  if (built) return;
  console.log('Building server and staff app (npm run build)…');
  const result = spawnSync('npm', ['run', 'build', '--silent'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('npm run build failed');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh context (empty cache, no storage) holding the admin's session cookie. */
export async function signedInContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  const response = await context.request.post('/v1/session', {
    data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  });
  if (!response.ok())
    throw new Error(`sign-in answered ${response.status()}: ${await response.text()}`);
  return context;
}

/** The screen has its h1 and no loader spins. */
export async function settled(page: Page, timeout = 30_000): Promise<void> {
  await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout });
  await page.waitForFunction(() => !document.querySelector('.mantine-Loader-root'), undefined, {
    timeout,
  });
}
