import { expectAccessible, screenSettled } from './a11y';
import { ADMIN_EMAIL, ADMIN_PASSWORD, expect, signIn, startStockroom, test } from './fixtures';

/** The nav entries of web/src/routes.tsx, in order. */
const SCREENS = [
  { name: 'Today', path: '/' },
  { name: 'Stock', path: '/stock' },
  { name: 'Sell', path: '/sell' },
  { name: 'Backorders', path: '/backorders' },
  { name: 'Purchasing', path: '/purchasing' },
  { name: 'Messages and alerts', path: '/messages' },
  { name: 'Reports', path: '/reports' },
  { name: 'Settings', path: '/settings' },
];

test('signing in and out through the UI', async ({ page }) => {
  await page.goto('/stock');
  // Not signed in: sent to sign in, then back to the page asked for.
  await expect(page).toHaveURL(/\/sign-in$/);
  await expectAccessible(page);
  await page.getByLabel('Email').fill(ADMIN_EMAIL);
  await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/stock$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Stock' })).toBeVisible();
  await expect(page.getByTestId('signed-in-user')).toHaveAttribute('title', ADMIN_EMAIL);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  // The session survives a reload (the cookie, not page state).
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Stock' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
  const session = await page.request.get('/v1/session');
  expect(session.status()).toBe(401);
});

test('a wrong password shows the API’s error and signs nobody in', async ({ page }) => {
  await page.goto('/sign-in');
  // Not the admin's email: five failures for one email lock it for 15 minutes, and the
  // worker's other tests sign in as the admin. An unknown email answers the same 401.
  await page.getByLabel('Email').fill('wrong-password@e2e.stockroom.test');
  await page.getByRole('textbox', { name: 'Password' }).fill('not-the-password');
  const answer = page.waitForResponse(
    (response) => response.url().endsWith('/v1/session') && response.request().method() === 'POST',
  );
  await page.getByRole('button', { name: 'Sign in' }).click();
  const response = await answer;
  expect(response.status()).toBe(401);
  const { error } = (await response.json()) as { error: { message: string } };
  await expect(page.getByRole('alert')).toContainText(error.message);
  await expect(page).toHaveURL(/\/sign-in$/);
  await expectAccessible(page);
});

test('repeated failed sign-ins are rate-limited, with the 429 message shown', async ({ page }) => {
  // Its own server: the limit it trips would refuse the other tests' sign-ins too.
  const server = await startStockroom({ demo: false });
  try {
    await page.goto(`${server.baseURL}/sign-in`);
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByRole('textbox', { name: 'Password' }).fill('wrong-every-time');
    let limited: { message: string } | undefined;
    for (let attempt = 1; attempt <= 100 && !limited; attempt++) {
      const answer = page.waitForResponse(
        (response) =>
          response.url().endsWith('/v1/session') && response.request().method() === 'POST',
      );
      await page.getByRole('button', { name: 'Sign in' }).click();
      const response = await answer;
      if (response.status() === 429) {
        limited = ((await response.json()) as { error: { message: string } }).error;
      } else {
        expect(response.status()).toBe(401);
      }
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
    }
    expect(limited, 'no 429 within 100 failed sign-ins').toBeDefined();
    await expect(page.getByRole('alert')).toContainText(limited!.message);
  } finally {
    await server.stop();
  }
});

test('every screen in the navigation opens and passes axe', async ({ signedIn: page }) => {
  const nav = page.getByRole('navigation', { name: 'Screens' });
  for (const screen of SCREENS) {
    await nav.getByRole('link', { name: screen.name, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${screen.path === '/' ? '/$' : screen.path}`));
    await screenSettled(page);
    await expect(nav.getByRole('link', { name: screen.name, exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await expectAccessible(page);
  }
});

test('the keyboard reaches the skip link first, then the navigation', async ({
  signedIn: page,
}) => {
  await page.goto('/stock');
  await screenSettled(page);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();

  await page.goto('/');
  await screenSettled(page);
  const firstNavLink = page
    .getByRole('navigation', { name: 'Screens' })
    .getByRole('link', { name: 'Stock', exact: true });
  let reached = false;
  for (let presses = 0; presses < 15 && !reached; presses++) {
    await page.keyboard.press('Tab');
    reached = await firstNavLink.evaluate((link) => link === document.activeElement);
  }
  expect(reached, 'Tab never reached the Stock link in the navigation').toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/stock$/);
});

test('signing in again after signing out works (fixture helper)', async ({ page }) => {
  await signIn(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});
