import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import type { operations } from '../../clients/stockroom-api';
import { expectAccessible, screenSettled } from './a11y';
import { type Api, expect, test } from './fixtures';

/*
 * The Stock screen against the demo store. Other specs share the server and may move
 * stock, so expected rows are read from the API at the moment of the check, and the items
 * this spec changes (pet bowls, grooming brushes, leads) are ones no other spec uses.
 */

type OverviewQuery = NonNullable<operations['listStockOverview']['parameters']['query']>;

const TABLE = 'Stock by item and location';
/** Cells of a row: item (SKU and name), location, on hand, …, incoming, then each channel. */
const ON_HAND = 2;
const WEB_STATE = 7;

/** The rows the API lists for these filters, as the table shows them: "SKU@location". */
async function expectedRows(api: Api, query: OverviewQuery): Promise<string[]> {
  const { data } = await api.GET('/v1/stock/overview', {
    params: { query: { ...query, limit: 1000 } },
  });
  expect(data?.nextCursor).toBeNull();
  return (data?.items ?? []).map((row) => `${row.sku}@${row.location}`);
}

/** The rows the table has in the DOM (all of them, for short lists under one screen). */
async function shownRows(page: Page): Promise<string[]> {
  const rows = page.getByRole('table', { name: TABLE }).locator('tbody tr');
  return rows.evaluateAll((trs) =>
    trs
      .map((tr) => {
        const sku = tr.querySelector('a')?.textContent?.trim();
        const location = tr.querySelectorAll('td')[1]?.textContent?.trim();
        return { index: Number(tr.getAttribute('aria-rowindex')), key: `${sku}@${location}` };
      })
      .sort((a, b) => a.index - b.index)
      .map((row) => row.key),
  );
}

async function openStock(page: Page, search = '') {
  await page.goto(`/stock${search}`);
  await screenSettled(page);
  await expect(page.getByRole('table', { name: TABLE })).toBeVisible();
}

test('filters and search find the right rows, and the URL holds them', async ({
  signedIn: page,
  api,
}) => {
  await openStock(page);
  await page.getByLabel('Search SKU or name').fill('grooming brush');
  await page.getByRole('combobox', { name: 'Location' }).click();
  await page.getByRole('option', { name: /\(W1\)/ }).click();
  await expect(page).toHaveURL(/[?&]q=grooming\+brush/);
  await expect(page).toHaveURL(/[?&]location=W1/);
  const brushes = await expectedRows(api, { q: 'grooming brush', location: 'W1' });
  expect(brushes).toHaveLength(4);
  await expect.poll(() => shownRows(page)).toEqual(brushes);

  // State, category and supplier narrow it further, as the API does for the same filters.
  await page.getByLabel('Search SKU or name').fill('');
  await page.getByRole('combobox', { name: 'Category' }).click();
  await page.getByRole('option', { name: 'pets' }).click();
  await page.getByRole('combobox', { name: 'State' }).click();
  await page.getByRole('option', { name: 'Backorder' }).click();
  await expect(page).toHaveURL(/[?&]state=backorder/);
  const backordered = await expectedRows(api, {
    category: 'pets',
    location: 'W1',
    state: 'backorder',
  });
  expect(backordered.length).toBeGreaterThan(0);
  await expect.poll(() => shownRows(page)).toEqual(backordered);
  for (const row of backordered) expect(row).toMatch(/^PET-.*@W1$/);

  // The URL is the view: opened fresh, it shows the same filters and rows.
  const link = page.url();
  await page.goto('/');
  await page.goto(link);
  await expect(page.getByRole('combobox', { name: 'Category' })).toHaveValue('pets');
  await expect(page.getByRole('combobox', { name: 'State' })).toHaveValue('Backorder');
  await expect.poll(() => shownRows(page)).toEqual(backordered);

  // A longer list: its first rows are in view (the rest render as it scrolls).
  const supplied = await expectedRows(api, { supplier: 'QUICK', location: 'S2' });
  await openStock(page, '?supplier=QUICK&location=S2');
  await expect(page.getByRole('combobox', { name: 'Supplier' })).toHaveValue(/QUICK/);
  await expect.poll(async () => (await shownRows(page)).slice(0, 8)).toEqual(supplied.slice(0, 8));
});

