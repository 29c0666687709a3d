import { createItem } from '../src/catalogue/items.service.js';
import { createLocation } from '../src/catalogue/locations.service.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { AppContext } from '../src/kernel/context.js';
import { type ForecastView, forecastAll } from '../src/replenishment/forecast.service.js';
import { systemClock } from '../src/shared/clock.js';
import { sqliteTarget } from './databases.js';
import type { BenchSeries } from './forecast-data.js';

const ROWS_PER_INSERT = 2000;

/**
 * Loads the series into the database as sales history: stores become locations (code =
 * store number), items get their number as SKU.
 */
async function importHistory(ctx: AppContext, series: readonly BenchSeries[]): Promise<void> {
  const itemIds = new Map<number, number>();
  const locationIds = new Map<number, number>();
  for (const item of new Set(series.map((s) => s.item))) {
    await createItem(ctx, { sku: String(item), name: `Item ${item}`, category: 'bench', price: 1 });
    const row = await ctx.db
      .selectFrom('items')
      .select('id')
      .where('sku', '=', String(item))
      .executeTakeFirstOrThrow();
    itemIds.set(item, row.id);
  }
  for (const store of new Set(series.map((s) => s.store))) {
    await createLocation(ctx, { code: String(store), name: `Store ${store}`, kind: 'store' });
    const row = await ctx.db
      .selectFrom('locations')
      .select('id')
      .where('code', '=', String(store))
      .executeTakeFirstOrThrow();
    locationIds.set(store, row.id);
  }
  await ctx.db.transaction().execute(async (trx) => {
    let batch: { item_id: number; location_id: number; day: string; quantity: number }[] = [];
    const flush = async () => {
      if (batch.length > 0) await trx.insertInto('sales_history').values(batch).execute();
      batch = [];
    };
    for (const s of series) {
      const start = Date.parse(`${s.start}T00:00:00Z`);
      for (let t = 0; t < s.quantities.length; t++) {
        batch.push({
          item_id: itemIds.get(s.item)!,
          location_id: locationIds.get(s.store)!,
          day: new Date(start + t * 86_400_000).toISOString().slice(0, 10),
          quantity: s.quantities[t]!,
        });
        if (batch.length === ROWS_PER_INSERT) await flush();
      }
    }
    await flush();
  });
}

export interface DbRun {
  forecasts: ForecastView[];
  importSeconds: number;
  /** Read from the database + backtest + select + forecast + record the selections. */
  pipelineSeconds: number;
}

/** The product pipeline on a fresh SQLite file: what `stockroom forecast export` runs. */
export async function forecastFromSqlite(
  series: readonly BenchSeries[],
  options: { horizon: number; from: string },
): Promise<DbRun> {
  const { database, cleanup } = await sqliteTarget.open();
  try {
    await migrateToLatest(database.db);
    const ctx: AppContext = { db: database.db, dbKind: database.kind, clock: systemClock };
    const t0 = performance.now();
    await importHistory(ctx, series);
    const t1 = performance.now();
    const forecasts = await forecastAll(ctx, options);
    const t2 = performance.now();
    return { forecasts, importSeconds: (t1 - t0) / 1000, pipelineSeconds: (t2 - t1) / 1000 };
  } finally {
    await cleanup();
  }
}
