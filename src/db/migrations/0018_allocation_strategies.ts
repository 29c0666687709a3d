import { type Kysely, sql } from 'kysely';
import { idRef } from './helpers.js';

/**
 * Allocation strategies per channel (issue 15, item 6): how a channel orders its
 * locations when it takes an order's units from stock, where each location is (for
 * "closest to the pickup location"), whether a location sells at all, and the pickup
 * location an order names.
 *
 * No trigger is added: migration 0016 already announces every change to channels and
 * locations on the `channels` topic, so the channel cache forgets a strategy, a
 * coordinate or a location taken off sale as soon as it is written.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('channels')
    .addColumn('allocation_strategy', 'text', (c) =>
      c
        .notNull()
        .defaultTo('priority')
        .check(sql`allocation_strategy in ('priority', 'most_stock', 'closest_to_pickup')`),
    )
    .execute();
  await db.schema
    .alterTable('locations')
    .addColumn('latitude', 'double precision', (c) =>
      c.check(sql`latitude >= -90 and latitude <= 90`),
    )
    .execute();
  // A point needs both halves: the pair is written together or cleared together.
  await db.schema
    .alterTable('locations')
    .addColumn('longitude', 'double precision', (c) =>
      c.check(
        sql`longitude >= -180 and longitude <= 180 and latitude is not null or longitude is null and latitude is null`,
      ),
    )
    .execute();
  // 0: kept for stock, receipts and transfers, but no channel sells from it.
  await db.schema
    .alterTable('locations')
    .addColumn('sellable', 'integer', (c) =>
      c.notNull().defaultTo(1).check(sql`sellable in (0, 1)`),
    )
    .execute();
  await db.schema
    .alterTable('orders')
    .addColumn('pickup_location_id', idRef(db), (c) => c.references('locations.id'))
    .execute();
}
