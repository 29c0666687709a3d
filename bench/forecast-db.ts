import { createReadStream } from 'node:fs';
import { migrateToLatest } from '../src/db/migrate.js';
import { parseColumnMapping } from '../src/demand/history-import.js';
import { importSalesHistory } from '../src/demand/history-import.service.js';
import type { AppContext } from '../src/kernel/context.js';
import { type ForecastView, forecastAll } from '../src/replenishment/forecast.service.js';
import { systemClock } from '../src/shared/clock.js';
import { sqliteTarget } from './databases.js';

export interface DbRun {
  forecasts: ForecastView[];
  importSeconds: number;
  /** Read from the database + backtest + select + forecast + record the selections. */
  pipelineSeconds: number;
}

/**
 * The product pipeline on a fresh SQLite file: the whole file imported as `stockroom
 * history import --create-missing --columns location=store,sku=item,quantity=sales` does
 * (stores become locations, items SKUs, by their numbers), then what `stockroom forecast
 * export --from` runs, which reads history only through the day before `from`.
 */
export async function forecastFromSqlite(
  file: string,
  options: { horizon: number; from: string },
): Promise<DbRun> {
  const { database, cleanup } = await sqliteTarget.open();
  try {
    await migrateToLatest(database.db);
    const ctx: AppContext = { db: database.db, dbKind: database.kind, clock: systemClock };
    const imported = await importSalesHistory(ctx, createReadStream(file), {
      columns: parseColumnMapping('location=store,sku=item,quantity=sales'),
      createMissing: true,
    });
    const started = performance.now();
    const forecasts = await forecastAll(ctx, options);
    const pipelineSeconds = (performance.now() - started) / 1000;
    return { forecasts, importSeconds: imported.seconds, pipelineSeconds };
  } finally {
    await cleanup();
  }
}
