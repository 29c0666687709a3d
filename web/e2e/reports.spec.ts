import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expectAccessible } from './a11y';
import { type Api, ApiCallError, expect, test } from './fixtures';

/*
 * The Reports screen on the demo store (half a year of sales history). What the history
 * does not hold (stock-outs, refused sales, backorders) this spec makes through the API,
 * on stationery SKUs no other spec touches: STA-0603 runs out three times at S3, an
 * order for 10,000 of STA-0502 is refused at the tills, and STA-0602 is backordered on
 * the web shop.
 */

const seeded = new Set<string>();

/** Once per worker's server: the stock-outs, refused sale and backorder the reports show. */
async function seedReportData(baseURL: string, api: Api) {
  if (seeded.has(baseURL)) return;
  for (let i = 0; i < 3; i++) {
    await api.POST('/v1/stock/counts', {
      body: { sku: 'STA-0603', location: 'S3', quantity: 0 },
    });
    await api.POST('/v1/stock/adjustments', {
      body: { sku: 'STA-0603', location: 'S3', delta: 5, reason: 'correction' },
    });
  }
  const refused = await api
    .POST('/v1/orders', {
      params: { header: { 'idempotency-key': `reports-refused-${randomUUID()}` } },
      body: {
        channel: 'pos',
        lines: [{ sku: 'STA-0502', quantity: 10_000, acceptBackorder: false }],
      },
    })
    .catch((error: unknown) => error);
  expect(refused instanceof ApiCallError && refused.status).toBe(409);
  await api.POST('/v1/orders', {
    params: { header: { 'idempotency-key': `reports-backorder-${randomUUID()}` } },
    body: {
      channel: 'web',
      customer: { name: 'Report Reader', email: 'reports@example.com', preferredChannel: 'email' },
      lines: [{ sku: 'STA-0602', quantity: 400, acceptBackorder: true }],
    },
  });
  seeded.add(baseURL);
}

const TABS = [
  { tab: 'Best sellers', heading: 'Best sellers' },
  { tab: 'Stock-outs', heading: 'Stock-outs' },
  { tab: 'Repeat stock-outs', heading: 'Repeat stock-outs' },
  { tab: 'Lost demand', heading: 'Lost demand' },
  { tab: 'Backorder waits', heading: 'Backorder waits' },
  { tab: 'Excess stock', heading: 'Excess stock' },
  { tab: 'Emerging', heading: 'Emerging items' },
  { tab: 'Seasonality', heading: 'Seasonality' },
  { tab: 'Supplier scorecards', heading: 'Supplier scorecards' },
] as const;

/** The report's chart (a figure named by its caption, drawn as SVG) and its table's rows. */
async function expectChartAndRows(page: Page, heading: string) {
  const figure = page.getByRole('figure');
  await expect(figure).toBeVisible();
  await expect(figure).toHaveAccessibleName(/chart|Histogram/);
  await expect(figure.locator('svg.recharts-surface').first()).toBeVisible();
  const table = page.getByRole('table', { name: new RegExp(`^${heading}: \\d+ rows?$`) });
  await expect(table).toBeVisible();
  // The header row, then at least one row of figures.
  await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(1);
}

