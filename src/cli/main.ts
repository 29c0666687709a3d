#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createKey, listKeys, revokeKey } from '../access/keys.service.js';
import { backupSqlite, describeBackup, pgDumpCommand } from '../app/backup.js';
import { loadConfig } from '../app/config.js';
import { installEventReactions } from '../app/event-reactions.js';
import { refreshReplenishment } from '../app/jobs/replenishment-job.js';
import { startServer, stopOnSignals } from '../app/server.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { isCatalogueEmpty, seedDemo } from '../demo/seed-demo.js';
import { auditLedger } from '../inventory/stock.service.js';
import type { AppContext } from '../kernel/context.js';
import { repromiseOverdue } from '../orders/overdue.service.js';
import { ImportInvalidError } from '../purchasing/purchase-order-import.js';
import { importPurchaseOrders } from '../purchasing/purchase-order-import.service.js';
import {
  getSupplierPerformance,
  listSupplierPerformance,
} from '../purchasing/supplier-performance.service.js';
import { systemClock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { registerForecastCommands } from './forecast-commands.js';
import { registerHistoryCommands } from './history-commands.js';
import { registerUserCommands } from './user-commands.js';

/**
 * The `stockroom` command. It calls the same use cases as the HTTP API, on the database
 * named by DATABASE_URL.
 */

async function withContext<T>(run: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = openDatabase(config.databaseUrl, config.databaseOptions);
  try {
    await migrateToLatest(database.db);
    return await run({ db: database.db, dbKind: database.kind, clock: systemClock });
  } finally {
    await database.close();
  }
}

const cliActor = () => `cli:${userInfo().username}`;
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

// Commands write through the same use cases as the API, so events must cause the same messages.
installEventReactions();

const program = new Command('stockroom')
  .description('Stockroom inventory availability service')
  .showHelpAfterError();

program
  .command('serve')
  .description('Migrate the database, then serve the API and its docs (PORT, HOST, DATABASE_URL)')
  .option('--demo', 'load the demo store first if the catalogue is empty')
  .action(async (options: { demo?: boolean }) => {
    const server = await startServer(loadConfig(), {
      beforeListen: async (ctx) => {
        if (options.demo && (await isCatalogueEmpty(ctx))) {
          const summary = await seedDemo(ctx, { actor: cliActor() });
          process.stdout.write(`Loaded the demo store: ${JSON.stringify(summary)}\n`);
        }
      },
    });
    stopOnSignals(server);
  });

program
  .command('migrate')
  .description('Apply pending database migrations')
  .action(async () => {
    const config = loadConfig();
    const database = openDatabase(config.databaseUrl, config.databaseOptions);
    try {
      const applied = await migrateToLatest(database.db);
      process.stdout.write(
        applied.length
          ? `Applied: ${applied.join(', ')}\n`
          : `${database.location} is up to date\n`,
      );
    } finally {
      await database.close();
    }
  });

program
  .command('seed')
  .description('Load sample data')
  .requiredOption(
    '--demo',
    'the demo store: 3 stores, a warehouse, 3 channels, a few hundred items',
  )
  .action(async () => {
    await withContext(async (ctx) => {
      if (!(await isCatalogueEmpty(ctx))) {
        throw new AppError(
          'conflict',
          'NOT_EMPTY',
          'The catalogue already has items; the demo loads only into an empty one',
        );
      }
      print(await seedDemo(ctx, { actor: cliActor() }));
    });
  });

const keys = program.command('keys').description('Manage API keys');

const roleOption = new Option('--role <role>', 'admin, staff or channel')
  .choices(['admin', 'staff', 'channel'])
  .makeOptionMandatory();

keys
  .command('create')
  .description('Create a key and print its secret once')
  .requiredOption('--name <name>', 'who or what uses the key')
  .addOption(roleOption)
  .option('--channel <code>', 'for channel keys: the channel it belongs to')
  .action(
    async (options: { name: string; role: 'admin' | 'staff' | 'channel'; channel?: string }) => {
      await withContext(async (ctx) => print(await createKey(ctx, options)));
    },
  );

keys
  .command('list')
  .description('List keys (never their secrets)')
  .option('--all', 'include revoked keys')
  .action(async (options: { all?: boolean }) => {
    await withContext(async (ctx) => {
      const keysFound = [];
      let cursor: string | undefined;
      do {
        const page = await listKeys(ctx, {
          limit: 1000,
          includeRevoked: options.all ?? false,
          ...(cursor && { cursor }),
        });
        keysFound.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      print(keysFound);
    });
  });

keys
  .command('revoke')
  .description('Revoke a key at once')
  .argument('<id>', 'key id', (value) => {
    const id = Number(value);
    if (!Number.isInteger(id) || id < 1)
      throw new InvalidArgumentError('an id is a positive whole number');
    return id;
  })
  .action(async (id: number) => {
    await withContext(async (ctx) => print(await revokeKey(ctx, id)));
  });

program
  .command('audit')
  .description(
    'Recompute on_hand from the stock ledger and reserved from allocations and holds; exits 1 if anything drifted',
  )
  .action(async () => {
    await withContext(async (ctx) => {
      const report = await auditLedger(ctx);
      print(report);
      if (!report.ok) process.exitCode = 1;
    });
  });

program
  .command('backup')
  .description(
    'SQLite: copy the database consistently while the server runs, then verify the copy (integrity check and stock audit). PostgreSQL: prints the pg_dump command to use',
  )
  .argument('<path>', 'the file to write; it must not exist yet')
  .action(async (path: string) => {
    const { databaseUrl } = loadConfig();
    if (!databaseUrl.startsWith('file:')) {
      process.stderr.write(
        `stockroom backup copies SQLite databases; for PostgreSQL use its own tools (see docs/operations.md, "Backups"):\n  ${pgDumpCommand(databaseUrl, path)}\n`,
      );
      // Nothing was written: a scheduled job must not take this for a backup.
      process.exitCode = 2;
      return;
    }
    const report = await backupSqlite(databaseUrl.slice('file:'.length), path);
    process.stdout.write(`${describeBackup(report)}\n`);
    if (!report.audit.ok) process.exitCode = 1;
  });

program
  .command('repromise-overdue')
  .description(
    'Re-promise backorders resting on supply whose expected date has passed (the server also does this every STOCKROOM_REPROMISE_INTERVAL_MINUTES)',
  )
  .action(async () => {
    await withContext(async (ctx) => print(await repromiseOverdue(ctx, cliActor())));
  });

const suppliers = program.command('suppliers').description('Suppliers');

suppliers
  .command('performance')
  .description('Lead time, on-time rate and fill rate from purchase-order history, as JSON')
  .option('--supplier <code>', 'one supplier (default: every supplier)')
  .action(async (options: { supplier?: string }) => {
    await withContext(async (ctx) =>
      print(
        options.supplier === undefined
          ? await listSupplierPerformance(ctx)
          : await getSupplierPerformance(ctx, options.supplier),
      ),
    );
  });

program
  .command('replenishment')
  .description('Reorder points and suggested purchase orders')
  .command('refresh')
  .description(
    'Recompute the suggested purchase orders and raise shortage_ahead alerts from projected stock-outs, as the nightly job does (STOCKROOM_REPLENISHMENT_HOUR); prints a summary as JSON',
  )
  .action(async () => {
    await withContext(async (ctx) => {
      const { outcome, alerts } = await refreshReplenishment(ctx);
      print({
        today: outcome.today,
        suggestions: outcome.suggestions,
        lines: outcome.lines,
        replaced: outcome.replaced,
        skipped: outcome.skipped,
        projectedShortages: outcome.shortages,
        alerts,
      });
    });
  });

const imports = program.command('import').description('Import data from files');

imports
  .command('purchase-orders')
  .description(
    'Create draft purchase orders from a CSV file, as POST /v1/purchase-orders/import does; if any row is wrong, every problem is listed and nothing is imported',
  )
  .argument('<file>', 'CSV with the header supplier,location,reference,sku,quantity,...')
  .option('--dry-run', 'check the file and show the orders it would create, creating none')
  .action(async (file: string, options: { dryRun?: boolean }) => {
    const csv = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new AppError(
        'invalid',
        'FILE_UNREADABLE',
        `Cannot read ${file}: ${error.code ?? error}`,
      );
    });
    await withContext(async (ctx) => {
      try {
        print(
          await importPurchaseOrders(ctx, csv, { dryRun: options.dryRun ?? false }, cliActor()),
        );
      } catch (error) {
        if (error instanceof ImportInvalidError) {
          for (const e of error.errors) {
            process.stderr.write(
              `${file}:${e.line}: ${e.column ?? 'row'}: ${e.code}: ${e.message}\n`,
            );
          }
        }
        throw error;
      }
    });
  });

registerForecastCommands(program, withContext);
registerHistoryCommands(program, withContext);
registerUserCommands(program, withContext);

program.parseAsync().catch((error: unknown) => {
  if (error instanceof AppError) {
    process.stderr.write(`stockroom: ${error.code}: ${error.message}\n`);
  } else {
    process.stderr.write(
      `stockroom: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exitCode = 1;
});
