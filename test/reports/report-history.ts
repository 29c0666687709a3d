import { adjustStock } from '../../src/inventory/stock.service.js';
import { createSupplier, putSupplierItem } from '../../src/purchasing/suppliers.service.js';
import type { TestApp } from '../helpers/app.js';
import { insertItem, insertWorld } from '../helpers/factories.js';
import { insertPurchaseOrder } from '../helpers/supply-factories.js';

/**
 * A small hand-made history whose report figures are worked out by hand in the tests:
 * ledger movements on chosen days, imported sales, refused demand and purchase orders.
 * The reports' period in the tests is 2026-11-01 … 2026-11-10 (ten days).
 */

const at = (day: string) => `${day}T10:00:00.000Z`;

async function move(t: TestApp, day: string, sku: string, location: string, delta: number) {
  t.clock.set(at(day));
  await adjustStock(t.ctx, { sku, location, delta, reason: 'report history' }, 'test');
}

async function idOf(t: TestApp, table: 'items' | 'locations' | 'channels', value: string) {
  const db = t.ctx.db;
  const row =
    table === 'items'
      ? await db.selectFrom('items').select('id').where('sku', '=', value).executeTakeFirstOrThrow()
      : await db.selectFrom(table).select('id').where('code', '=', value).executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Imported sales: [day, sku, location, units]. */
export async function insertSales(t: TestApp, rows: [string, string, string, number][]) {
  for (const [day, sku, location, quantity] of rows) {
    await t.ctx.db
      .insertInto('sales_history')
      .values({
        item_id: await idOf(t, 'items', sku),
        location_id: await idOf(t, 'locations', location),
        day,
        quantity,
      })
      .execute();
  }
}

/** Refused demand: [day, sku, channel, units]. */
export async function insertLostDemand(t: TestApp, rows: [string, string, string, number][]) {
  for (const [day, sku, channel, quantity] of rows) {
    await t.ctx.db
      .insertInto('lost_demand')
      .values({
        item_id: await idOf(t, 'items', sku),
        channel_id: await idOf(t, 'channels', channel),
        quantity,
        state: 'out_of_stock',
        available: 0,
        created_at: at(day),
      })
      .execute();
  }
}

export async function seedReportHistory(t: TestApp) {
  await insertWorld(t.ctx);
  await insertItem(t.ctx, { sku: 'A', name: 'Apron', category: 'kitchen', price: 12.5 });
  await insertItem(t.ctx, { sku: 'B', name: 'Bowl', category: 'kitchen', price: 8 });
  await insertItem(t.ctx, { sku: 'C', name: 'Chair', category: 'garden', price: 30 });
  await insertItem(t.ctx, { sku: 'D', name: 'Dibber', category: 'garden', price: 1 });

  // A at W1: 5 before the period, out on the 3rd, 4 back on the 5th, out again on the 8th.
  await move(t, '2026-10-20', 'A', 'W1', 5);
  await move(t, '2026-11-03', 'A', 'W1', -5);
  await move(t, '2026-11-05', 'A', 'W1', 4);
  await move(t, '2026-11-08', 'A', 'W1', -4);
  // A at S1: first stocked on the 2nd and sold out that day; out again on the 6th, back on the 7th.
  await move(t, '2026-11-02', 'A', 'S1', 3);
  await move(t, '2026-11-02', 'A', 'S1', -3);
  await move(t, '2026-11-02', 'A', 'S1', 1);
  await move(t, '2026-11-06', 'A', 'S1', -1);
  await move(t, '2026-11-07', 'A', 'S1', 2);
  // B at W1: ten units since October, never out.
  await move(t, '2026-10-01', 'B', 'W1', 10);

  await insertSales(t, [
    ['2026-10-25', 'B', 'W1', 5],
    ['2026-11-01', 'B', 'W1', 1],
    ['2026-11-02', 'B', 'W1', 1],
    ['2026-11-03', 'B', 'W1', 1],
    ['2026-11-04', 'B', 'W1', 1],
    ['2026-11-05', 'B', 'W1', 1],
    ['2026-10-30', 'C', 'S1', 1],
    ['2026-11-03', 'C', 'S1', 2],
    ['2026-11-09', 'C', 'S1', 2],
    ['2026-11-06', 'D', 'S1', 12],
  ]);
  await insertLostDemand(t, [
    ['2026-11-04', 'A', 'web', 3],
    ['2026-11-09', 'A', 'web', 2],
    ['2026-11-04', 'A', 'pos', 1],
    ['2026-10-30', 'B', 'web', 4],
  ]);

  t.clock.set('2026-11-26T10:00:00.000Z');
  await createSupplier(t.ctx, {
    code: 'ACME',
    name: 'Acme',
    email: 'po@acme.test',
    leadTimeDays: 7,
  });
  await createSupplier(t.ctx, { code: 'ZED', name: 'Zed', email: 'po@zed.test', leadTimeDays: 3 });
  await putSupplierItem(t.ctx, 'ACME', 'A', { unitCost: 4, preferred: true });
  await putSupplierItem(t.ctx, 'ZED', 'A', { unitCost: 3 });
  // One line already due (late now), one not yet; 16 units open at 5.00.
  await insertPurchaseOrder(t.ctx, {
    supplier: { id: await idOfSupplier(t, 'ACME') },
    location: 'W1',
    state: 'confirmed',
    lines: [
      { sku: 'A', ordered: 10, expectedDate: '2026-11-20' },
      { sku: 'A', ordered: 6, expectedDate: '2026-12-10' },
    ],
  });
}

async function idOfSupplier(t: TestApp, code: string) {
  const row = await t.ctx.db
    .selectFrom('suppliers')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return Number(row.id);
}
