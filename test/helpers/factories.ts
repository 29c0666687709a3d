import type { Principal } from '../../src/access/principal.js';
import type { CreateChannelBody } from '../../src/catalogue/channels.schemas.js';
import { createChannel } from '../../src/catalogue/channels.service.js';
import type { CreateItemBody } from '../../src/catalogue/items.schemas.js';
import { createItem } from '../../src/catalogue/items.service.js';
import type { CreateLocationBody } from '../../src/catalogue/locations.schemas.js';
import { createLocation } from '../../src/catalogue/locations.service.js';
import { adjustStock, setSafetyStock } from '../../src/inventory/stock.service.js';
import type { AppContext } from '../../src/kernel/context.js';

/** Factories fill sensible defaults so a test states only what it is about. */

/** An admin API key's caller, for tests that call use cases directly. */
export const ADMIN_PRINCIPAL: Principal = {
  scope: 'key:1',
  name: 'test',
  role: 'admin',
  channel: null,
  actor: 'key:1/test',
};

let counter = 0;
const next = () => ++counter;

export function insertItem(ctx: AppContext, overrides: Partial<CreateItemBody> = {}) {
  return createItem(ctx, {
    sku: `SKU-${next()}`,
    name: 'Test item',
    category: 'kitchen',
    price: 10,
    ...overrides,
  });
}

export function insertLocation(ctx: AppContext, overrides: Partial<CreateLocationBody> = {}) {
  return createLocation(ctx, {
    code: `L${next()}`,
    name: 'Test location',
    kind: 'warehouse',
    ...overrides,
  });
}

export function insertChannel(
  ctx: AppContext,
  overrides: Partial<CreateChannelBody> & { locations: string[] },
) {
  return createChannel(ctx, {
    code: `C${next()}`,
    name: 'Test channel',
    kind: 'online',
    ...overrides,
  });
}

/** Puts `onHand` units of an item at a location through a real adjustment (ledger row included). */
export async function putStock(
  ctx: AppContext,
  sku: string,
  location: string,
  onHand: number,
  safetyStock?: number,
) {
  if (onHand > 0) {
    await adjustStock(ctx, { sku, location, delta: onHand, reason: 'test stock' }, 'test');
  }
  if (safetyStock !== undefined) await setSafetyStock(ctx, sku, location, safetyStock);
}

/**
 * A small world most tests start from: warehouse W1 and store S1, channel "web" served
 * by W1 then S1, channel "pos" served by S1.
 */
export async function insertWorld(ctx: AppContext) {
  await insertLocation(ctx, { code: 'W1', name: 'Main warehouse', kind: 'warehouse' });
  await insertLocation(ctx, {
    code: 'S1',
    name: 'High Street',
    kind: 'store',
    timeZone: 'Europe/London',
  });
  await insertChannel(ctx, {
    code: 'web',
    name: 'Web shop',
    kind: 'online',
    locations: ['W1', 'S1'],
  });
  await insertChannel(ctx, { code: 'pos', name: 'Tills', kind: 'pos', locations: ['S1'] });
}
