import type { AppContext } from '../../src/kernel/context.js';
import { createSupplier, putSupplierItem } from '../../src/purchasing/suppliers.service.js';
import { addDays } from '../../src/shared/dates.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';

/**
 * A small shop whose reorder answers are worked out by hand (dates relative to `today`):
 *
 * ACME: lead time 5 days (no deliveries yet: configured, sd 0), MOQ 30, case pack 12.
 * OTHER: lead time 3 days, MOQ 1, case pack 1.
 * Every history below is constant for 400 days, so every backtest is exact, the forecast
 * is that constant with no error, and safety stock is 0: reorder point = order-up-to =
 * daily demand × (lead time + 7-day review).
 *
 * - KET-01 (ACME only) at W1: 4 a day, 10 on hand. Up to 4 × 12 = 48; position 10 → need
 *   38 → 48 in cases of 12 (above the MOQ). Runs out on day 3 (10 − 12 < 0), before an
 *   order sent today arrives on day 5: a projected shortage.
 * - MUG-01 (ACME preferred, OTHER too) at W1: 3 a day, 30 on hand. Up to 36; need 6 →
 *   12 in cases, but the MOQ 30 makes it 36 (30 in whole cases). Runs out on day 11
 *   (30 − 33 < 0), after an order sent today arrives: no alert.
 * - TEA-01 (OTHER only) at S1: 2 a day, 100 on hand: up to 2 × 10 = 20, nothing to order.
 * - LAMP-01 (ACME and OTHER, neither preferred) and BOWL-01 (no supplier): skipped.
 */
export async function insertReplenishmentWorld(ctx: AppContext, today: string) {
  await insertWorld(ctx);
  await createSupplier(ctx, {
    code: 'ACME',
    name: 'Acme',
    email: 'orders@acme.test',
    leadTimeDays: 5,
    minOrderQuantity: 30,
    casePack: 12,
  });
  await createSupplier(ctx, {
    code: 'OTHER',
    name: 'Other',
    email: 'orders@other.test',
    leadTimeDays: 3,
  });
  const items = [
    { sku: 'KET-01', serviceLevel: 0.95, price: 40 },
    { sku: 'MUG-01', serviceLevel: 0.9, price: 8 },
    { sku: 'TEA-01', serviceLevel: 0.9, price: 5 },
    { sku: 'LAMP-01', serviceLevel: null, price: 30 },
    { sku: 'BOWL-01', serviceLevel: null, price: 12 },
  ];
  for (const item of items) await insertItem(ctx, item);
  await putSupplierItem(ctx, 'ACME', 'KET-01', { unitCost: 7.5 });
  await putSupplierItem(ctx, 'ACME', 'MUG-01', { unitCost: 2.25, preferred: true });
  await putSupplierItem(ctx, 'OTHER', 'MUG-01', { unitCost: 2 });
  await putSupplierItem(ctx, 'OTHER', 'TEA-01', { unitCost: 1.1 });
  await putSupplierItem(ctx, 'ACME', 'LAMP-01', { unitCost: 11 });
  await putSupplierItem(ctx, 'OTHER', 'LAMP-01', { unitCost: 12 });

  await salesHistory(ctx, 'KET-01', 'W1', today, 4);
  await salesHistory(ctx, 'MUG-01', 'W1', today, 3);
  await salesHistory(ctx, 'TEA-01', 'S1', today, 2);
  await putStock(ctx, 'KET-01', 'W1', 10);
  await putStock(ctx, 'MUG-01', 'W1', 30);
  await putStock(ctx, 'TEA-01', 'S1', 100);
}

/** The same sales every day for `days` days (long enough to backtest), ending yesterday. */
export async function salesHistory(
  ctx: AppContext,
  sku: string,
  location: string,
  today: string,
  perDay: number,
  days = 400,
) {
  const item = await ctx.db
    .selectFrom('items')
    .select('id')
    .where('sku', '=', sku)
    .executeTakeFirstOrThrow();
  const place = await ctx.db
    .selectFrom('locations')
    .select('id')
    .where('code', '=', location)
    .executeTakeFirstOrThrow();
  await ctx.db
    .insertInto('sales_history')
    .values(
      Array.from({ length: days }, (_, i) => ({
        item_id: item.id,
        location_id: place.id,
        day: addDays(today, i - days),
        quantity: perDay,
      })),
    )
    .execute();
}
