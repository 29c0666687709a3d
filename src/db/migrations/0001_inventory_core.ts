import { type Kysely, sql } from 'kysely';
import { idRef, withId } from './helpers.js';

// Long because a migration is one list of DDL statements, read top to bottom; once
// released it is never edited, only followed by new migrations.
export async function up(db: Kysely<unknown>): Promise<void> {
  const ref = idRef(db);

  await withId(db, db.schema.createTable('items'))
    .addColumn('sku', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('price_cents', 'integer', (c) => c.notNull().check(sql`price_cents >= 0`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('active', 'discontinued')`),
    )
    .addColumn('release_date', 'text')
    .addColumn('backorder_policy', 'text', (c) =>
      c.notNull().check(sql`backorder_policy in ('none', 'incoming', 'lead_time')`),
    )
    .addColumn('backorder_cap', 'integer', (c) => c.check(sql`backorder_cap >= 0`))
    .addColumn('low_stock_threshold', 'integer', (c) =>
      c.notNull().check(sql`low_stock_threshold >= 0`),
    )
    .addColumn('handling_days', 'integer', (c) => c.notNull().check(sql`handling_days >= 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('items_category_idx')
    .on('items')
    .columns(['category', 'id'])
    .execute();

  await db.schema
    .createTable('item_tags')
    .addColumn('item_id', ref, (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_tags_pk', ['item_id', 'tag'])
    .execute();
  await db.schema
    .createIndex('item_tags_tag_idx')
    .on('item_tags')
    .columns(['tag', 'item_id'])
    .execute();

  await withId(db, db.schema.createTable('locations'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('store', 'warehouse')`))
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('channels'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('pos', 'online', 'marketplace')`),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('channel_locations')
    .addColumn('channel_id', ref, (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn('location_id', ref, (c) => c.notNull().references('locations.id'))
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_locations_pk', ['channel_id', 'location_id'])
    .addUniqueConstraint('channel_locations_priority_uq', ['channel_id', 'priority'])
    .execute();

  await db.schema
    .createTable('stock')
    .addColumn('item_id', ref, (c) => c.notNull().references('items.id'))
    .addColumn('location_id', ref, (c) => c.notNull().references('locations.id'))
    .addColumn('on_hand', 'integer', (c) => c.notNull())
    .addColumn('reserved', 'integer', (c) => c.notNull())
    .addColumn('safety_stock', 'integer', (c) => c.notNull())
    .addColumn('last_delta', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stock_pk', ['item_id', 'location_id'])
    // The invariants of DESIGN section 2, held by the database whatever the code does.
    .addCheckConstraint('stock_reserved_within_on_hand', sql`reserved >= 0 and reserved <= on_hand`)
    .addCheckConstraint('stock_safety_stock_non_negative', sql`safety_stock >= 0`)
    .addCheckConstraint('stock_on_hand_limit', sql`on_hand <= 1000000000`)
    .execute();
  await db.schema
    .createIndex('stock_location_idx')
    .on('stock')
    .columns(['location_id', 'item_id'])
    .execute();

  await withId(db, db.schema.createTable('stock_ledger'))
    .addColumn('item_id', ref, (c) => c.notNull().references('items.id'))
    .addColumn('location_id', ref, (c) => c.notNull().references('locations.id'))
    .addColumn('type', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`type in ('receipt', 'sale', 'adjustment', 'count', 'transfer_out', 'transfer_in', 'return', 'damage')`,
        ),
    )
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('on_hand_after', 'integer', (c) => c.notNull().check(sql`on_hand_after >= 0`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('stock_ledger_item_location_idx')
    .on('stock_ledger')
    .columns(['item_id', 'location_id', 'id'])
    .execute();

  await withId(db, db.schema.createTable('transfers'))
    .addColumn('item_id', ref, (c) => c.notNull().references('items.id'))
    .addColumn('from_location_id', ref, (c) => c.notNull().references('locations.id'))
    .addColumn('to_location_id', ref, (c) => c.notNull().references('locations.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('quantity_received', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .check(sql`state in ('completed', 'in_transit', 'partially_received', 'received')`),
    )
    .addColumn('expected_date', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text')
    .addCheckConstraint('transfers_distinct_locations', sql`from_location_id <> to_location_id`)
    .addCheckConstraint(
      'transfers_received_within_quantity',
      sql`quantity_received >= 0 and quantity_received <= quantity`,
    )
    .execute();
  await db.schema
    .createIndex('transfers_open_idx')
    .on('transfers')
    .columns(['item_id', 'to_location_id', 'state'])
    .execute();

  await withId(db, db.schema.createTable('transfer_receipts'))
    .addColumn('transfer_id', ref, (c) => c.notNull().references('transfers.id'))
    .addColumn('receipt_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('transfer_receipts_receipt_uq', ['transfer_id', 'receipt_id'])
    .execute();

  await withId(db, db.schema.createTable('api_keys'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'staff', 'channel')`))
    .addColumn('channel_id', ref, (c) => c.references('channels.id'))
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addCheckConstraint(
      'api_keys_channel_scope',
      sql`(role = 'channel') = (channel_id is not null)`,
    )
    .execute();
}
