import { expectAccessible, screenSettled } from './a11y';
import { type Api, expect, test } from './fixtures';

/** Its own item, so no other spec's sales or receipts move what this one counts. */
const SKU = 'E2E-TODAY-01';

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

async function openAlertsFor(api: Api, sku: string): Promise<number> {
  const { data } = await api.GET('/v1/alerts', { params: { query: { limit: 1000 } } });
  return (data?.items ?? []).filter((alert) => alert.sku === sku).length;
}

/** The number a count card shows (its data-count), "3" or "100+". */
async function countOf(page: import('@playwright/test').Page, card: string): Promise<number> {
  const value = await page.getByTestId(`count-${card}`).getAttribute('data-count');
  expect(value, `count-${card}`).toMatch(/^\d+$/);
  return Number(value);
}

test('Today shows a purchase order, a backorder and an alert made through the API appear live, without a reload', async ({
  signedIn: page,
  api,
}) => {
  await api.POST('/v1/items', {
    body: {
      sku: SKU,
      name: 'Today Test Lamp',
      category: 'e2e',
      price: 12,
      lowStockThreshold: 5,
      backorderPolicy: 'incoming',
    },
  });
  await api.POST('/v1/stock/adjustments', {
    body: { sku: SKU, location: 'W1', delta: 20, reason: 'e2e: stock to run low from' },
  });
  await api.PUT('/v1/suppliers/{code}/items/{sku}', {
    params: { path: { code: 'HOMEWARE', sku: SKU } },
    body: { unitCost: 4, leadTimeDays: 7 },
  });
  // A new item starts with nothing, which may have raised an alert before the stock came.
  await expect.poll(() => openAlertsFor(api, SKU), { timeout: 15_000 }).toBe(0);

  await expect(page.getByRole('heading', { level: 1, name: 'Today' })).toBeVisible();
  await screenSettled(page);
  await expectAccessible(page);
  const backorders = await countOf(page, 'backorders');
  const due = await countOf(page, 'purchase-orders');
  // Set on this document: still there at the end proves nothing reloaded the page.
  await page.evaluate(() => {
    (window as unknown as { todayMarker: boolean }).todayMarker = true;
  });

  const { data: draft } = await api.POST('/v1/purchase-orders', {
    body: {
      supplier: 'HOMEWARE',
      location: 'W1',
      reference: 'E2E-TODAY-PO',
      lines: [{ sku: SKU, quantity: 10, expectedDate: inDays(2) }],
    },
  });
  await api.POST('/v1/purchase-orders/{id}/send', {
    params: { path: { id: draft!.id } },
    body: {},
  });
  await expect(page.getByTestId('count-purchase-orders')).toHaveAttribute(
    'data-count',
    String(due + 1),
  );
  await expect(
    page.getByRole('table', { name: 'Purchase orders due this week' }).getByRole('link', {
      name: 'E2E-TODAY-PO',
    }),
  ).toBeVisible();

  // 20 from stock and 2 backordered on the order just sent: web has none left, under 5.
  await api.POST('/v1/orders', {
    params: { header: { 'idempotency-key': 'e2e-today-order-1' } },
    body: {
      channel: 'web',
      reference: 'E2E-TODAY-1',
      lines: [{ sku: SKU, quantity: 22, acceptBackorder: true }],
    },
  });
  await expect(page.getByTestId('count-backorders')).toHaveAttribute(
    'data-count',
    String(backorders + 1),
  );
  const alerts = page.getByTestId('today-alerts');
  await expect(alerts.getByText(`${SKU} (Today Test Lamp) is low on web`)).toBeVisible({
    timeout: 15_000,
  });
  await expect(alerts.getByRole('link', { name: `Open item ${SKU}` }).first()).toHaveAttribute(
    'href',
    `/items/${SKU}`,
  );

  expect(
    await page.evaluate(() => (window as unknown as { todayMarker?: boolean }).todayMarker),
  ).toBe(true);
  await screenSettled(page);
  await expectAccessible(page);
});
