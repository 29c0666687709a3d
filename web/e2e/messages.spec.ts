import { expectAccessible } from './a11y';
import { type Api, expect, test } from './fixtures';

/*
 * Messages and alerts. A message fails for real: the worker's SMTP mailbox refuses one
 * recipient with 550, which the dispatcher takes as final (dead at once); once the mailbox
 * takes mail for it again, Retry in the outbox sends it and it arrives.
 */

test('a failed email is retried from the outbox and arrives', async ({
  signedIn: page,
  api,
  mailbox,
}) => {
  const email = `refused-${Date.now()}@example.com`;
  mailbox.refuse(email);
  const id = await shipOrderTo(api, email);
  await expect.poll(async () => (await message(api, id)).state, { timeout: 20_000 }).toBe('dead');

  await page.goto('/messages?view=outbox&state=dead');
  const row = page.getByTestId(`message-${id}`);
  await expect(row).toContainText('Failed');
  await expect(row).toContainText('Shipped');
  await expect(row).toContainText('550');
  await expect(row).not.toContainText(email); // masked in the list
  await expectAccessible(page);

  await row.getByRole('button', { name: `Details of message ${id}` }).click();
  const dialog = page.getByRole('dialog', { name: `Message ${id}` });
  await expect(dialog).toContainText(email);
  await expect(dialog.getByRole('cell', { name: 'failed', exact: true })).toBeVisible();
  await expectAccessible(page, { exclude: ['iframe'] });
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  mailbox.accept(email);
  await row.getByRole('button', { name: `Retry message ${id}` }).click();
  await expect(page.getByText(`Message ${id} will be sent again shortly`)).toBeVisible();
  const mail = await mailbox.waitFor((m) => m.to.includes(email));
  expect(mail.subject).toContain('on its way');
  // The list follows the dispatcher by itself: the message leaves the failed filter…
  await expect(row).toHaveCount(0, { timeout: 15_000 });
  // …and shows as sent, its second attempt logged.
  await page.getByLabel('State').selectOption('sent');
  await expect(page.getByTestId(`message-${id}`)).toContainText('Sent');
  expect((await message(api, id)).attemptLog.map((a) => a.outcome)).toEqual([
    'failed',
    'delivered',
  ]);
});

test('editing a template updates its live preview, and saving keeps it', async ({
  signedIn: page,
  api,
}) => {
  await page.goto('/messages?view=templates');
  await page.getByLabel('Message kind').selectOption('delay');
  const subject = page.getByLabel('Subject');
  const previewSubject = page.getByTestId('preview-subject');
  await expect(previewSubject).not.toBeEmpty();
  await subject.fill('Running late: {{name}} now {{newDateShort}}');
  await expect(previewSubject).toHaveText(/^Running late: .+ now \d{1,2} \w{3} \d{4}$/);
  await expectAccessible(page, { exclude: ['iframe'] });

  // A draft that does not parse is named, and nothing is saved by previewing.
  await page.getByLabel('SMS').fill('{{#lines}} unclosed');
  await expect(page.getByTestId('template-preview').getByRole('alert')).toContainText(
    '/template/sms',
  );
  expect((await template(api, 'delay')).customised).toBe(false);

  await page.getByRole('button', { name: 'Discard changes' }).click();
  await subject.fill('Running late: {{name}}');
  await expect(previewSubject).toHaveText(/^Running late: \S+/);
  await page.getByRole('button', { name: 'Save template' }).click();
  await expect(page.getByText('Template saved')).toBeVisible();
  const saved = await template(api, 'delay');
  expect(saved.subject).toBe('Running late: {{name}}');
  expect(saved.customised).toBe(true);

  // Back to the built-in words, so no other spec's messages read differently.
  await page.getByRole('button', { name: 'Restore built-in' }).click();
  await expect.poll(async () => (await template(api, 'delay')).customised).toBe(false);
});

test('alerts list with their state and actions', async ({ signedIn: page }) => {
  await page.goto('/messages');
  await page.getByRole('tab', { name: 'Alerts' }).click();
  await expect(page).toHaveURL(/view=alerts/);
  // The demo store opens low-stock alerts as it loads.
  const table = page.getByRole('table', { name: 'Staff alerts, newest first' });
  await expect(table.getByRole('row').nth(1)).toContainText('Open');
  await expectAccessible(page);
  await page.getByLabel('Alert state').selectOption('resolved');
  await expect(page.getByText('Loading alerts…')).toHaveCount(0);
  await page.getByLabel('Alert state').selectOption('open');
  const first = table.getByRole('row').nth(1);
  await first.getByRole('button', { name: /^Emails about alert/ }).click();
  await expect(page).toHaveURL(/view=outbox&alert=\d+/);
  await expect(page.getByRole('button', { name: /emails: show all/ })).toBeVisible();
  await expectAccessible(page);
});

async function message(api: Api, id: number) {
  const { data } = await api.GET('/v1/messages/{id}', { params: { path: { id } } });
  if (!data) throw new Error(`message ${id} not read`);
  return data;
}

async function template(api: Api, kind: string) {
  const { data } = await api.GET('/v1/message-templates/{kind}', { params: { path: { kind } } });
  if (!data) throw new Error(`template ${kind} not read`);
  return data;
}

/**
 * Places an order on the marketplace channel (its own warehouse stock, which other specs
 * leave alone) for `email` and ships it: the "shipped" email goes to them. Returns its id.
 */
async function shipOrderTo(api: Api, email: string): Promise<number> {
  const { data: feed } = await api.GET('/v1/availability', {
    params: { query: { channel: 'market', state: 'in_stock', limit: 200 } },
  });
  const items = feed?.items ?? [];
  const item = items[items.length - 1];
  if (!item) throw new Error('no item in stock on market');
  const { data: order } = await api.POST('/v1/orders', {
    params: { header: { 'idempotency-key': `admin-e2e-${email}` } },
    body: {
      channel: 'market',
      customer: { name: 'Rita Refused', email, preferredChannel: 'email' },
      lines: [{ sku: item.sku, quantity: 1 }],
    },
  });
  if (!order) throw new Error('order not placed');
  await api.POST('/v1/orders/{id}/fulfilments', {
    params: { path: { id: order.id } },
    body: { fulfilmentId: `ship-${email}`, kind: 'shipment', lines: [{ line: 1, quantity: 1 }] },
  });
  const { data: page } = await api.GET('/v1/messages', {
    params: { query: { recipient: email, template: 'shipped' } },
  });
  const shipped = page?.items[0];
  if (!shipped) throw new Error(`no shipped message to ${email}`);
  return shipped.id;
}
