import { expect, type Locator, type Page } from '@playwright/test';
import { expectAccessible, screenSettled } from './a11y';
import { signIn, test } from './fixtures';

/*
 * The item screen against the real server and the demo store. Its SKUs are its own
 * (stationery), so the other specs' sales and receipts never move these numbers.
 */
const SKU = 'STA-0302'; // Mini Desk Organiser: stock at every location, months of sales
const REFUSED_SKU = 'STA-0303'; // Sage Desk Organiser: the refusals leave it untouched

function quantity(page: Page, location: string, column: string): Locator {
  return page
    .getByTestId('quantities')
    .locator(`tr[data-location="${location}"] [data-quantity="${column}"]`);
}

async function onHand(page: Page, location: string): Promise<number> {
  return Number(
    ((await quantity(page, location, 'onHand').textContent()) ?? '').replace(/\D/g, ''),
  );
}

async function openItem(page: Page, sku: string) {
  await page.goto(`/items/${sku}`);
  await screenSettled(page);
  await expect(quantity(page, 'W1', 'onHand')).toBeVisible();
}

test('opens an item from its URL with every part, the forecast chart included', async ({
  signedIn: page,
}) => {
  await openItem(page, SKU);
  await expect(page.getByRole('heading', { level: 1, name: 'Mini Desk Organiser' })).toBeVisible();
  await expect(page).toHaveTitle(/Mini Desk Organiser/);
  for (const part of [
    'Quantities by location',
    'Availability by channel',
    'Incoming supply',
    'Backorder queue',
    'Demand and forecast',
    'Ledger',
    'Alternatives',
    'Subscribers waiting',
  ]) {
    await expect(page.getByRole('heading', { level: 2, name: part })).toBeVisible();
  }
  await expect(
    page.getByTestId('channel-availability').locator('tr[data-channel="web"]'),
  ).toContainText('In stock');
  // The chart is its own lazily loaded chunk: the SVG appears once it has loaded.
  const chart = page.getByTestId('forecast-chart');
  await expect(chart.locator('svg.recharts-surface').first()).toBeVisible();
  await expect(page.getByTestId('forecast-summary')).toContainText('units demanded in the 56 days');
  await expect(page.getByTestId('ledger').locator('tbody tr').first()).toBeVisible();
  await expectAccessible(page);
});

test('adjust, count and transfer through the forms; quantities and ledger follow', async ({
  signedIn: page,
}) => {
  await openItem(page, SKU);
  const ledgerTop = page.getByTestId('ledger').locator('tbody tr').first();

  const w1 = await onHand(page, 'W1');
  await page.getByRole('button', { name: 'Adjust' }).click();
  const adjust = page.getByRole('dialog', { name: `Adjust stock of ${SKU}` });
  await adjust.getByLabel('Location').selectOption('W1');
  await adjust.getByLabel('Kind of change').selectOption('receipt');
  await adjust.getByRole('textbox', { name: 'Change in units' }).fill('7');
  await adjust.getByRole('textbox', { name: 'Reason' }).fill('found behind the shelf');
  await expectAccessible(page);
  await adjust.getByRole('button', { name: 'Adjust' }).click();
  await expect(adjust).toBeHidden();
  await expect(quantity(page, 'W1', 'onHand')).toHaveText(String(w1 + 7));
  await expect(ledgerTop).toContainText('found behind the shelf');
  await expect(ledgerTop).toContainText('+7');

  await page.getByRole('button', { name: 'Count' }).click();
  const count = page.getByRole('dialog', { name: `Count ${SKU}` });
  await count.getByLabel('Location').selectOption('S2');
  await count.getByRole('textbox', { name: 'Counted quantity' }).fill('11');
  await count.getByRole('button', { name: 'Record count' }).click();
  await expect(count).toBeHidden();
  await expect(quantity(page, 'S2', 'onHand')).toHaveText('11');
  await expect(ledgerTop).toContainText('Count');
  await expect(ledgerTop).toContainText('S2');

  const s3 = await onHand(page, 'S3');
  await page.getByRole('button', { name: 'Transfer' }).click();
  const transfer = page.getByRole('dialog', { name: `Transfer ${SKU}` });
  await transfer.getByLabel('From').selectOption('W1');
  await transfer.getByLabel('To').selectOption('S3');
  await transfer.getByRole('textbox', { name: 'Units' }).fill('4');
  await transfer.getByRole('button', { name: 'Transfer' }).click();
  await expect(transfer).toBeHidden();
  await expect(quantity(page, 'W1', 'onHand')).toHaveText(String(w1 + 7 - 4));
  await expect(quantity(page, 'S3', 'onHand')).toHaveText(String(s3 + 4));
  const ledger = page.getByTestId('ledger');
  await expect(ledger.locator('tbody tr').nth(0)).toContainText('Transfer');
  await expect(ledger.locator('tbody tr').nth(1)).toContainText('Transfer');
});

