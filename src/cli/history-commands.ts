import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { HistoryImportInvalidError, parseColumnMapping } from '../demand/history-import.js';
import { importSalesHistory } from '../demand/history-import.service.js';
import type { AppContext } from '../kernel/context.js';
import { AppError } from '../shared/errors.js';

type WithContext = <T>(run: (ctx: AppContext) => Promise<T>) => Promise<T>;

/** How often the progress bar is redrawn at most. */
const PROGRESS_EVERY_MS = 200;

/** `stockroom history import`: the same use case as POST /v1/history. */
export function registerHistoryCommands(program: Command, withContext: WithContext): void {
  const history = program.command('history').description('Sales history');
  history
    .command('import')
    .description(
      'Import daily sales per item and location from a CSV file (plain or gzip; "-" reads standard input). The same item, location and day again replaces the quantity; if any row is wrong, every problem is listed by line and nothing is imported',
    )
    .argument('<file>', 'CSV with a header naming the date, location, sku and quantity columns')
    .option(
      '--columns <mapping>',
      'the header names of the columns when they differ, e.g. location=store,sku=item,quantity=sales',
    )
    .option('--create-missing', 'create items and locations the catalogue does not have yet')
    .action(async (file: string, options: { columns?: string; createMissing?: boolean }) => {
      const columns = parseColumnMapping(options.columns);
      const { input, size } = await openInput(file);
      const progress = progressBar(size);
      await withContext(async (ctx) => {
        try {
          const summary = await importSalesHistory(ctx, progress.counting(input), {
            columns,
            createMissing: options.createMissing ?? false,
            onProgress: progress.update,
          });
          progress.done();
          process.stdout.write(
            `Imported ${summary.rows} rows (${summary.items} items, ${summary.locations} locations, days ${summary.from ?? '-'}…${summary.through ?? '-'}) in ${summary.seconds.toFixed(1)} s${summary.createdItems + summary.createdLocations > 0 ? `; created ${summary.createdItems} items and ${summary.createdLocations} locations` : ''}\n`,
          );
        } catch (error) {
          progress.done();
          if (error instanceof HistoryImportInvalidError) {
            for (const e of error.errors)
              process.stderr.write(`${file}:${e.line}: ${e.column ?? 'row'}: ${e.message}\n`);
            const more = error.errorCount - error.errors.length;
            if (more > 0) process.stderr.write(`${file}: … and ${more} more problems\n`);
          }
          throw error;
        }
      });
    });
}

async function openInput(file: string): Promise<{ input: Readable; size: number | undefined }> {
  if (file === '-') return { input: process.stdin, size: undefined };
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new AppError('invalid', 'FILE_UNREADABLE', `Cannot read ${file}: ${error.code ?? error}`);
  });
  return { input: createReadStream(file), size: info.size };
}

/**
 * On a terminal, a bar on stderr redrawn at most every PROGRESS_EVERY_MS: bytes read of
 * the file (compressed bytes for gzip) and rows so far. Elsewhere nothing: a log gets the
 * summary line only.
 */
function progressBar(size: number | undefined) {
  const enabled = process.stderr.isTTY === true;
  let bytes = 0;
  let drawn = 0;
  let shown = false;
  return {
    async *counting(input: Readable): AsyncGenerator<Buffer | string> {
      for await (const chunk of input) {
        bytes += (chunk as Buffer | string).length;
        yield chunk as Buffer | string;
      }
    },
    update(rows: number) {
      const now = Date.now();
      if (!enabled || now - drawn < PROGRESS_EVERY_MS) return;
      drawn = now;
      shown = true;
      const fraction = size ? Math.min(bytes / size, 1) : undefined;
      const width = 30;
      const bar =
        fraction === undefined
          ? ''
          : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
      process.stderr.write(`\r${bar}${rows.toLocaleString('en')} rows`);
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
