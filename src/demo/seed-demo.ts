import type { AppContext } from '../kernel/context.js';
import { addDays } from '../shared/dates.js';
import { DEMO_CATEGORIES, DEMO_CHANNELS, DEMO_LOCATIONS, DEMO_VARIANTS } from './catalogue-data.js';
import { type ShortItem, seedSupply } from './seed-supply.js';

/**
 * The demo store behind `npm start`: four locations, three channels and a few hundred
 * items whose stock covers every state (plenty, low, out, discontinued with and without
 * units left). A seeded generator makes every demo database the same, so the README's
 * examples hold.
 */

export async function isCatalogueEmpty(ctx: AppContext): Promise<boolean> {
  const row = await ctx.db.selectFrom('items').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/** mulberry32: tiny, fast, and good enough to vary demo data deterministically. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const now = ctx.clock.now().toISOString();
  const perProduct = options.itemsPerProduct ?? 4;

  return ctx.db.transaction().execute(async (trx) => {
    const locationIds = new Map<string, number>();
    for (const l of DEMO_LOCATIONS) {
      const { id } = await trx
        .insertInto('locations')
        .values({
          code: l.code,
          name: l.name,
          kind: l.kind,
          time_zone: l.timeZone,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      locationIds.set(l.code, id);
    }
    for (const c of DEMO_CHANNELS) {
      const { id } = await trx
        .insertInto('channels')
        .values({ code: c.code, name: c.name, kind: c.kind, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('channel_locations')
        .values(
          c.locations.map((code, priority) => ({
            channel_id: id,
            location_id: locationIds.get(code)!,
            priority,
          })),
        )
        .execute();
    }

    let items = 0;
    let stockRows = 0;
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
          // Roughly one item in six sells out, one in eight runs low, one in twenty is retired.
          const roll = rand();
          const profile = announced
            ? 'out'
            : roll < 0.16
              ? 'out'
              : roll < 0.29
                ? 'low'
                : roll < 0.34
                  ? 'retired'
                  : 'healthy';
          const [min, max] = priceRange;
          const priceCents = Math.round((min + rand() * (max - min)) * 100) - 1;
          const { id: itemId } = await trx
            .insertInto('items')
            .values({
              sku,
              name: `${variant} ${product}`,
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
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await trx
            .insertInto('item_tags')
            .values([category, variant.toLowerCase()].map((tag) => ({ item_id: itemId, tag })))
            .execute();
          items += 1;
          itemIds.push(itemId);
          if (announced || profile === 'out' || profile === 'low') {
            shortItems.push({ itemId, priceCents });
          }

          for (const location of DEMO_LOCATIONS) {
            const base = location.kind === 'warehouse' ? 120 : 25;
            const onHand =
              profile === 'out'
                ? 0
                : profile === 'low'
                  ? Math.floor(rand() * 3)
                  : profile === 'retired'
                    ? rand() < 0.5
                      ? 0
                      : Math.floor(rand() * 4)
                    : Math.floor(base * (0.4 + rand()));
            await trx
              .insertInto('stock')
              .values({
                item_id: itemId,
                location_id: locationIds.get(location.code)!,
                on_hand: onHand,
                reserved: 0,
                safety_stock: location.kind === 'warehouse' && profile === 'healthy' ? 5 : 0,
                last_delta: onHand,
                updated_at: now,
              })
              .execute();
            if (onHand > 0) {
              await trx
                .insertInto('stock_ledger')
                .values({
                  item_id: itemId,
                  location_id: locationIds.get(location.code)!,
                  type: 'receipt',
                  quantity: onHand,
                  on_hand_after: onHand,
                  reason: 'demo opening stock',
                  reference: 'demo',
                  actor: options.actor,
                  created_at: now,
                })
                .execute();
            }
            stockRows += 1;
          }
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
      items,
      stockRows,
      ...supply,
    };
  });
}
