import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../dialect.js';

/**
 * Closes two gaps in what queues an item for the availability watcher (0004):
 *
 * - A location joining or leaving a channel changes what the channel shows for every
 *   item stocked at that location or with supply coming to it; a supplier's default
 *   lead time changes the promise of every item it supplies without its own lead time.
 *   Triggers queue those items, as 0004's do for stock and supply.
 * - A release date passing changes an item's state with no row changing at all. A
 *   sweep does it (availability-watcher.ts), and `sweep_marks` remembers the last day
 *   it covered, so several processes sweep each day once between them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sweep_marks')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  if (isPostgres(db)) await postgresTriggers(db);
  else await sqliteTriggers(db);
}

/** Items whose availability on a channel depends on location `loc`. */
const itemsAt = (loc: string) => `
  select item_id from stock where location_id = ${loc}
  union
  select l.item_id from purchase_order_lines l
    join purchase_orders po on po.id = l.purchase_order_id
    where po.location_id = ${loc}
  union
  select item_id from transfers where to_location_id = ${loc}`;

const itemsOfSupplier = (supplier: string) =>
  `select item_id from supplier_items where supplier_id = ${supplier}`;

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const mark = (name: string, when: string, items: string) =>
    sql
      .raw(
        `create trigger ${name} after ${when}
         begin insert into availability_changes (item_id) ${items}; end`,
      )
      .execute(db);
  await mark(
    'channel_locations_insert_marks_availability',
    'insert on channel_locations',
    itemsAt('new.location_id'),
  );
  await mark(
    'channel_locations_delete_marks_availability',
    'delete on channel_locations',
    itemsAt('old.location_id'),
  );
  await mark(
    'channel_locations_update_marks_availability',
    'update of location_id, channel_id on channel_locations',
    `${itemsAt('old.location_id')} union ${itemsAt('new.location_id')}`,
  );
  await mark(
    'suppliers_update_marks_availability',
    'update of lead_time_days on suppliers when old.lead_time_days is not new.lead_time_days',
    itemsOfSupplier('new.id'),
  );
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  // As in 0004, functions pin the schema they were created in.
  await sql
    .raw(`
    create function stockroom_mark_location() returns trigger language plpgsql
    set search_path from current as $$
    begin
      if tg_op in ('DELETE', 'UPDATE') then
        insert into availability_changes (item_id) ${itemsAt('old.location_id')};
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        insert into availability_changes (item_id) ${itemsAt('new.location_id')};
      end if;
      return null;
    end $$`)
    .execute(db);
  await sql
    .raw(`
    create function stockroom_mark_supplier() returns trigger language plpgsql
    set search_path from current as $$
    begin
      insert into availability_changes (item_id) ${itemsOfSupplier('new.id')};
      return null;
    end $$`)
    .execute(db);
  await sql`
    create trigger channel_locations_marks_availability
    after insert or delete or update of location_id, channel_id on channel_locations
    for each row execute function stockroom_mark_location()`.execute(db);
  await sql`
    create trigger suppliers_update_marks_availability
    after update of lead_time_days on suppliers
    for each row when (old.lead_time_days is distinct from new.lead_time_days)
    execute function stockroom_mark_supplier()`.execute(db);
}
