import type { Transaction } from 'kysely';
import type { DB, Db } from '../db/schema.js';

/** Staff decisions on lines left with no date. */

export interface DecisionRow {
  order_line_id: number;
  decision: 'keep_waiting';
  note: string | null;
  actor: string;
  decided_at: string;
}

/** Records the decision, replacing the line's earlier one. */
export async function recordDecision(trx: Transaction<DB>, row: DecisionRow): Promise<void> {
  await trx
    .insertInto('waiting_decisions')
    .values(row)
    .onConflict((oc) =>
      oc.column('order_line_id').doUpdateSet({
        decision: row.decision,
        note: row.note,
        actor: row.actor,
        decided_at: row.decided_at,
      }),
    )
    .execute();
}

/**
 * The decisions still standing for these lines: made since each line last lost its date.
 * A line that lost its date again after the decision needs a new one.
 */
export async function standingDecisionsOf(
  db: Db,
  lineIds: readonly number[],
): Promise<Map<number, DecisionRow>> {
  const result = new Map<number, DecisionRow>();
  if (lineIds.length === 0) return result;
  const rows = await db
    .selectFrom('waiting_decisions as d')
    .selectAll('d')
    .where('d.order_line_id', 'in', lineIds)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('promise_changes as c')
            .select('c.id')
            .whereRef('c.order_line_id', '=', 'd.order_line_id')
            .where('c.new_date', 'is', null)
            .whereRef('c.created_at', '>', 'd.decided_at'),
        ),
      ),
    )
    .execute();
  for (const row of rows) result.set(row.order_line_id, row);
  return result;
}
