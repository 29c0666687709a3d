import { type Kysely, sql } from 'kysely';
import { idRef } from './helpers.js';

/**
 * Staff decisions on lines left with no date (issue 13, the Backorders screen): keeping a
 * line waiting is recorded, so the line leaves the list of those needing a decision until
 * it loses its date again. One row per line, replaced by a later decision.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('waiting_decisions')
    .addColumn('order_line_id', idRef(db), (c) => c.primaryKey().references('order_lines.id'))
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('keep_waiting')`))
    .addColumn('note', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .execute();
}
