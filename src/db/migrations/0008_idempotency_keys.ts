import type { Kysely } from 'kysely';

/**
 * idempotency_keys (created by 0003 for orders) now holds the answers of every write
 * route that takes an Idempotency-Key (see src/idempotency/). Rows are looked up by their
 * primary key (scope, key); this index lets an operator, or a later retention sweep,
 * delete answers older than a cut-off without scanning the table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('idempotency_keys_created_idx')
    .on('idempotency_keys')
    .column('created_at')
    .execute();
}
