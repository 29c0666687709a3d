import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { AppContext } from '../kernel/context.js';
import { addDays } from '../shared/dates.js';
import { DEMO_CATEGORIES, DEMO_CHANNELS, DEMO_LOCATIONS, DEMO_VARIANTS } from './catalogue-data.js';
import { random } from './random.js';
import {
  anyItemExists,
  insertChannel,
  insertItem,
  insertLocation,
  insertStock,
} from './seed.repository.js';
import { type ShortItem, seedSupply } from './seed-supply.js';

/**
 * The demo store behind `npm start`: four locations, three channels and a few hundred
 * items whose stock covers every state (plenty, low, out, discontinued with and without
 * units left). A seeded generator makes every demo database the same, so the README's tour
 * and the guides (run by test/docs/guides.test.ts) hold.
 */

export async function isCatalogueEmpty(ctx: AppContext): Promise<boolean> {
  return !(await anyItemExists(ctx.db));
}

export interface DemoSummary {
  locations: number;
  channels: number;
  items: number;
  stockRows: number;
  suppliers: number;
  purchaseOrders: number;
}

export async function seedDemo(
  ctx: AppContext,
  options: { actor: string; itemsPerProduct?: number },
): Promise<DemoSummary> {
  const rand = random(20261126);
  const now = ctx.clock.now().toISOString();
  const perProduct = options.itemsPerProduct ?? 4;

  return ctx.db.transaction().execute(async (trx) => {
    const locationIds = await seedPlaces(trx, now);
    const seed: ItemSeed = { trx, now, actor: options.actor, rand, locationIds };
    const itemIds: number[] = [];
    const shortItems: ShortItem[] = [];
    for (const [category, { products, priceRange }] of Object.entries(DEMO_CATEGORIES)) {
      for (const [p, product] of products.entries()) {
        const variants = [...DEMO_VARIANTS].sort(() => rand() - 0.5).slice(0, perProduct);
        for (const [v, variant] of variants.entries()) {
          const sku = `${category.slice(0, 3).toUpperCase()}-${String(p + 1).padStart(2, '0')}${String(v + 1).padStart(2, '0')}`;
          // The first variant of the last kitchen product is announced, not yet released,
          // and none has arrived yet.
          const announced = category === 'kitchen' && p === 9 && v === 0;
          const item = await seedItem(seed, {
            sku,
            category,
            product,
            variant,
            priceRange,
            announced,
          });
          itemIds.push(item.itemId);
          if (item.short) shortItems.push({ itemId: item.itemId, priceCents: item.priceCents });
        }
      }
    }
    const supply = await seedSupply(trx, {
      now,
      actor: options.actor,
      warehouseId: locationIds.get('W1')!,
      itemIds,
      shortItems,
      rand,
    });
    return {
      locations: DEMO_LOCATIONS.length,
      channels: DEMO_CHANNELS.length,
      items: itemIds.length,
      stockRows: itemIds.length * DEMO_LOCATIONS.length,
      ...supply,
    };
  });
}

/** The locations and the channels selling from them; location ids by code. */
async function seedPlaces(trx: Transaction<DB>, now: string): Promise<Map<string, number>> {
  const locationIds = new Map<string, number>();
  for (const l of DEMO_LOCATIONS) {
    const id = await insertLocation(trx, {
      code: l.code,
      name: l.name,
      kind: l.kind,
      time_zone: l.timeZone,
      created_at: now,
      updated_at: now,
    });
    locationIds.set(l.code, id);
  }
  for (const c of DEMO_CHANNELS) {
    await insertChannel(
      trx,
      { code: c.code, name: c.name, kind: c.kind, created_at: now, updated_at: now },
      c.locations.map((code) => locationIds.get(code)!),
    );
  }
  return locationIds;
}

interface ItemSeed {
  trx: Transaction<DB>;
  now: string;
  actor: string;
  rand: () => number;
  locationIds: Map<string, number>;
}

type Profile = 'out' | 'low' | 'retired' | 'healthy';

/**
 * One item with its stock at every location. The generator is drawn from in a fixed
 * order (profile, price, policy, handling days, then each location's stock), so every
 * demo database comes out the same.
 */
async function seedItem(
  { trx, now, actor, rand, locationIds }: ItemSeed,
  input: {
    sku: string;
    category: string;
    product: string;
    variant: string;
    priceRange: [number, number];
    announced: boolean;
  },
): Promise<ShortItem & { short: boolean }> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const { announced, category, variant } = input;
  // Roughly one item in six sells out, one in eight runs low, one in twenty is retired.
  const roll = rand();
  const profile: Profile = announced
    ? 'out'
    : roll < 0.16
      ? 'out'
      : roll < 0.29
        ? 'low'
        : roll < 0.34
          ? 'retired'
          : 'healthy';
  const [min, max] = input.priceRange;
  const priceCents = Math.round((min + rand() * (max - min)) * 100) - 1;
  const itemId = await insertItem(
    trx,
    {
      sku: input.sku,
      name: `${variant} ${input.product}`,
      category,
      price_cents: priceCents,
      status: profile === 'retired' ? 'discontinued' : 'active',
      release_date: announced ? addDays(now.slice(0, 10), 14) : null,
      preorders_enabled: announced ? 1 : 0,
      backorder_policy: pick(['incoming', 'incoming', 'lead_time', 'none'] as const),
      backorder_cap: null,
      low_stock_threshold: 5,
      handling_days: pick([0, 1, 1, 2]),
      created_at: now,
      updated_at: now,
    },
    [category, variant.toLowerCase()],
  );
  for (const location of DEMO_LOCATIONS) {
    const locationId = locationIds.get(location.code)!;
    const onHand = openingStock(profile, location.kind === 'warehouse' ? 120 : 25, rand);
    await insertStock(
      trx,
      {
        item_id: itemId,
        location_id: locationId,
        on_hand: onHand,
        reserved: 0,
        safety_stock: location.kind === 'warehouse' && profile === 'healthy' ? 5 : 0,
        last_delta: onHand,
        updated_at: now,
      },
      onHand > 0
        ? {
            item_id: itemId,
            location_id: locationId,
            type: 'receipt',
            quantity: onHand,
            on_hand_after: onHand,
            reason: 'demo opening stock',
            reference: 'demo',
            actor,
            created_at: now,
          }
        : null,
    );
  }
  return { itemId, priceCents, short: announced || profile === 'out' || profile === 'low' };
}

function openingStock(profile: Profile, base: number, rand: () => number): number {
  if (profile === 'out') return 0;
  if (profile === 'low') return Math.floor(rand() * 3);
  if (profile === 'retired') return rand() < 0.5 ? 0 : Math.floor(rand() * 4);
  return Math.floor(base * (0.4 + rand()));
}
