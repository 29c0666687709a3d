import { type Kysely, sql } from 'kysely';
import { idRef, withId } from './helpers.js';

/**
 * Replenishment (issue 12): sales history imported from outside, the forecast model each
 * series chose, a service-level target per item, and suggested purchase orders.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const ref = idRef(db);

  // Units sold per item × location × day, as imported. Importing a day again replaces it.
  await db.schema
    .createTable('sales_history')
    .addColumn('item_id', ref, (c) => c.notNull().references('items.id'))
    .addColumn('location_id', ref, (c) => c.notNull().references('locations.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity >= 0`))
    .addPrimaryKeyConstraint('sales_history_pk', ['item_id', 'location_id', 'day'])
    .execute();

  // Which forecasting method won the backtest for a series, and by how much.
  await db.schema
    .createTable('forecast_selections')
    .addColumn('item_id', ref, (c) => c.notNull().references('items.id'))
    .addColumn('location_id', ref, (c) => c.notNull().references('locations.id'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('backtest_smape', 'real')
    .addColumn('backtest_rmsse', 'real')
    .addColumn('history_from', 'text', (c) => c.notNull())
    .addColumn('history_through', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('forecast_selections_pk', ['item_id', 'location_id'])
    .execute();

  // Null: the default target for the item's ABC class.
  await db.schema
    .alterTable('items')
    .addColumn('service_level', 'real', (c) =>
      c.check(sql`service_level is null or (service_level >= 0.5 and service_level < 1)`),
    )
    .execute();

  await withId(db, db.schema.createTable('purchase_suggestions'))
    .addColumn('supplier_id', ref, (c) => c.notNull().references('suppliers.id'))
    .addColumn('location_id', ref, (c) => c.notNull().references('locations.id'))
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('open', 'ordered', 'dismissed')`),
    )
    .addColumn('purchase_order_id', ref, (c) => c.references('purchase_orders.id'))
    .addColumn('order_by_date', 'text')
    .addColumn('arrival_date', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('purchase_suggestions_state_idx')
    .on('purchase_suggestions')
    .columns(['state', 'supplier_id'])
    .execute();

  await db.schema
    .createTable('purchase_suggestion_lines')
    .addColumn('suggestion_id', ref, (c) =>
      c.notNull().references('purchase_suggestions.id').onDelete('cascade'),
    )
    .addColumn('item_id', ref, (c) => c.notNull().references('items.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('reorder_point', 'integer', (c) => c.notNull())
    .addColumn('order_up_to', 'integer', (c) => c.notNull())
    .addColumn('inventory_position', 'integer', (c) => c.notNull())
    .addColumn('projected_stockout_date', 'text')
    .addColumn('backorders_waiting', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('unit_cost_cents', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('purchase_suggestion_lines_pk', ['suggestion_id', 'item_id'])
    .execute();
}
