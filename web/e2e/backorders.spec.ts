import { expectAccessible, screenSettled } from './a11y';
import { type Api, expect, test } from './fixtures';

/** Its own item, so the queue this spec reads holds only the lines it placed. */
const SKU = 'E2E-BO-01';

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

async function place(api: Api, reference: string, customer: string): Promise<number> {
  const { data } = await api.POST('/v1/orders', {
    params: { header: { 'idempotency-key': `e2e-${reference}` } },
    body: {
      channel: 'web',
      reference,
      customer: { name: customer, email: `${reference.toLowerCase()}@example.test` },
      lines: [{ sku: SKU, quantity: 2, acceptBackorder: true }],
    },
  });
  return data!.id;
}

/**
 * Two orders wait for a purchase order that is then cancelled: both lines lose their date
 * and need a decision.
 */
async function twoUnpromisedLines(api: Api): Promise<{ cancelled: number; kept: number }> {
  await api.POST('/v1/items', {
    body: {
      sku: SKU,
      name: 'Backorder Test Vase',
      category: 'e2e',
      price: 20,
      backorderPolicy: 'incoming',
    },
  });
  await api.PUT('/v1/suppliers/{code}/items/{sku}', {
    params: { path: { code: 'HOMEWARE', sku: SKU } },
    body: { unitCost: 6, leadTimeDays: 10 },
  });
  const { data: po } = await api.POST('/v1/purchase-orders', {
    body: {
      supplier: 'HOMEWARE',
      location: 'W1',
      lines: [{ sku: SKU, quantity: 4, expectedDate: inDays(5) }],
    },
  });
  await api.POST('/v1/purchase-orders/{id}/send', { params: { path: { id: po!.id } }, body: {} });
  const cancelled = await place(api, 'E2E-BO-A', 'Ann Cancel');
  const kept = await place(api, 'E2E-BO-B', 'Ben Keep');
  await api.POST('/v1/purchase-orders/{id}/cancel', {
    params: { path: { id: po!.id } },
    body: { reason: 'e2e: the supplier cannot deliver' },
  });
  return { cancelled, kept };
}

test('an unpromised line cancelled through the UI disappears and its order is cancelled; one kept waiting stays', async ({
  signedIn: page,
  api,
}) => {
  const orders = await twoUnpromisedLines(api);
  await page
    .getByRole('navigation', { name: 'Screens' })
    .getByRole('link', { name: 'Backorders' })
    .click();
  await page.getByLabel('Item SKU').fill(SKU);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(new RegExp(`/backorders\\?sku=${SKU}$`));
  await screenSettled(page);

  const decisions = page.getByRole('table', { name: 'Lines with no date' });
  const rowOf = (reference: string) => decisions.getByRole('row').filter({ hasText: reference });
  await expect(rowOf('E2E-BO-A')).toBeVisible();
  await expect(rowOf('E2E-BO-B')).toBeVisible();
  await expect(
    page.getByRole('heading', { name: `${SKU} Backorder Test Vase at W1` }),
  ).toBeVisible();
  await expectAccessible(page);

  // Cancel A, after the confirmation.
  await page.getByRole('button', { name: `Cancel line: ${SKU} on order E2E-BO-A` }).click();
  const confirm = page.getByRole('dialog', { name: /Cancel line 1 of order E2E-BO-A/ });
  await expect(confirm).toBeVisible();
  await expectAccessible(page);
  await confirm.getByLabel('Reason (optional)').fill('Customer found it elsewhere');
  await confirm.getByRole('button', { name: 'Cancel line', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(rowOf('E2E-BO-A')).toHaveCount(0);
  const { data: a } = await api.GET('/v1/orders/{id}', {
    params: { path: { id: orders.cancelled } },
  });
  expect(a?.state).toBe('cancelled');
  expect(a?.lines[0]?.cancelled).toBe(2);

  // Keep B waiting: going back first changes nothing, then the decision is recorded.
  await page.getByRole('button', { name: `Keep waiting: ${SKU} on order E2E-BO-B` }).click();
  const keep = page.getByRole('dialog', { name: /Keep line 1 of order E2E-BO-B waiting/ });
  await keep.getByRole('button', { name: 'Go back' }).click();
  await expect(keep).toBeHidden();
  await page.getByRole('button', { name: `Keep waiting: ${SKU} on order E2E-BO-B` }).click();
  await keep.getByLabel('Note (optional)').fill('Customer is happy to wait');
  await keep.getByRole('button', { name: 'Keep waiting' }).click();
  await expect(keep).toBeHidden();
  await expect(rowOf('E2E-BO-B')).toContainText('Kept waiting');
  await expect(
    page.getByRole('button', { name: `Keep waiting: ${SKU} on order E2E-BO-B` }),
  ).toHaveCount(0);
  const { data: b } = await api.GET('/v1/orders/{id}', { params: { path: { id: orders.kept } } });
  expect(b?.state).toBe('waiting');
  expect(b?.lines[0]?.state).toBe('unpromised');
  const { data: waiting } = await api.GET('/v1/order-lines/waiting', {
    params: { query: { sku: SKU } },
  });
  expect(waiting?.items.map((line) => [line.reference, line.keptWaiting?.note])).toEqual([
    ['E2E-BO-B', 'Customer is happy to wait'],
  ]);
  await expectAccessible(page);
});
