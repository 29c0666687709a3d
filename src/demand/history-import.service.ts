import { CsvError, type Info, parse } from 'csv-parse';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { AppContext } from '../kernel/context.js';
import { BadRequestError } from '../shared/errors.js';
import {
  type ColumnMapping,
  DEFAULT_MAPPING,
  HistoryImportInvalidError,
  type HistoryImportSummary,
} from './history-import.js';
import { HistoryBatch } from './history-import-batch.js';
import { openCsvBytes } from './history-input.js';

export interface HistoryImportOptions {
  columns?: ColumnMapping;
  /** Create items and locations the file names that the catalogue lacks. */
  createMissing?: boolean;
  /** Told after each batch; the CLI draws its progress bar from it. */
  onProgress?: (rows: number) => void;
}

/** Rows written per statement: 8,000 parameters on SQLite, well under its 32,766. */
export const BATCH_ROWS = 2_000;

/**
 * Imports sales history from a CSV stream (plain or gzip) in one transaction: every row
 * is checked, every problem collected, and if there is any the transaction is rolled back
 * and the rows are reported (422); nothing is imported. Rows are read, checked and written
 * in batches, so memory holds one batch and the sets of SKUs and locations, whatever the
 * size of the file. Once a row is wrong, later rows are only checked, not written.
 *
 * An item, location and day already imported is replaced (importing a file twice changes
 * nothing); within one file the last row for a key wins, as if imported one after another.
 */
export async function importSalesHistory(
  ctx: AppContext,
  input: AsyncIterable<Buffer | string>,
  options: HistoryImportOptions = {},
): Promise<HistoryImportSummary> {
  const started = performance.now();
  const summary = await ctx.db.transaction().execute(async (trx) => {
    // The stream is opened inside the transaction, so its errors reach the loop reading it.
    const batch = await readAll(trx, ctx, await csvRecords(input), options);
    if (batch.errorCount > 0) {
      throw new HistoryImportInvalidError(batch.errors, batch.errorCount, batch.rows);
    }
    return batch.summary();
  });
  return { ...summary, seconds: Math.round(performance.now() - started) / 1000 };
}

async function csvRecords(
  input: AsyncIterable<Buffer | string>,
): Promise<AsyncIterable<{ record: string[]; info: Info }>> {
  const bytes = await openCsvBytes(input);
  const records = bytes.pipe(
    parse({
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      // A row of empty cells (",,,") is what spreadsheets leave below the data.
      skip_records_with_empty_values: true,
      // Rows with too few or too many fields are reported with the other row errors.
      relax_column_count: true,
    }),
  );
  bytes.on('error', (error) => records.destroy(error));
  return records;
}

async function readAll(
  trx: Transaction<DB>,
  ctx: AppContext,
  records: AsyncIterable<{ record: string[]; info: Info }>,
  options: HistoryImportOptions,
): Promise<HistoryBatch> {
  let batch: HistoryBatch | undefined;
  try {
    for await (const { record, info } of records) {
      // info.lines is where the record ends; a quoted field may span lines.
      const line = info.lines - record.reduce((n, field) => n + countNewlines(field), 0);
      if (batch === undefined) {
        batch = new HistoryBatch(trx, {
          header: record,
          mapping: options.columns ?? DEFAULT_MAPPING,
          createMissing: options.createMissing ?? false,
          now: ctx.clock.now().toISOString(),
        });
        continue;
      }
      if (batch.add(line, record) >= BATCH_ROWS) {
        await batch.flush();
        options.onProgress?.(batch.rows);
      }
    }
  } catch (error) {
    if (error instanceof CsvError) {
      throw new BadRequestError('MALFORMED_CSV', `The file is not valid CSV: ${error.message}`, {
        line: typeof error.lines === 'number' ? error.lines : null,
        reason: error.code,
      });
    }
    throw error;
  }
  if (batch === undefined) {
    throw new BadRequestError(
      'IMPORT_EMPTY_FILE',
      'The file is empty: expected a header row such as date,location,sku,quantity',
    );
  }
  await batch.flush();
  options.onProgress?.(batch.rows);
  return batch;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
