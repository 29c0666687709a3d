import { expectAccessible } from './a11y';
import { apiFor, expect, signIn, test } from './fixtures';

test('an admin creates a staff user, who signs in and sees no Settings actions', async ({
  signedIn: page,
  browser,
  server,
}) => {
  const email = `clerk-${Date.now()}@example.com`;
  const password = 'counter-clerk-password-1';
  await page.goto('/settings/users');
  await expectAccessible(page);
  const form = page.getByRole('form', { name: 'New user' });
  await form.getByLabel('Name').fill('Counter Clerk');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Role').selectOption('staff');
  await form.getByRole('textbox', { name: 'Initial password' }).fill(password);
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('row', { name: new RegExp(email) })).toBeVisible();

  const context = await browser.newContext({ baseURL: server.baseURL });
  const clerk = await context.newPage();
  await signIn(clerk, email, password);
  await expect(clerk.getByTestId('signed-in-user')).toHaveAttribute('title', email);
  await clerk.goto('/settings/keys');
  await expect(clerk.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(clerk.getByText('Settings are for admins')).toBeVisible();
  await expect(clerk.getByRole('button', { name: /Create/ })).toHaveCount(0);
  await expectAccessible(clerk);
  await context.close();
});

test('an API key is created, shown once, works, and stops working when revoked', async ({
  signedIn: page,
  server,
}) => {
  const name = `Till sync ${Date.now()}`;
  await page.goto('/settings/keys');
  const form = page.getByRole('form', { name: 'New API key' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Role').selectOption('staff');
  await form.getByRole('button', { name: 'Create key' }).click();
  const secret = ((await page.getByTestId('secret-once').textContent()) ?? '').trim();
  expect(secret).toMatch(/^sr_/);
  await expectAccessible(page);
  const withKey = apiFor(server.baseURL, secret);
  const before = await withKey.GET('/v1/items', { params: { query: { limit: 1 } } });
  expect(before.response.status).toBe(200);

  await page.getByRole('button', { name: 'I have stored it' }).click();
  await expect(page.getByTestId('secret-once')).toHaveCount(0);
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: `Revoke key ${name}` }).click();
  await expect(page.getByText(`Key “${name}” revoked`)).toBeVisible();
  const after = await fetch(`${server.baseURL}/v1/items?limit=1`, {
    headers: { authorization: `Bearer ${secret}` },
  });
  expect(after.status).toBe(401);
});

test('a webhook is created with its event types and its secret shown once', async ({
  signedIn: page,
}) => {
  const url = `https://hooks.example.com/stockroom/${Date.now()}`;
  await page.goto('/settings/webhooks');
  const form = page.getByRole('form', { name: 'New webhook' });
  await form.getByLabel('URL').fill(url);
  await form.getByLabel('Description').fill('Marketplace connector');
  await form.getByLabel('Event types').click();
  await page.getByRole('option', { name: 'order.placed' }).click();
  await page.getByRole('option', { name: 'po.received' }).click();
  await page.keyboard.press('Escape');
  await form.getByRole('button', { name: 'Create webhook' }).click();
  await expect(page.getByTestId('secret-once')).toContainText('whsec_');
  const row = page.getByRole('row', { name: new RegExp(url) });
  await expect(row).toContainText('order.placed, po.received');
  await expectAccessible(page);
  await row.getByRole('button', { name: `Deliveries to ${url}` }).click();
  await expect(page.getByRole('dialog')).toContainText('No deliveries yet');
  await expectAccessible(page);
});

test('channels and locations are listed and a location is created and edited', async ({
  signedIn: page,
}) => {
  const code = `E2E${Date.now() % 100000}`;
  await page.goto('/settings/catalogue');
  await expect(page.getByRole('cell', { name: 'Web shop' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'New location' }).click();
  const dialog = page.getByRole('dialog', { name: 'New location' });
  await dialog.getByLabel('Code').fill(code);
  await dialog.getByLabel('Name').fill('Pop-up store');
  await dialog.getByLabel('Time zone').fill('Europe/London');
  await dialog.getByRole('button', { name: 'Create location' }).click();
  await expect(page.getByRole('cell', { name: 'Pop-up store' })).toBeVisible();
  await page.getByRole('button', { name: `Edit location ${code}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit location ${code}` });
  await edit.getByLabel('Name').fill('Pop-up store (winter)');
  await edit.getByRole('button', { name: 'Save location' }).click();
  await expect(page.getByRole('cell', { name: 'Pop-up store (winter)' })).toBeVisible();
});
