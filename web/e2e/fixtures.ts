import { test as base, expect, type Page } from '@playwright/test';
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../../clients/stockroom-api';
import { type Mailbox, startMailbox } from './mailbox';
import {
  ADMIN_EMAIL,
  ADMIN_KEY,
  ADMIN_PASSWORD,
  type StockroomServer,
  startStockroom,
} from './stockroom-server';

export type { Mail, Mailbox } from './mailbox';
export {
  ADMIN_EMAIL,
  ADMIN_KEY,
  ADMIN_PASSWORD,
  type StockroomServer,
  startStockroom,
} from './stockroom-server';
export { expect };

/** A failed API call in test setup, with the body to say why. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    request: Request,
  ) {
    super(`${request.method} ${new URL(request.url).pathname} answered ${status}: ${body}`);
  }
}

/** The typed client with the admin key, throwing ApiCallError on any non-2xx answer. */
export type Api = Client<paths>;

export function apiFor(baseURL: string, key = ADMIN_KEY): Api {
  const client = createClient<paths>({
    baseUrl: baseURL,
    headers: { authorization: `Bearer ${key}` },
  });
  client.use({
    async onResponse({ request, response }) {
      if (!response.ok)
        throw new ApiCallError(response.status, await response.clone().text(), request);
      return response;
    },
  });
  return client;
}

/** Signs in through the sign-in page and waits for the app's navigation. */
export async function signIn(page: Page, email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
}

interface WorkerFixtures {
  /** A real `stockroom serve --demo` (SQLite, SMTP into `mailbox`), one per worker. */
  server: StockroomServer;
  /** The SMTP server the worker's server sends mail to. */
  mailbox: Mailbox;
}

interface TestFixtures {
  /** The typed API client with the bootstrap admin key, for setup and assertions. */
  api: Api;
  /** `page`, signed in as the bootstrap admin, on Today. */
  signedIn: Page;
}

/**
 * Specs share their worker's server and demo store: each must pick its own SKUs, locations
 * and customers, and never assume what another spec did or did not change.
 */
export const test = base.extend<TestFixtures, WorkerFixtures>({
  mailbox: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies destructured
    async ({}, use) => {
      const mailbox = await startMailbox();
      await use(mailbox);
      await mailbox.close();
    },
    { scope: 'worker' },
  ],
  server: [
    async ({ mailbox }, use) => {
      const server = await startStockroom({
        env: { STOCKROOM_SMTP_URL: mailbox.url, STOCKROOM_MAIL_FROM: 'shop@e2e.stockroom.test' },
      });
      await use(server);
      await server.stop();
    },
    { scope: 'worker', timeout: 180_000 },
  ],
  baseURL: async ({ server }, use) => {
    await use(server.baseURL);
  },
  api: async ({ server }, use) => {
    await use(apiFor(server.baseURL));
  },
  signedIn: async ({ page }, use) => {
    await signIn(page);
    await use(page);
  },
});
