import { type Kysely, sql } from 'kysely';
import { idRef } from './helpers.js';

/**
 * Issue 14: placing a backorder must cost the same whatever the queue behind it. The
 * backorder cap counts an item's lead-time promises (pegs on no supply); summing them on
 * every backorder grew with the queue. Each item's total is kept here instead, moved in
 * the same transaction as the pegs by one atomic statement, never below zero. Supply
 * keeps its own counters (quantity_promised on PO lines and transfers).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('item_promises')
    .addColumn('item_id', idRef(db), (c) => c.primaryKey().references('items.id'))
    .addColumn('lead_time_promised', 'integer', (c) =>
      c.notNull().defaultTo(0).check(sql`lead_time_promised >= 0`),
    )
    .execute();
  await sql`
    insert into item_promises (item_id, lead_time_promised)
    select item_id, sum(quantity)
    from backorder_pegs
    where purchase_order_line_id is null and transfer_id is null
    group by item_id
  `.execute(db);
}