test('a stock adjustment changes the row’s numbers and badge live, without a reload', async ({
  signedIn: page,
  api,
}) => {
  const sku = 'PET-0302';
  const before = await api.GET('/v1/stock/overview', {
    params: { query: { sku, location: 'W1' } },
  });
  const row = before.data!.items[0]!;
  const web = row.channels.find((c) => c.channel === 'web')!;
  expect(web.state).toBe('low_stock');

  await openStock(page, `?q=${sku}&location=W1`);
  const table = page.getByRole('table', { name: TABLE });
  const line = table.getByRole('row').filter({ hasText: sku });
  await expect(line.getByRole('cell').nth(ON_HAND)).toHaveText(String(row.onHand));
  await expect(line.getByText('Low stock').first()).toBeVisible();
  // A marker a reload would wipe: the change must arrive through the event stream.
  await page.evaluate(() => {
    (window as unknown as { stayed: boolean }).stayed = true;
  });

  await api.POST('/v1/stock/adjustments', {
    body: { sku, location: 'W1', delta: 200, reason: 'e2e: delivery found in the back room' },
  });

  await expect(line.getByRole('cell').nth(ON_HAND)).toHaveText(String(row.onHand + 200), {
    timeout: 15_000,
  });
  await expect(line.getByRole('cell').nth(WEB_STATE)).toContainText('In stock');
  // The changed numbers are highlighted for a moment.
  await expect(line.locator('[class*="flash"]').first()).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
});

test('CSV export downloads the rows the table shows', async ({ signedIn: page, api }) => {
  await openStock(page, '?category=pets&location=W1');
  const expected = await expectedRows(api, { category: 'pets', location: 'W1' });
  await expect(page.getByText(`${expected.length} rows`)).toBeVisible();
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('stock.csv');
  const text = await readFile((await download.path())!, 'utf8');
  const [header, ...lines] = text.trimEnd().split('\n');
  expect(header).toMatch(
    /^sku,name,category,location,on_hand,reserved,safety_stock,available,incoming,next_expected_date,state_/,
  );
  const columns = header!.split(',');
  const rows = lines.map((line) => {
    const cells = line.split(',');
    return `${cells[columns.indexOf('sku')]}@${cells[columns.indexOf('location')]}`;
  });
  expect(rows).toEqual(expected);
  // The first row's numbers are the table's.
  const first = page.getByRole('table', { name: TABLE }).getByRole('row').nth(1);
  const cells = lines[0]!.split(',');
  await expect(first.getByRole('cell').nth(ON_HAND)).toHaveText(cells[columns.indexOf('on_hand')]!);
});

test('the filters and the table work from the keyboard', async ({ signedIn: page }) => {
  await openStock(page);
  await page.getByLabel('Search SKU or name').focus();
  await page.keyboard.type('oak lead');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('combobox', { name: 'State' })).toBeFocused();
  // Narrow the state list by typing, step onto the one option left, take it.
  await page.keyboard.type('In stock');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/[?&]state=in_stock/);
  await expect(page).toHaveURL(/[?&]q=oak\+lead/);
  // Tab on to the table's first link and open the item from it.
  const link = page.getByRole('link', { name: 'PET-0403' }).first();
  await expect(link).toBeVisible();
  for (let i = 0; i < 20; i++) {
    if (await link.evaluate((el) => el === document.activeElement)) break;
    await page.keyboard.press('Tab');
  }
  await expect(link).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/items\/PET-0403$/);
});

test('the table renders only the rows in view, however many are loaded', async ({
  signedIn: page,
}) => {
  await openStock(page);
  const scroller = page.getByRole('region', { name: TABLE });
  const status = page.getByText(/ rows/).last();
  // Scroll to the end until every page is loaded (the cursor runs out).
  for (let i = 0; i < 30 && /more/.test((await status.textContent()) ?? ''); i++) {
    await scroller.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await page.waitForTimeout(200);
  }
  await expect(status).not.toContainText('more');
  const loaded = Number(((await status.textContent()) ?? '').replace(/\D/g, ''));
  expect(loaded).toBeGreaterThan(1000);
  const inDom = await page.getByRole('table', { name: TABLE }).locator('tbody tr').count();
  expect(inDom).toBeLessThan(60);
  await expectAccessible(page);
});

test('the Stock screen passes axe with filters set', async ({ signedIn: page }) => {
  await openStock(page, '?category=pets&state=low_stock');
  await expect(page.getByRole('table', { name: TABLE }).locator('tbody tr').first()).toBeVisible();
  await expectAccessible(page);
});
