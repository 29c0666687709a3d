import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../dialect.js';
import { idRef } from './helpers.js';

/**
 * Allocation strategies per channel (issue 15, item 6): how a channel orders its
 * locations when it takes an order's units from stock, where each location is (for
 * "closest to the pickup location"), whether a location sells at all, and the pickup
 * location an order names.
 *
 * Migration 0016 already announces every change to channels and locations on the
 * `channels` topic, so the channel cache forgets a strategy, a coordinate or a location
 * taken off sale as soon as it is written. What 0005 does for a location joining or
 * leaving a channel is done here for one going off or back on sale: the items whose
 * channel availability it changes are queued for the availability watcher (webhooks,
 * snapshots), by a trigger, so no path that writes the flag can forget.
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
  if (isPostgres(db)) await postgresSaleTrigger(db);
  else await sqliteSaleTrigger(db);
}

/** The items whose channel availability depends on location `loc` (as in 0005). */
const itemsAt = (loc: string) => `
  select item_id from stock where location_id = ${loc}
  union
  select l.item_id from purchase_order_lines l
    join purchase_orders po on po.id = l.purchase_order_id
    where po.location_id = ${loc}
  union
  select item_id from transfers where to_location_id = ${loc}`;

async function sqliteSaleTrigger(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `create trigger locations_sellable_marks_availability
       after update of sellable on locations when old.sellable is not new.sellable
       begin insert into availability_changes (item_id) ${itemsAt('new.id')}; end`,
    )
    .execute(db);
}

async function postgresSaleTrigger(db: Kysely<unknown>): Promise<void> {
  // As in 0004, the function pins the schema it was created in.
  await sql
    .raw(`
    create function stockroom_mark_location_sale() returns trigger language plpgsql
    set search_path from current as $$
    begin
      insert into availability_changes (item_id) ${itemsAt('new.id')};
      return null;
    end $$`)
    .execute(db);
  await sql`
    create trigger locations_sellable_marks_availability
    after update of sellable on locations
    for each row when (old.sellable is distinct from new.sellable)
    execute function stockroom_mark_location_sale()`.execute(db);
}
