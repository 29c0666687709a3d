import { type Kysely, sql } from 'kysely';
import { idRef, withId } from './helpers.js';

/**
 * Returns (issue 15, item 5). What came back from a customer, and what went back to a
 * supplier, each against the line it belongs to. The returned counters on the lines are
 * what the conditional updates test, so two returns racing for the last returnable unit
 * cannot both win; the CHECKs make it impossible even for code that forgets.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const ref = idRef(db);
  await db.schema
    .alterTable('order_lines')
    .addColumn('quantity_returned', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`quantity_returned >= 0 and quantity_returned <= quantity_fulfilled`),
    )
    .execute();
  await db.schema
    .alterTable('purchase_order_lines')
    .addColumn('quantity_returned', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`quantity_returned >= 0 and quantity_returned <= quantity_received`),
    )
    .execute();

  await withId(db, db.schema.createTable('order_returns'))
    .addColumn('order_id', ref, (c) => c.notNull().references('orders.id'))
    .addColumn('order_line_id', ref, (c) => c.notNull().references('order_lines.id'))
    .addColumn('location_id', ref, (c) => c.notNull().references('locations.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('disposition', 'text', (c) =>
      c.notNull().check(sql`disposition in ('restock', 'damaged')`),
    )
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('order_returns_order_idx')
    .on('order_returns')
    .columns(['order_id', 'id'])
    .execute();

  await withId(db, db.schema.createTable('supplier_returns'))
    .addColumn('purchase_order_id', ref, (c) => c.notNull().references('purchase_orders.id'))
    .addColumn('line_id', ref, (c) => c.notNull().references('purchase_order_lines.id'))
    .addColumn('location_id', ref, (c) => c.notNull().references('locations.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('supplier_returns_order_idx')
    .on('supplier_returns')
    .columns(['purchase_order_id', 'id'])
    .execute();
}
