import type { Page } from '@playwright/test';
import { expectationSentence, spokenDate } from '../src/screens/sell/promise-words';
import { expectAccessible } from './a11y';
import { type Api, expect, test } from './fixtures';

/*
 * The Sell screen against a real server: a sale from stock, a backorder taken at the
 * counter and its confirmation email, an out-of-stock answer with an alternative and
 * notify-me, and the whole sale by keyboard. Its items are its own (SELL-*), stocked at
 * the Station store (S3) only, so no other spec's stock moves touch them.
 */

const STORE = 'S3';
const CHANNEL = 'pos';

let prepared: Promise<void> | undefined;

/** The spec's items, made once per server (the worker's). */
function prepare(api: Api): Promise<void> {
  prepared ??= (async () => {
    const item = (sku: string, name: string, backorderPolicy: 'incoming' | 'none') =>
      api.POST('/v1/items', {
        body: { sku, name, category: 'kitchen', price: 24.5, backorderPolicy, handlingDays: 1 },
      });
    const stock = (sku: string, delta: number) =>
      api.POST('/v1/stock/adjustments', {
        body: { sku, location: STORE, delta, reason: 'sell e2e' },
      });
    await item('SELL-KETTLE', 'Counter Kettle', 'incoming');
    await item('SELL-KEYS', 'Keyboard Toaster', 'incoming');
    await item('SELL-LAMP', 'Backorder Lamp', 'incoming');
    await item('SELL-GONE', 'Gone Grinder', 'none');
    await item('SELL-ALT', 'Instead Grinder', 'incoming');
    await stock('SELL-KETTLE', 6);
    await stock('SELL-KEYS', 3);
    await stock('SELL-ALT', 4);
    await api.PUT('/v1/items/{sku}/links/{linkedSku}', {
      params: { path: { sku: 'SELL-GONE', linkedSku: 'SELL-ALT' } },
      body: { kind: 'replacement' },
    });
    // The lamp's only supply: a confirmed purchase order due at the store in nine days.
    const due = new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10);
    const { data: po } = await api.POST('/v1/purchase-orders', {
      body: {
        supplier: 'HOMEWARE',
        location: STORE,
        lines: [
          {
            sku: 'SELL-LAMP',
            quantity: 6,
            unitCost: 9,
            expectedDate: due,
            confidence: 'confirmed',
          },
        ],
      },
    });
    await api.POST('/v1/purchase-orders/{id}/send', { params: { path: { id: po!.id } }, body: {} });
  })();
  return prepared;
}

async function onHand(api: Api, sku: string): Promise<number> {
  const { data } = await api.GET('/v1/stock/{sku}/{location}', {
    params: { path: { sku, location: STORE } },
  });
  return data!.onHand;
}

/** Opens the screen at the Station store's till. */
async function openCounter(page: Page) {
  await page.goto('/sell');
  await page.getByRole('combobox', { name: 'Selling on' }).selectOption(CHANNEL);
  await page.getByRole('combobox', { name: 'Store' }).selectOption(STORE);
}

async function scan(page: Page, sku: string) {
  const field = page.getByRole('textbox', { name: 'SKU' });
  await field.fill(sku);
  await field.press('Enter');
}