test('a transfer of more than there is and a count below reserved show the API message and change nothing', async ({
  signedIn: page,
  api,
}) => {
  // Three units reserved at S1, the first location of the tills.
  await api.POST('/v1/orders', {
    params: { header: { 'idempotency-key': 'e2e-item-reserve' } },
    body: {
      channel: 'pos',
      reference: 'E2E-ITEM-RESERVE',
      lines: [{ sku: REFUSED_SKU, quantity: 3 }],
    },
  });
  await openItem(page, REFUSED_SKU);
  await expect(quantity(page, 'S1', 'reserved')).toHaveText('3');
  const s1 = await onHand(page, 'S1');
  const ledgerTop =
    (await page.getByTestId('ledger').locator('tbody tr').first().textContent()) ?? '';

  await page.getByRole('button', { name: 'Transfer' }).click();
  const transfer = page.getByRole('dialog', { name: `Transfer ${REFUSED_SKU}` });
  await transfer.getByLabel('From').selectOption('S1');
  await transfer.getByLabel('To').selectOption('S2');
  await transfer.getByRole('textbox', { name: 'Units' }).fill('100000');
  await transfer.getByRole('button', { name: 'Transfer' }).click();
  await expect(transfer.getByTestId('action-error')).toContainText(
    `Cannot remove 100000 from ${REFUSED_SKU} at S1`,
  );
  await expectAccessible(page);
  await transfer.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Count' }).click();
  const count = page.getByRole('dialog', { name: `Count ${REFUSED_SKU}` });
  await count.getByLabel('Location').selectOption('S1');
  await count.getByRole('textbox', { name: 'Counted quantity' }).fill('1');
  await count.getByRole('button', { name: 'Record count' }).click();
  await expect(count.getByTestId('action-error')).toContainText(
    'Counted 1 but 3 are reserved for orders at S1',
  );
  await count.getByRole('button', { name: 'Cancel' }).click();

  await page.reload();
  await expect(quantity(page, 'S1', 'onHand')).toHaveText(String(s1));
  await expect(page.getByTestId('ledger').locator('tbody tr').first()).toHaveText(ledgerTop);
});

test('the backorder queue shows a waiting line with its promised date and history', async ({
  signedIn: page,
  api,
}) => {
  // Out of stock, with a purchase order due: an order for it waits, promised from the PO.
  const sku = 'STA-0403';
  const { data: order } = await api.POST('/v1/orders', {
    params: { header: { 'idempotency-key': 'e2e-item-backorder' } },
    body: {
      channel: 'web',
      reference: 'E2E-ITEM-BACKORDER',
      lines: [{ sku, quantity: 2, acceptBackorder: true }],
    },
  });
  expect(order?.lines[0]?.promise?.date).toBeTruthy();

  await openItem(page, sku);
  const queue = page.getByTestId('backorder-queue');
  const row = queue.getByRole('row', { name: new RegExp(`Order ${order?.id}, line 1`) });
  await expect(row).toBeVisible();
  await expect(row).toContainText('2');
  await row.getByRole('button', { name: /Show/ }).click();
  await expect(queue).toContainText('The first promise still holds');
  await expect(page.getByTestId('supply')).toContainText('Purchase order');
  await expectAccessible(page);
});

