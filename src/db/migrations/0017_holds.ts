import { type Kysely, sql } from 'kysely';
import { idRef, withId } from './helpers.js';

/**
 * Checkout holds (issue 15, item 1): stock a cart holds for a while. A hold line's `held`
 * is what it still keeps reserved at its location (all of its quantity while the hold is
 * active, 0 once released, expired or converted), so stock.reserved = allocations + held per
 * item × location. `expires_at` is copied onto the lines so that availability can subtract
 * the units of expired-but-unswept holds with one indexed look-up per stock row, without a
 * join. A channel may cap how many units it holds at once (null: no cap).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const ref = idRef(db);
  await db.schema
    .alterTable('channels')
    .addColumn('max_held_units', 'integer', (c) => c.check(sql`max_held_units >= 0`))
    .execute();

  await withId(db, db.schema.createTable('holds'))
    .addColumn('channel_id', ref, (c) => c.notNull().references('channels.id'))
    .addColumn('reference', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('active', 'released', 'expired', 'converted')`),
    )
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('order_id', ref, (c) => c.references('orders.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The sweep's look-up: active holds by expiry.
  await db.schema
    .createIndex('holds_status_expiry_idx')
    .on('holds')
    .columns(['status', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('holds_channel_idx')
    .on('holds')
    .columns(['channel_id', 'status'])
    .execute();

  await withId(db, db.schema.createTable('hold_lines'))
    .addColumn('hold_id', ref, (c) => c.notNull().references('holds.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('item_id', ref, (c) => c.notNull().references('items.id'))
    .addColumn('location_id', ref, (c) => c.notNull().references('locations.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('held', 'integer', (c) => c.notNull().check(sql`held = 0 or held = quantity`))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('hold_lines_hold_idx')
    .on('hold_lines')
    .columns(['hold_id', 'line_no', 'location_id'])
    .unique()
    .execute();
  // Availability and lazy expiry look up a stock row's held units; almost always none.
  await db.schema
    .createIndex('hold_lines_stock_idx')
    .on('hold_lines')
    .columns(['item_id', 'location_id', 'expires_at'])
    .where(sql.ref('held'), '>', 0)
    .execute();
}
