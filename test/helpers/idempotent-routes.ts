import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { json, type TestApp } from './app.js';
import { insertItem, insertWorld, putStock } from './factories.js';

/** The write routes that take an optional Idempotency-Key, for the tests that prove it. */

export interface IdempotentRoute {
  name: string;
  method: 'POST';
  url: (t: IdempotencyWorld) => string;
  /** A distinct request for each n (n > 0, small). */
  body: (n: number) => Record<string, unknown>;
  status: number;
}

export interface IdempotencyWorld {
  t: TestApp;
  draftPurchaseOrder: number;
}

const LATER = '2026-12-01';
let unique = 0;
export const fresh = () => ++unique;

export const idempotentRoutes: IdempotentRoute[] = [
  {
    name: 'POST /v1/stock/adjustments',
    method: 'POST',
    url: () => '/v1/stock/adjustments',
    body: (n) => ({ sku: 'KET', location: 'W1', delta: -n, reason: 'breakage' }),
    status: 201,
  },
  {
    name: 'POST /v1/stock/counts',
    method: 'POST',
    url: () => '/v1/stock/counts',
    body: (n) => ({ sku: 'CNT', location: 'S1', quantity: 1000 + n }),
    status: 201,
  },
  {
    name: 'POST /v1/stock/transfers',
    method: 'POST',
    url: () => '/v1/stock/transfers',
    body: (n) => ({ sku: 'KET', from: 'W1', to: 'S1', quantity: n }),
    status: 201,
  },
  {
    name: 'POST /v1/transfers',
    method: 'POST',
    url: () => '/v1/transfers',
    body: (n) => ({ sku: 'KET', from: 'W1', to: 'S1', quantity: n, expectedDate: LATER }),
    status: 201,
  },
  {
    name: 'POST /v1/purchase-orders',
    method: 'POST',
    url: () => '/v1/purchase-orders',
    body: (n) => ({ supplier: 'ACME', location: 'W1', lines: [{ sku: 'KET', quantity: n }] }),
    status: 201,
  },
  {
    name: 'POST /v1/purchase-orders/:id/lines',
    method: 'POST',
    url: (w) => `/v1/purchase-orders/${w.draftPurchaseOrder}/lines`,
    body: (n) => ({ sku: 'KET', quantity: n }),
    status: 201,
  },
  {
    name: 'POST /v1/customers',
    method: 'POST',
    url: () => '/v1/customers',
    body: (n) => ({
      name: `Customer ${n}`,
      email: `c${n}@example.test`,
      preferredChannel: 'email',
    }),
    status: 201,
  },
  {
    name: 'POST /v1/subscriptions',
    method: 'POST',
    url: () => '/v1/subscriptions',
    body: (n) => ({
      sku: 'GONE',
      channel: 'web',
      email: `s${n}@example.test`,
      preferredChannel: 'email',
    }),
    status: 201,
  },
];

/** What any of the routes above changes: stock, ledger and every row they create. */
export async function fingerprint(t: TestApp): Promise<string> {
  const counts = await sql<Record<string, unknown>>`
    select
      (select count(*) from stock_ledger) as ledger,
      (select coalesce(sum(on_hand), 0) from stock) as on_hand,
      (select count(*) from transfers) as transfers,
      (select count(*) from purchase_orders) as purchase_orders,
      (select count(*) from purchase_order_lines) as lines,
      (select count(*) from customers) as customers,
      (select count(*) from subscriptions) as subscriptions,
      (select count(*) from idempotency_keys) as keys`.execute(t.ctx.db);
  return JSON.stringify(counts.rows[0], (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
}

/**
 * insertWorld, KET (100,000 at W1) sold by supplier ACME, CNT, GONE (out of stock
 * everywhere); returns a draft purchase order's id for the add-a-line route.
 */
export async function buildIdempotencyWorld(t: TestApp): Promise<number> {
  await insertWorld(t.ctx);
  await insertItem(t.ctx, { sku: 'KET', name: 'Kettle' });
  await insertItem(t.ctx, { sku: 'CNT', name: 'Counted' });
  await insertItem(t.ctx, { sku: 'GONE', name: 'Out of stock' });
  await putStock(t.ctx, 'KET', 'W1', 100_000);
  const supplier = await t.request({
    method: 'POST',
    url: '/v1/suppliers',
    body: { code: 'ACME', name: 'Acme', email: 'po@acme.test', leadTimeDays: 10 },
  });
  assert.equal(supplier.statusCode, 201, supplier.body);
  const sells = await t.request({
    method: 'PUT',
    url: '/v1/suppliers/ACME/items/KET',
    body: { unitCost: 20 },
  });
  assert.equal(sells.statusCode, 200, sells.body);
  const draft = await t.request({
    method: 'POST',
    url: '/v1/purchase-orders',
    body: { supplier: 'ACME', location: 'W1', lines: [{ sku: 'KET', quantity: 1 }] },
  });
  assert.equal(draft.statusCode, 201, draft.body);
  return json<{ id: number }>(draft).id;
}