test.describe('Sell', () => {
  test.beforeEach(async ({ api }) => {
    await prepare(api);
  });

  test('a sale from stock hands the units over: on hand drops', async ({ signedIn: page, api }) => {
    const before = await onHand(api, 'SELL-KETTLE');
    await openCounter(page);
    await page.getByLabel('Quantity').fill('2');
    await scan(page, 'SELL-KETTLE');
    await expect(page.getByRole('heading', { name: 'In stock: sell now' })).toBeVisible();
    await expect(
      page.getByText(`2 × SELL-KETTLE, ${before} available in this store.`),
    ).toBeVisible();
    await expectAccessible(page);
    await page.getByRole('button', { name: /Sell now/ }).click();
    await expect(page.getByText(/^Sold: order \d+$/)).toBeVisible();
    await expect(page.getByText(`2 × SELL-KETTLE: 2 handed over at ${STORE}.`)).toBeVisible();
    expect(await onHand(api, 'SELL-KETTLE')).toBe(before - 2);
    // Ready for the next scan.
    await expect(page.getByRole('textbox', { name: 'SKU' })).toBeFocused();
  });

  test('a quote on screen follows the stock live', async ({ signedIn: page, api }) => {
    await openCounter(page);
    await scan(page, 'SELL-KETTLE');
    const before = await onHand(api, 'SELL-KETTLE');
    await expect(
      page.getByText(`1 × SELL-KETTLE, ${before} available in this store.`),
    ).toBeVisible();
    await api.POST('/v1/stock/adjustments', {
      body: {
        sku: 'SELL-KETTLE',
        location: STORE,
        delta: -1,
        reason: 'broken on the shelf',
        type: 'damage',
      },
    });
    await expect(
      page.getByText(`1 × SELL-KETTLE, ${before - 1} available in this store.`),
    ).toBeVisible();
  });

  test('a sale by keyboard alone', async ({ signedIn: page, api }) => {
    const before = await onHand(api, 'SELL-KEYS');
    await openCounter(page);
    // The till remembers its store; on load the cursor waits in the SKU field.
    await page.reload();
    await expect(page.getByRole('combobox', { name: 'Store' })).toHaveValue(STORE);
    await expect(page.getByRole('textbox', { name: 'SKU' })).toBeFocused();
    await page.keyboard.type('SELL-KEYS');
    await page.keyboard.press('Enter');
    const sell = page.getByRole('button', { name: /Sell now/ });
    await expect(sell).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByText(/^Sold: order \d+$/)).toBeVisible();
    expect(await onHand(api, 'SELL-KEYS')).toBe(before - 1);
    // Escape starts over, with the cursor back in the SKU field.
    await page.keyboard.type('SELL-KEYS');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: /Sell now/ })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('heading', { name: 'In stock: sell now' })).toBeHidden();
    await expect(page.getByRole('textbox', { name: 'SKU' })).toBeFocused();
    expect(await onHand(api, 'SELL-KEYS')).toBe(before - 1);
  });

  test('a backorder at the counter: the date read out, consent, and the email', async ({
    signedIn: page,
    api,
    mailbox,
  }) => {
    const { data: quote } = await api.POST('/v1/orders/quote', {
      body: { channel: CHANNEL, location: STORE, lines: [{ sku: 'SELL-LAMP', quantity: 1 }] },
    });
    const promised = quote!.lines[0]!.backorder!;
    const today = new Date().toLocaleDateString('en-CA');
    await openCounter(page);
    await scan(page, 'SELL-LAMP');
    await expect(page.getByRole('heading', { name: 'Backorder: SELL-LAMP' })).toBeVisible();
    await expect(page.getByText(expectationSentence(promised, today))).toBeVisible();
    await expectAccessible(page);

    // Without consent nothing is placed.
    await page.getByLabel('Customer name').fill('Ann Counter');
    await page.getByLabel('Email or mobile number').fill('ann.counter@example.com');
    await page.getByRole('button', { name: /Take backorder/ }).click();
    await expect(
      page.getByText('The customer must agree to wait for the date above'),
    ).toBeVisible();
    await page.getByRole('checkbox', { name: /agrees to wait/ }).check();
    await page.getByRole('button', { name: /Take backorder/ }).click();
    await expect(page.getByText(/^Backorder taken: order \d+$/)).toBeVisible();
    await expect(
      page.getByText(
        `1 × SELL-LAMP: none handed over now; 1 expected on ${spokenDate(promised.date, today)}.`,
      ),
    ).toBeVisible();
    await expect(page.getByText('The confirmation goes to ann.counter@example.com.')).toBeVisible();

    const mail = await mailbox.waitFor((m) => m.to.includes('ann.counter@example.com'));
    // The email names the same day the customer was told, with its year.
    expect(mail.text).toContain(spokenDate(promised.date, '0000-01-01'));
    expect(mail.text).toContain('1 x Backorder Lamp');
  });

  test('out of stock: the reason, an alternative one key away, and notify me', async ({
    signedIn: page,
    api,
  }) => {
    await openCounter(page);
    await scan(page, 'SELL-GONE');
    await expect(page.getByRole('heading', { name: 'Out of stock: SELL-GONE' })).toBeVisible();
    await expect(page.getByText(/backorders are not allowed for this item/)).toBeVisible();
    const alternative = page.getByRole('button', { name: /Instead Grinder \(SELL-ALT\)/ });
    await expect(alternative).toBeFocused();
    await expectAccessible(page);

    await page.keyboard.press('n');
    await expect(page.getByLabel('Customer name (optional)')).toBeFocused();
    await page.keyboard.type('Bo Counter');
    await page.getByLabel('Email or mobile number').fill('bo.counter@example.com');
    await page.getByRole('checkbox', { name: /one message when it is back/ }).check();
    await page.getByRole('button', { name: 'Notify me' }).click();
    await expect(page.getByText(/^Added to the queue for SELL-GONE, number \d+\./)).toBeVisible();
    const { data: queue } = await api.GET('/v1/subscriptions', {
      params: { query: { sku: 'SELL-GONE' } },
    });
    expect(queue!.items).toContainEqual(
      expect.objectContaining({ email: 'bo.counter@example.com', state: 'waiting' }),
    );

    // The alternative, one key away, is quoted at the same counter.
    await scan(page, 'SELL-GONE');
    await expect(alternative).toBeFocused();
    await page.keyboard.press('1');
    await expect(page.getByRole('heading', { name: 'In stock: sell now' })).toBeVisible();
    await expect(page.getByText(/1 × SELL-ALT, 4 available in this store\./)).toBeVisible();
  });
});
