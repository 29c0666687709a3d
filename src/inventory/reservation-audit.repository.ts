import { sql } from 'kysely';
import type { Db } from '../db/schema.js';

export interface ReservationDriftRow {
  sku: string;
  location: string;
  reserved: number;
  allocated: number;
  held: number;
}

/**
 * Item × locations whose reserved units differ from what they are reserved for: the
 * orders' allocations plus the units checkout holds still hold (src/kernel/holds/).
 */
export async function findReservationDrift(db: Db): Promise<ReservationDriftRow[]> {
  const rows = await db
    .with('allocated', (qb) =>
      qb
        .selectFrom('allocations')
        .select(['item_id', 'location_id', (eb) => eb.fn.sum<number>('quantity').as('units')])
        .groupBy(['item_id', 'location_id']),
    )
    .with('held', (qb) =>
      qb
        .selectFrom('hold_lines')
        .select(['item_id', 'location_id', (eb) => eb.fn.sum<number>('held').as('units')])
        .where('held', '>', 0)
        .groupBy(['item_id', 'location_id']),
    )
    .selectFrom('stock')
    .leftJoin('allocated', (join) =>
      join
        .onRef('allocated.item_id', '=', 'stock.item_id')
        .onRef('allocated.location_id', '=', 'stock.location_id'),
    )
    .leftJoin('held', (join) =>
      join
        .onRef('held.item_id', '=', 'stock.item_id')
        .onRef('held.location_id', '=', 'stock.location_id'),
    )
    .innerJoin('items', 'items.id', 'stock.item_id')
    .innerJoin('locations', 'locations.id', 'stock.location_id')
    .select((eb) => [
      'items.sku',
      'locations.code as location',
      'stock.reserved',
      eb.fn.coalesce('allocated.units', sql<number>`0`).as('allocated'),
      eb.fn.coalesce('held.units', sql<number>`0`).as('held'),
    ])
    .where((eb) =>
      eb(
        'stock.reserved',
        '<>',
        eb(
          eb.fn.coalesce('allocated.units', sql<number>`0`),
          '+',
          eb.fn.coalesce('held.units', sql<number>`0`),
        ),
      ),
    )
    .orderBy('stock.item_id')
    .orderBy('stock.location_id')
    .execute();
  return rows.map((r) => ({
    ...r,
    allocated: Number(r.allocated),
    held: Number(r.held),
  }));
}
