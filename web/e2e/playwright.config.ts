import { defineConfig } from '@playwright/test';

const ci = process.env.CI === 'true' || process.env.CI === '1';

/**
 * E2E against a real `stockroom serve --demo` per worker (fixtures.ts starts it, and sets
 * baseURL to it). Playwright's browser download is unreachable here: Debian's chromium.
 */
export default defineConfig({
  testDir: import.meta.dirname,
  testMatch: '*.spec.ts',
  workers: ci ? 1 : 2,
  retries: 0,
  fullyParallel: false,
  forbidOnly: ci,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: ci
    ? [['list'], ['html', { open: 'never', outputFolder: '../../.tmp/playwright-report' }]]
    : 'list',
  outputDir: '../../.tmp/playwright-results',
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
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
    },
  },
});