test.describe('Reports', () => {
  test.beforeEach(async ({ server, api }) => {
    await seedReportData(server.baseURL, api);
  });

  test('every report tab shows a chart and its rows, and passes axe', async ({ signedIn }) => {
    // Nine reports, each read from months of history and checked by axe.
    test.setTimeout(240_000);
    const page = signedIn;
    await page.goto('/reports');
    await expect(page).toHaveURL(/\/reports\/best-sellers$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Reports' })).toBeVisible();
    for (const { tab, heading } of TABS) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
      await expect(page.getByRole('heading', { level: 2, name: heading })).toBeVisible();
      await expectChartAndRows(page, heading);
      await expectAccessible(page);
    }
    // What this spec made shows where it belongs.
    await page.getByRole('tab', { name: 'Repeat stock-outs' }).click();
    await expect(page.getByRole('figure')).toHaveAccessibleName(
      /Slate Fountain Pen \(STA-0603\) ran out 3 times/,
    );
    await page.getByRole('tab', { name: 'Lost demand' }).click();
    await expect(page.getByRole('cell', { name: 'Classic Sticky Notes (STA-0502)' })).toBeVisible();
    await page.getByRole('tab', { name: 'Backorder waits' }).click();
    await expect(page.getByRole('cell', { name: 'Classic Fountain Pen (STA-0602)' })).toBeVisible();
  });

  test('changing the period or location fetches the report again', async ({ signedIn }) => {
    const page = signedIn;
    await page.goto('/reports/best-sellers');
    await expectChartAndRows(page, 'Best sellers');
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 120 * 86_400_000).toISOString().slice(0, 10);
    const refetch = page.waitForResponse(
      (r) => r.url().includes('/v1/reports/best-sellers?') && r.url().includes(`from=${from}`),
    );
    await page.getByRole('textbox', { name: 'From', exact: true }).fill(from);
    expect((await refetch).status()).toBe(200);
    await expect(page.getByRole('figure')).toHaveAccessibleName(
      /^Bar chart of the top 15 items by units/,
    );
    await expect(page).toHaveURL(new RegExp(`from=${from}`));
    await expect(page.getByRole('textbox', { name: 'To', exact: true })).toHaveValue(today);

    const byLocation = page.waitForResponse(
      (r) => r.url().includes('/v1/reports/best-sellers?') && r.url().includes('location=S2'),
    );
    await page.getByLabel('Location').selectOption('S2');
    expect((await byLocation).status()).toBe(200);
    await expectChartAndRows(page, 'Best sellers');

    // The period carries over to the next tab.
    await page.getByRole('tab', { name: 'Stock-outs', exact: true }).click();
    await expect(page.getByRole('textbox', { name: 'From', exact: true })).toHaveValue(from);
  });

  test('the tabs and filters work from the keyboard', async ({ signedIn }) => {
    const page = signedIn;
    await page.goto('/reports/best-sellers');
    await expectChartAndRows(page, 'Best sellers');
    const current = page.getByRole('tab', { name: 'Best sellers', selected: true });
    await current.focus();
    await page.keyboard.press('ArrowRight');
    await expect(page).toHaveURL(/\/reports\/stockouts/);
    await expect(page.getByRole('tab', { name: 'Stock-outs', exact: true })).toBeFocused();
    await expect(page.getByRole('heading', { level: 2, name: 'Stock-outs' })).toBeVisible();
    // Tab moves on through the panel's filters (a date field holds a stop per part of
    // the date) to the CSV link; every stop is an input of the report.
    const reached: string[] = [];
    for (let i = 0; i < 15 && !reached.includes('Download CSV'); i++) {
      await page.keyboard.press('Tab');
      reached.push(
        await page.evaluate(() => {
          const active = document.activeElement;
          if (active === null) return '';
          const label = active.id ? document.querySelector(`label[for="${active.id}"]`) : null;
          return (label?.textContent ?? active.textContent ?? '').replace(/\W+$/, '').trim();
        }),
      );
    }
    expect(reached).toContain('From');
    expect(reached).toContain('To');
    expect(reached).toContain('Location');
    expect(reached.at(-1)).toBe('Download CSV');
  });

  test('downloads a report as CSV', async ({ signedIn }) => {
    const page = signedIn;
    await page.goto('/reports/lost-demand');
    await expectChartAndRows(page, 'Lost demand');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('lost-demand.csv');
    const csv = await readFile((await file.path())!, 'utf8');
    const [header, ...lines] = csv.trim().split('\n');
    expect(header).toBe('sku,name,category,channel,units,value');
    expect(lines.some((line) => line.startsWith('STA-0502,Classic Sticky Notes,'))).toBe(true);
  });

  test("a period ending before it starts shows the API's message", async ({ signedIn }) => {
    const page = signedIn;
    // Stock-outs read the ledger, which starts when the demo store is loaded (today).
    const day = (offset: number) =>
      new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const [from, to, before] = [day(-30), day(0), day(-40)];
    await page.goto(`/reports/stockouts?from=${from}&to=${to}`);
    await expectChartAndRows(page, 'Stock-outs');
    const toInput = page.getByRole('textbox', { name: 'To', exact: true });
    await toInput.fill(before);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Stock-outs could not be loaded');
    await expect(alert).toContainText(`from (${from}) is after to (${before})`);
    await expect(page.getByRole('button', { name: 'Download CSV' })).toBeDisabled();
    await expectAccessible(page);
    await toInput.fill(to);
    await expect(alert).toBeHidden();
    await expectChartAndRows(page, 'Stock-outs');
  });

  test('reorder points list item × location with what to order, linked to the item', async ({
    signedIn,
  }) => {
    const page = signedIn;
    await page.goto('/reports/reorder-points');
    const table = page.getByRole('table', { name: 'Reorder points' });
    await expect(table).toBeVisible({ timeout: 20_000 });
    for (const header of [
      'Item',
      'Location',
      'Forecast over lead time',
      'Safety stock',
      'Reorder point',
      'Position',
      'Suggested qty',
    ])
      await expect(table.getByRole('columnheader', { name: header })).toBeVisible();
    await page.getByLabel('Location').selectOption('S3');
    await page.getByLabel('Search').fill('STA-0603');
    const row = table.getByRole('row').filter({ hasText: 'STA-0603' });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('S3');
    await expectAccessible(page);
    await row.getByRole('link', { name: 'Slate Fountain Pen (STA-0603)' }).click();
    await expect(page).toHaveURL(/\/items\/STA-0603$/);
  });

  test('a forecast charts the days ahead with their interval', async ({ signedIn }) => {
    const page = signedIn;
    await page.goto('/reports/forecast');
    await page.getByLabel('SKU').fill('STA-0602');
    await page.getByLabel('Location').selectOption('S1');
    await page.getByLabel('Days ahead').fill('14');
    await page.getByRole('button', { name: 'Show forecast' }).click();
    await expect(page.getByRole('figure')).toHaveAccessibleName(
      /^Line chart of the daily forecast for STA-0602 at S1 over 14 days/,
    );
    await expectChartAndRows(page, 'Forecast');
    await expect(page.getByRole('table', { name: 'Forecast: 14 rows' })).toBeVisible();
    await expectAccessible(page);
  });
});
