import type { Insertable } from 'kysely';
import type { Db } from '../db/schema.js';
import type { ForecastSelectionsTable } from '../db/tables/replenishment.js';

export type SelectionRow = Insertable<ForecastSelectionsTable>;

/** Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

/** Records (or replaces) which method each series chose and its backtest error. */
export async function upsertSelections(db: Db, rows: readonly SelectionRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('forecast_selections')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.columns(['item_id', 'location_id']).doUpdateSet((eb) => ({
          method: eb.ref('excluded.method'),
          backtest_smape: eb.ref('excluded.backtest_smape'),
          backtest_rmsse: eb.ref('excluded.backtest_rmsse'),
          history_from: eb.ref('excluded.history_from'),
          history_through: eb.ref('excluded.history_through'),
          computed_at: eb.ref('excluded.computed_at'),
        })),
      )
      .execute();
  }
}

export function selectionOf(db: Db, itemId: number, locationId: number) {
  return db
    .selectFrom('forecast_selections')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('location_id', '=', locationId)
    .executeTakeFirst();
}
