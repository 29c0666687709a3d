import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { LinePriority } from '../domain/fair-queue.js';

/** SQL behind staff priority on order lines. */

export async function setLinePriority(
  trx: Transaction<DB>,
  lineId: number,
  priority: LinePriority,
  now: string,
): Promise<void> {
  await trx
    .updateTable('order_lines')
    .set({ priority, updated_at: now })
    .where('id', '=', lineId)
    .execute();
}
