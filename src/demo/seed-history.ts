import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { type SalesHistoryRow, upsertSalesHistory } from '../demand/history.repository.js';
import { DEMO_LOCATIONS } from './catalogue-data.js';
import { demoSalesHistory, type HistoryItem } from './sales-history.js';

/** The warehouse ships the web shop and the marketplace; the stores sell less, in turn. */
const LOCATION_WEIGHT: Record<string, number> = { W1: 1, S1: 0.8, S2: 0.6, S3: 0.4 };
const BATCH = 500;

/** Writes the demo store's sales history; returns how many rows. */
export async function seedSalesHistory(
  trx: Transaction<DB>,
  items: readonly HistoryItem[],
  locationIds: ReadonlyMap<string, number>,
  today: string,
): Promise<number> {
  const locations = DEMO_LOCATIONS.map((l) => ({
    locationId: locationIds.get(l.code)!,
    kind: l.kind,
    weight: LOCATION_WEIGHT[l.code] ?? 0.5,
  }));
  let batch: SalesHistoryRow[] = [];
  let written = 0;
  for (const row of demoSalesHistory(items, locations, today)) {
    batch.push(row);
    if (batch.length === BATCH) {
      await upsertSalesHistory(trx, batch);
      written += batch.length;
      batch = [];
    }
  }
  await upsertSalesHistory(trx, batch);
  return written + batch.length;
}
