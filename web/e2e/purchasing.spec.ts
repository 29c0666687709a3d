import { expect, type Page } from '@playwright/test';
import { expectAccessible, test } from './fixtures';

/*
 * The purchasing screen against the real server and the demo store. Its SKUs are its own
 * (tools), so the other specs' sales and receipts never move these numbers:
 * TOO-0702 has no stock and nothing on order (a new order is made for it here), and
 * TOO-0102 waits for purchase order 1 (its date is slipped here).
 */
const RECEIVED_SKU = 'TOO-0702';
const SLIPPED_SKU = 'TOO-0102';

interface Order {
  id: number;
  customer: { id: number } | null;
  lines: { backordered: number; state: string }[];
}
interface PurchaseOrder {
  id: number;
  lines: { id: number; sku: string; expectedDate: string }[];
}

const isoDay = (offsetDays: number, from = new Date()) =>
  new Date(from.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);

async function openOrder(page: Page, id: number) {
  await page.goto(`/purchasing/orders/${id}`);
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(`^PO ${id}`) })).toBeVisible();
}

test('create and send a purchase order, receive it by scanning, and see the waiting line ready live in a second tab', async ({
  signedIn: page,
  api,
}) => {
  const placed = await api.post('/v1/orders', {
    channel: 'web',
    reference: 'E2E-PURCHASING-RECEIVE',
    customer: { name: 'Robin Receive', email: 'robin.receive@example.test' },
    lines: [{ sku: RECEIVED_SKU, quantity: 2, acceptBackorder: true }],
  });
  expect(placed.status).toBe(201);
  const order = (await placed.json()) as Order;
  expect(order.lines[0]?.backordered).toBe(2);

  await page.goto('/purchasing');
  await expect(page.getByRole('heading', { level: 2, name: 'Purchase orders' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Purchase orders' })).toContainText('PO 1');
  await expectAccessible(page);

  await page.getByRole('link', { name: 'New purchase order' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'New purchase order' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Supplier' }).click();
  await page.getByRole('option', { name: /^QUICK/ }).click();
  await page.getByRole('combobox', { name: 'Deliver to' }).click();
  await page.getByRole('option', { name: /^W1/ }).click();
  await page.getByLabel('SKU, line 1').fill(RECEIVED_SKU);
  await page.getByLabel('Quantity, line 1').fill('5');
  await page.getByLabel('Unit cost, line 1').fill('11.50');
  await page.getByLabel('Expected, line 1').fill(isoDay(4));
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Create draft' }).click();

  const heading = page.getByRole('heading', { level: 2, name: /^PO \d+/ });
  await expect(heading).toBeVisible();
  const poId = Number(/PO (\d+)/.exec(await heading.innerText())?.[1]);
  await expect(page.getByTestId('po-state')).toHaveText('Draft');
  await page.getByRole('button', { name: 'Send to supplier' }).click();
  await expect(page.getByTestId('po-state')).toHaveText('Sent');
  await expectAccessible(page);

  // The second tab: the item's backorder queue, with the customer's line waiting.
  const itemTab = await page.context().newPage();
  await itemTab.goto(`/items/${RECEIVED_SKU}`);
  const queue = itemTab.getByTestId('backorder-queue');
  const waitingRow = queue.getByRole('row', { name: new RegExp(`Order ${order.id}, line 1`) });
  await expect(waitingRow).toBeVisible();

  await page.bringToFront();
  await page.getByRole('link', { name: 'Receive goods' }).click();
  const scan = page.getByLabel('Scan or type a SKU, then Enter');
  await expect(scan).toBeFocused();
  for (let unit = 0; unit < 5; unit++) {
    await scan.fill(RECEIVED_SKU.toLowerCase());
    await scan.press('Enter');
  }
  await expect(page.getByRole('status').filter({ hasText: `${RECEIVED_SKU}: 5 counted` })).toBeVisible();
  await expect(page.getByLabel(`Counted ${RECEIVED_SKU}`)).toHaveValue('5');
  await scan.fill('NOT-A-SKU');
  await scan.press('Enter');
  await expect(page.getByText(`NOT-A-SKU is not an open line of PO ${poId}`)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Post receipt' }).click();
  await expect(page.getByText(/Receipt .* posted: 5 units/)).toBeVisible();
  await expect(page.getByTestId('po-state')).toHaveText('Received');

  // No reload: the receipt's events reach the other tab over the live stream.
  await expect(waitingRow).toHaveCount(0, { timeout: 15_000 });
  const after = (await (await api.get(`/v1/orders/${order.id}`)).json()) as Order;
  expect(after.lines[0]?.state).toBe('ready');
  await itemTab.close();
});

test('slip an expected date: the preview names the customer and their message, Save queues the delay', async ({
  signedIn: page,
  api,
}) => {
  const list = (await (await api.get(`/v1/purchase-orders?sku=${SLIPPED_SKU}`)).json()) as {
    items: PurchaseOrder[];
  };
  const po = list.items[0];
  const line = po?.lines.find((l) => l.sku === SLIPPED_SKU);
  if (!po || !line) throw new Error(`the demo store has no purchase order for ${SLIPPED_SKU}`);
  const placed = await api.post('/v1/orders', {
    channel: 'web',
    reference: 'E2E-PURCHASING-SLIP',
    customer: { name: 'Pat Slip', email: 'pat.slip@example.test' },
    lines: [{ sku: SLIPPED_SKU, quantity: 200, acceptBackorder: true }],
  });
  expect(placed.status).toBe(201);
  const order = (await placed.json()) as Order;

  await openOrder(page, po.id);
  await page.getByRole('button', { name: `Change date of ${SLIPPED_SKU}` }).click();
  const dialog = page.getByRole('dialog', { name: `Change the expected date of ${SLIPPED_SKU}` });
  const slipped = isoDay(9, new Date(`${line.expectedDate}T00:00:00Z`));
  await dialog.getByLabel('New expected date').fill(slipped);
  await dialog.getByLabel('Reason').fill('Factory closed for a week');
  await dialog.getByRole('button', { name: 'Preview' }).click();

  const customers = dialog.getByRole('list', { name: 'Customers re-promised' });
  const pat = customers.getByRole('listitem').filter({ hasText: 'Pat Slip' });
  await expect(pat).toBeVisible();
  await expect(pat).toContainText('p••••••@example.test');
  await expect(pat).toContainText('delay');
  await expect(pat).toContainText(/is delayed/);
  await expectAccessible(page);
  // Nothing is saved by a preview: the line still has its old date.
  const before = (await (await api.get(`/v1/purchase-orders/${po.id}`)).json()) as PurchaseOrder;
  expect(before.lines.find((l) => l.id === line.id)?.expectedDate).toBe(line.expectedDate);

  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('table', { name: `History of PO ${po.id}` })).toContainText(
    'Factory closed for a week',
  );
  const messages = (await (
    await api.get(`/v1/messages?template=delay&order=${order.id}`)
  ).json()) as { items: { template: string; recipient: string }[] };
  expect(messages.items.map((m) => [m.template, m.recipient])).toEqual([
    ['delay', 'pat.slip@example.test'],
  ]);
});

test('suppliers with their performance, and suggested orders made into a draft', async ({
  signedIn: page,
}) => {
  await page.goto('/purchasing/suppliers');
  await expect(page.getByRole('heading', { level: 2, name: 'Suppliers' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'HOMEWARE' }).click();
  await expect(page.getByRole('heading', { level: 3, name: 'Performance' })).toBeVisible();
  await expect(page.getByText('Fill rate')).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Suggested orders' }).click();
  await page.getByRole('button', { name: 'Recompute suggestions' }).click();
  const first = page.getByRole('article').first();
  await expect(first).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page);
  await first.getByRole('button', { name: 'Make draft PO' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /^PO \d+/ })).toBeVisible();
  await expect(page.getByTestId('po-state')).toHaveText('Draft');
});
