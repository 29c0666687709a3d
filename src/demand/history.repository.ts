import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { isPostgres } from '../db/dialect.js';
import type { DB } from '../db/schema.js';

export interface SalesHistoryRow {
  itemId: number;
  locationId: number;
  day: string;
  quantity: number;
}

const UPSERT_TAIL =
  'on conflict (item_id, location_id, day) do update set quantity = excluded.quantity';

/** SQLite: one multi-row VALUES per batch size, its text made once and its statement reused. */
const sqliteInserts = new Map<number, string>();

function sqliteInsert(rows: number): string {
  let text = sqliteInserts.get(rows);
  if (text === undefined) {
    text = `insert into sales_history (item_id, location_id, day, quantity) values ${Array.from(
      { length: rows },
      () => '(?, ?, ?, ?)',
    ).join(', ')} ${UPSERT_TAIL}`;
    sqliteInserts.set(rows, text);
  }
  return text;
}

/** PostgreSQL: four arrays, so a batch of any size is one statement with four parameters. */
const POSTGRES_INSERT = `insert into sales_history (item_id, location_id, day, quantity)
  select * from unnest($1::integer[], $2::integer[], $3::text[], $4::integer[]) ${UPSERT_TAIL}`;

/**
 * Inserts or replaces rows of sales history: the same item, location and day again
 * replaces the quantity, so importing a file twice leaves the same rows. A key must not
 * repeat within one call (PostgreSQL refuses to update a row twice in one statement).
 *
 * Built by hand rather than through the query builder: compiling a 500-row VALUES tree
 * per batch costs more than running it.
 */
export async function upsertSalesHistory(
  trx: Transaction<DB>,
  rows: readonly SalesHistoryRow[],
): Promise<void> {
  if (rows.length === 0) return;
  if (isPostgres(trx as unknown as Kysely<unknown>)) {
    await trx.executeQuery(
      CompiledQuery.raw(POSTGRES_INSERT, [
        rows.map((r) => r.itemId),
        rows.map((r) => r.locationId),
        rows.map((r) => r.day),
        rows.map((r) => r.quantity),
      ]),
    );
    return;
  }
  const parameters: (number | string)[] = new Array(rows.length * 4);
  rows.forEach((row, i) => {
    parameters[i * 4] = row.itemId;
    parameters[i * 4 + 1] = row.locationId;
    parameters[i * 4 + 2] = row.day;
    parameters[i * 4 + 3] = row.quantity;
  });
  await trx.executeQuery(CompiledQuery.raw(sqliteInsert(rows.length), parameters));
}
