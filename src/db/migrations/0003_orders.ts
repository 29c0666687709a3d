import { type Kysely, sql } from 'kysely';
import { idRef, withId } from './helpers.js';

/**
 * Orders and promising: customers, orders and their lines, allocations (what reserved
 * holds), backorder pegs (what promised holds), promise history, lost demand, stored
 * idempotent responses, and staff-set links between items for alternatives.
 *
 * Long because a migration is one list of DDL statements, read top to bottom; once
 * released it is never edited, only followed by new migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const ref = idRef(db);

  await db.schema
    .alterTable('items')
    .addColumn('preorders_enabled', 'integer', (c) =>
      c.notNull().defaultTo(0).check(sql`preorders_enabled in (0, 1)`),
    )
    .execute();
  // Units of the line or transfer that backorders are pegged to. The promising statement
  // is conditional on what the supply still brings; the CHECK keeps it non-negative.
  await db.schema
    .alterTable('purchase_order_lines')
    .addColumn('quantity_promised', 'integer', (c) =>
      c.notNull().defaultTo(0).check(sql`quantity_promised >= 0`),
    )
    .execute();
  await db.schema
    .alterTable('transfers')
    .addColumn('quantity_promised', 'integer', (c) =>
      c.notNull().defaultTo(0).check(sql`quantity_promised >= 0`),
    )
    .execute();

  await withId(db, db.schema.createTable('customers'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('preferred_channel', 'text', (c) =>
      c.notNull().check(sql`preferred_channel in ('email', 'sms', 'none')`),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('orders'))
    .addColumn('channel_id', ref, (c) => c.notNull().references('channels.id'))
    .addColumn('customer_id', ref, (c) => c.references('customers.id'))
    .addColumn('reference', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('orders_channel_idx')
    .on('orders')
    .columns(['channel_id', 'id'])
    .execute();

  await withId(db, db.schema.createTable('order_lines'))
    .addColumn('order_id', ref, (c) => c.notNull().references('orders.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('item_id', ref, (c) => c.notNull().references('items.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('accept_backorder', 'integer', (c) =>
      c.notNull().check(sql`accept_backorder in (0, 1)`),
    )
    .addColumn('preorder', 'integer', (c) => c.notNull().check(sql`preorder in (0, 1)`))
    .addColumn('quantity_allocated', 'integer', (c) =>
      c.notNull().check(sql`quantity_allocated >= 0`),
    )
    .addColumn('quantity_backordered', 'integer', (c) =>
      c.notNull().check(sql`quantity_backordered >= 0`),
    )
    .addColumn('quantity_fulfilled', 'integer', (c) =>
      c.notNull().check(sql`quantity_fulfilled >= 0`),
    )
    .addColumn('quantity_cancelled', 'integer', (c) =>
      c.notNull().check(sql`quantity_cancelled >= 0`),
    )
    // Part of the backordered quantity with no supply and no lead-time promise behind it.
    .addColumn('quantity_unpromised', 'integer', (c) =>
      c.notNull().check(sql`quantity_unpromised >= 0`),
    )
    .addColumn('promised_date', 'text')
    .addColumn('promise_confidence', 'text', (c) =>
      c.check(sql`promise_confidence in ('confirmed', 'estimated')`),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // DESIGN invariant 5, held by the database.
    .addCheckConstraint(
      'order_lines_quantities_add_up',
      sql`quantity = quantity_allocated + quantity_backordered + quantity_fulfilled + quantity_cancelled`,
    )
    .addCheckConstraint(
      'order_lines_unpromised_within_backordered',
      sql`quantity_unpromised <= quantity_backordered`,
    )
    .addUniqueConstraint('order_lines_line_no_uq', ['order_id', 'line_no'])
    .execute();
  await db.schema
    .createIndex('order_lines_item_idx')
    .on('order_lines')
    .columns(['item_id', 'id'])
    .execute();

  await db.schema
    .createTable('allocations')
    .addColumn('order_line_id', ref, (c) => c.notNull().references('order_lines.id'))
    .addColumn('location_id', ref, (c) => c.notNull().references('locations.id'))
    .addColumn('item_id', ref, (c) => c.notNull().references('items.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity >= 0`))
    .addPrimaryKeyConstraint('allocations_pk', ['order_line_id', 'location_id'])
    .execute();
  await db.schema
    .createIndex('allocations_stock_idx')
    .on('allocations')
    .columns(['item_id', 'location_id'])
    .execute();

  await withId(db, db.schema.createTable('backorder_pegs'))
    .addColumn('order_line_id', ref, (c) => c.notNull().references('order_lines.id'))
    .addColumn('item_id', ref, (c) => c.notNull().references('items.id'))
    .addColumn('location_id', ref, (c) => c.notNull().references('locations.id'))
    .addColumn('purchase_order_line_id', ref, (c) => c.references('purchase_order_lines.id'))
    .addColumn('transfer_id', ref, (c) => c.references('transfers.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('expected_date', 'text', (c) => c.notNull())
    .addColumn('confidence', 'text', (c) =>
      c.notNull().check(sql`confidence in ('confirmed', 'estimated')`),
    )
    // Pegged to a PO line, to a transfer, or (both null) to the supplier's lead time.
    .addCheckConstraint(
      'backorder_pegs_one_source',
      sql`purchase_order_line_id is null or transfer_id is null`,
    )
    .execute();
  await db.schema
    .createIndex('backorder_pegs_line_idx')
    .on('backorder_pegs')
    .columns(['order_line_id'])
    .execute();
  await db.schema
    .createIndex('backorder_pegs_item_idx')
    .on('backorder_pegs')
    .columns(['item_id', 'order_line_id'])
    .execute();

  await withId(db, db.schema.createTable('promise_changes'))
    .addColumn('order_line_id', ref, (c) => c.notNull().references('order_lines.id'))
    .addColumn('old_date', 'text')
    .addColumn('new_date', 'text')
    .addColumn('old_confidence', 'text')
    .addColumn('new_confidence', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('promise_changes_line_idx')
    .on('promise_changes')
    .columns(['order_line_id', 'id'])
    .execute();

  await withId(db, db.schema.createTable('lost_demand'))
    .addColumn('item_id', ref, (c) => c.notNull().references('items.id'))
    .addColumn('channel_id', ref, (c) => c.notNull().references('channels.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('available', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('lost_demand_item_idx')
    .on('lost_demand')
    .columns(['item_id', 'created_at'])
    .execute();

  // A request's first answer, kept so that a retry with the same key gets it again.
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();

  await withId(db, db.schema.createTable('fulfilments'))
    .addColumn('order_id', ref, (c) => c.notNull().references('orders.id'))
    .addColumn('fulfilment_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('shipment', 'pickup')`))
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('fulfilments_id_uq', ['order_id', 'fulfilment_id'])
    .execute();
  await db.schema
    .createTable('fulfilment_lines')
    .addColumn('fulfilment_pk', ref, (c) => c.notNull().references('fulfilments.id'))
    .addColumn('order_line_id', ref, (c) => c.notNull().references('order_lines.id'))
    .addColumn('location_id', ref, (c) => c.notNull().references('locations.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addPrimaryKeyConstraint('fulfilment_lines_pk', [
      'fulfilment_pk',
      'order_line_id',
      'location_id',
    ])
    .execute();

  await db.schema
    .createTable('item_links')
    .addColumn('item_id', ref, (c) => c.notNull().references('items.id'))
    .addColumn('linked_item_id', ref, (c) => c.notNull().references('items.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('substitute', 'replacement')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_links_pk', ['item_id', 'linked_item_id'])
    .addCheckConstraint('item_links_not_self', sql`item_id <> linked_item_id`)
    .execute();
}
