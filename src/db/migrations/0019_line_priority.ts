import { type Kysely, sql } from 'kysely';

/**
 * Staff priority on an order line (issue 15, item 3: the fair queue "unless staff set a
 * priority"). A `high` line goes ahead of every `normal` one in its item's queue, for
 * arriving units and for promises; each group stays in placement order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('order_lines')
    .addColumn('priority', 'text', (c) =>
      c.notNull().defaultTo('normal').check(sql`priority in ('high', 'normal')`),
    )
    .execute();
}