test('an admin sets the service level', async ({ signedIn: page }) => {
  await openItem(page, 'STA-0304');
  const level = page.getByRole('textbox', { name: /Target service level/ });
  await level.fill('97.5');
  await page.getByRole('button', { name: 'Save service level' }).click();
  await expect(page.getByText('STA-0304 aims for a 97.5% service level')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('textbox', { name: /Target service level/ })).toHaveValue('97.5');
  await expect(page.getByText('service level 97.5%')).toBeVisible();
});

test('stock moved elsewhere shows up live, without a reload', async ({ signedIn: page, api }) => {
  const sku = 'STA-0304';
  await openItem(page, sku);
  const before = await onHand(page, 'W1');
  // Another till or integrator: the API, not this page. The change reaches the page as an
  // availability.changed event on the live stream, which refetches the item's queries.
  await api.POST('/v1/stock/adjustments', {
    body: { sku, location: 'W1', delta: -2, type: 'damage', reason: 'dropped in the yard' },
  });
  await expect(quantity(page, 'W1', 'onHand')).toHaveText(String(before - 2), { timeout: 15_000 });
  await expect(page.getByTestId('ledger').locator('tbody tr').first()).toContainText(
    'dropped in the yard',
  );
});

test('a transfer sent to arrive later leaves its source now and shows as incoming supply', async ({
  signedIn: page,
}) => {
  const sku = 'STA-0401';
  await openItem(page, sku);
  const w1 = await onHand(page, 'W1');
  const due = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  await page.getByRole('button', { name: 'Transfer' }).click();
  const transfer = page.getByRole('dialog', { name: `Transfer ${sku}` });
  await transfer.getByLabel('From').selectOption('W1');
  await transfer.getByLabel('To').selectOption('S2');
  await transfer.getByRole('textbox', { name: 'Units' }).fill('6');
  await transfer.getByRole('radio', { name: 'Send, arriving later' }).check();
  await transfer.getByLabel('Due at the destination on').fill(due);
  await transfer.getByRole('button', { name: 'Transfer' }).click();
  await expect(transfer).toBeHidden();
  await expect(quantity(page, 'W1', 'onHand')).toHaveText(String(w1 - 6));
  await expect(quantity(page, 'S2', 'incoming')).toHaveText('6');
  await expect(page.getByTestId('supply')).toContainText('from W1');
  await expect(page.getByTestId('supply')).toContainText('6 to S2');
});

test('staff see the service level but only admins change it', async ({ page, api }) => {
  const email = 'item-staff@e2e.stockroom.test';
  const password = 'item-staff-Password-1';
  await api.POST('/v1/users', { body: { email, name: 'Item Staff', role: 'staff', password } });
  await signIn(page, email, password);
  await openItem(page, 'STA-0402');
  await expect(page.getByText('service level by its ABC class')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Service level' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Adjust' })).toBeEnabled();
});

test('the ledger pages back through older entries', async ({ signedIn: page, api }) => {
  const sku = 'STA-0404';
  for (let n = 1; n <= 21; n++) {
    await api.POST('/v1/stock/adjustments', {
      body: { sku, location: 'S1', delta: 1, type: 'receipt', reason: `delivery ${n}` },
    });
  }
  await openItem(page, sku);
  const rows = page.getByTestId('ledger').locator('tbody tr');
  await expect(rows).toHaveCount(20);
  await expect(rows.first()).toContainText('delivery 21');
  await page.getByRole('button', { name: 'Show older entries' }).click();
  // 21 deliveries and the demo's opening stock at each of the four locations.
  await expect(rows).toHaveCount(25);
  await expect(page.getByRole('button', { name: 'Show older entries' })).toHaveCount(0);
});
