/**
 * Sales history benchmark, on SQLite and on PostgreSQL.
 *
 *   npm run bench:history                        # both databases
 *   npm run bench:history -- --only sqlite --runs 2
 *
 * For each database: imports ../shared/data/store-item-demand-2013-2016.csv.gz (730,500
 * rows, gzip, headers date,store,item,sales) with --create-missing through the same use
 * case as `stockroom history import`, then imports it again (every row replaced), then
 * loads every demand series (500 × 1,461 days) with loadDemandSeries. Prints rows/s and
 * seconds; never asserts on time. The data is read from outside the repository (its terms
 * forbid copying it in).
 */
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrateToLatest } from '../src/db/migrate.js';
import { loadDemandSeries } from '../src/demand/demand-series.service.js';
import { parseColumnMapping } from '../src/demand/history-import.js';
import { importSalesHistory } from '../src/demand/history-import.service.js';
import { systemClock } from '../src/shared/clock.js';
import { chosenTargets, machineLine } from './databases.js';

const { values: args } = parseArgs({
  options: { only: { type: 'string' }, runs: { type: 'string', default: '3' } },
});
const RUNS = Number(args.runs);

const repoRoot = join(import.meta.dirname, '..');
const FILE = join(repoRoot, '..', 'shared', 'data', 'store-item-demand-2013-2016.csv.gz');
const columns = parseColumnMapping('location=store,sku=item,quantity=sales');

async function main() {
  if (!existsSync(FILE)) {
    process.stdout.write(`The shared data is not at ${FILE}; nothing to measure.\n`);
    return;
  }
  process.stdout.write(`${machineLine()}\n`);
  for (const target of await chosenTargets(args.only)) {
    const { database, describe, cleanup } = await target.open();
    process.stdout.write(`\n${target.kind}: ${describe}\n`);
    try {
      await migrateToLatest(database.db);
      const ctx = { db: database.db, dbKind: database.kind, clock: systemClock };
      for (const label of ['first import', 'same file again (replaces every row)']) {
        const summary = await importSalesHistory(ctx, createReadStream(FILE), {
          columns,
          createMissing: true,
        });
        process.stdout.write(
          `  ${label}: ${summary.rows.toLocaleString('en')} rows in ${summary.seconds.toFixed(2)} s = ${Math.round(summary.rows / summary.seconds).toLocaleString('en')} rows/s (${summary.items} items, ${summary.locations} locations, ${summary.from}…${summary.through})\n`,
        );
      }
      for (let run = 1; run <= RUNS; run++) {
        const started = performance.now();
        const series = await loadDemandSeries(database.db, {});
        const ms = performance.now() - started;
        const days = series.reduce((n, s) => n + s.quantities.length, 0);
        process.stdout.write(
          `  loadDemandSeries run ${run}: ${series.length} series, ${days.toLocaleString('en')} series-days in ${ms.toFixed(0)} ms\n`,
        );
      }
    } finally {
      await cleanup();
    }
  }
}

await main();
