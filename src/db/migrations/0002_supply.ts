import { type Kysely, sql } from 'kysely';
import { idRef, withId } from './helpers.js';

/** Suppliers, purchase orders with their change history, receipts, and domain events.
 *
 * Long because a migration is one list of DDL statements, read top to bottom; once
 * released it is never edited, only followed by new migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const ref = idRef(db);

  await withId(db, db.schema.createTable('suppliers'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('lead_time_days', 'integer', (c) => c.notNull().check(sql`lead_time_days >= 0`))
    .addColumn('min_order_quantity', 'integer', (c) =>
      c.notNull().check(sql`min_order_quantity >= 1`),
    )
    .addColumn('case_pack', 'integer', (c) => c.notNull().check(sql`case_pack >= 1`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('supplier_items')
    .addColumn('supplier_id', ref, (c) => c.notNull().references('suppliers.id'))
    .addColumn('item_id', ref, (c) => c.notNull().references('items.id'))
    .addColumn('supplier_sku', 'text')
    .addColumn('unit_cost_cents', 'integer', (c) => c.notNull().check(sql`unit_cost_cents >= 0`))
    .addColumn('lead_time_days', 'integer', (c) => c.check(sql`lead_time_days >= 0`))
    .addColumn('preferred', 'integer', (c) => c.notNull().check(sql`preferred in (0, 1)`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('supplier_items_pk', ['supplier_id', 'item_id'])
    .execute();
  // At most one preferred supplier per item, enforced by the database.
  await db.schema
    .createIndex('supplier_items_one_preferred_uq')
    .on('supplier_items')
    .column('item_id')
    .unique()
    .where(sql.ref('preferred'), '=', 1)
    .execute();

  await withId(db, db.schema.createTable('purchase_orders'))
    .addColumn('supplier_id', ref, (c) => c.notNull().references('suppliers.id'))
    .addColumn('location_id', ref, (c) => c.notNull().references('locations.id'))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`state in ('draft', 'sent', 'confirmed', 'partially_received', 'received', 'cancelled')`,
        ),
    )
    .addColumn('reference', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('confirmed_at', 'text')
    .addColumn('closed_at', 'text')
    .execute();
  // A supplier's order references are unique, so re-importing a file cannot duplicate.
  await db.schema
    .createIndex('purchase_orders_reference_uq')
    .on('purchase_orders')
    .columns(['supplier_id', 'reference'])
    .unique()
    .where(sql.ref('reference'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('purchase_orders_supplier_idx')
    .on('purchase_orders')
    .columns(['supplier_id', 'id'])
    .execute();

  await withId(db, db.schema.createTable('purchase_order_lines'))
    .addColumn('purchase_order_id', ref, (c) => c.notNull().references('purchase_orders.id'))
    .addColumn('item_id', ref, (c) => c.notNull().references('items.id'))
    .addColumn('quantity_ordered', 'integer', (c) => c.notNull().check(sql`quantity_ordered > 0`))
    .addColumn('quantity_received', 'integer', (c) =>
      c.notNull().check(sql`quantity_received >= 0`),
    )
    .addColumn('quantity_cancelled', 'integer', (c) =>
      c.notNull().check(sql`quantity_cancelled >= 0`),
    )
    .addColumn('unit_cost_cents', 'integer', (c) => c.notNull().check(sql`unit_cost_cents >= 0`))
    .addColumn('expected_date', 'text', (c) => c.notNull())
    .addColumn('first_expected_date', 'text')
    .addColumn('confidence', 'text', (c) =>
      c.notNull().check(sql`confidence in ('confirmed', 'estimated')`),
    )
    .addColumn('completed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // Cancelling never takes back what has arrived: open quantity cannot go below zero.
    .addCheckConstraint(
      'purchase_order_lines_cancel_within_open',
      sql`quantity_cancelled = 0 or quantity_cancelled + quantity_received <= quantity_ordered`,
    )
    .execute();
  await db.schema
    .createIndex('purchase_order_lines_item_idx')
    .on('purchase_order_lines')
    .columns(['item_id', 'purchase_order_id'])
    .execute();
  await db.schema
    .createIndex('purchase_order_lines_order_idx')
    .on('purchase_order_lines')
    .columns(['purchase_order_id', 'id'])
    .execute();

  await withId(db, db.schema.createTable('purchase_order_changes'))
    .addColumn('purchase_order_id', ref, (c) => c.notNull().references('purchase_orders.id'))
    .addColumn('line_id', ref, (c) => c.references('purchase_order_lines.id'))
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('reason', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('purchase_order_changes_order_idx')
    .on('purchase_order_changes')
    .columns(['purchase_order_id', 'id'])
    .execute();

  await withId(db, db.schema.createTable('receipts'))
    .addColumn('purchase_order_id', ref, (c) => c.notNull().references('purchase_orders.id'))
    .addColumn('receipt_id', 'text', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('receipts_receipt_uq', ['purchase_order_id', 'receipt_id'])
    .execute();

  await db.schema
    .createTable('receipt_lines')
    .addColumn('receipt_pk', ref, (c) => c.notNull().references('receipts.id'))
    .addColumn('line_id', ref, (c) => c.notNull().references('purchase_order_lines.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('over_received', 'integer', (c) => c.notNull().check(sql`over_received in (0, 1)`))
    .addPrimaryKeyConstraint('receipt_lines_pk', ['receipt_pk', 'line_id'])
    .execute();

  await withId(db, db.schema.createTable('domain_events'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
