import { type Static, Type } from 'typebox';
import type { HistoryColumn } from '../domain/history-cells.js';
import { AppError, BadRequestError } from '../shared/errors.js';

/**
 * Importing sales history: the file's columns, what a run reports, and its refusal.
 * history-input.ts opens the bytes (plain or gzip), history-import.service.ts reads,
 * checks and writes the rows, history.repository.ts holds the SQL.
 */

export const HISTORY_COLUMNS: readonly HistoryColumn[] = ['date', 'location', 'sku', 'quantity'];

/** Which header names hold each column; by default the column's own name. */
export type ColumnMapping = Record<HistoryColumn, string>;

export const DEFAULT_MAPPING: ColumnMapping = {
  date: 'date',
  location: 'location',
  sku: 'sku',
  quantity: 'quantity',
};

/** Errors listed in a refusal; errorCount gives the full number. */
export const MAX_REPORTED_ERRORS = 1_000;

/**
 * `location=store,sku=item,quantity=sales` (the CLI's --columns and the API's columns=):
 * each column's header name; columns not named keep their own.
 */
export function parseColumnMapping(text: string | undefined): ColumnMapping {
  const mapping = { ...DEFAULT_MAPPING };
  if (text === undefined || text.trim() === '') return mapping;
  for (const pair of text.split(',')) {
    const [column, header, ...rest] = pair.split('=').map((part) => part.trim());
    if (!HISTORY_COLUMNS.includes(column as HistoryColumn) || !header || rest.length > 0) {
      throw new BadRequestError(
        'INVALID_COLUMN_MAPPING',
        `${JSON.stringify(pair)} is not COLUMN=HEADER with COLUMN one of ${HISTORY_COLUMNS.join(', ')}`,
        { mapping: text, columns: HISTORY_COLUMNS },
      );
    }
    mapping[column as HistoryColumn] = header;
  }
  return mapping;
}

/** One problem: in a cell (column named by its header) or in the row as a whole. */
export interface HistoryRowError {
  /** The line in the file; the header is line 1. */
  line: number;
  /** The header name of the cell, absent for the whole row. */
  column?: string;
  message: string;
}

export const HistoryImportSummary = Type.Object({
  rows: Type.Integer({
    minimum: 0,
    description: 'Rows imported (a key repeated in the file counts each time)',
  }),
  items: Type.Integer({ minimum: 0, description: 'Distinct items in the file' }),
  locations: Type.Integer({ minimum: 0, description: 'Distinct locations in the file' }),
  from: Type.Union([Type.String({ format: 'date' }), Type.Null()], {
    description: 'The first day in the file; null when it had no rows',
  }),
  through: Type.Union([Type.String({ format: 'date' }), Type.Null()], {
    description: 'The last day in the file',
  }),
  createdItems: Type.Integer({ minimum: 0, description: 'Items created (createMissing)' }),
  createdLocations: Type.Integer({ minimum: 0, description: 'Locations created (createMissing)' }),
  seconds: Type.Number({ minimum: 0, description: 'How long the import took' }),
});
export type HistoryImportSummary = Static<typeof HistoryImportSummary>;

/** The 422: some rows are wrong, so nothing was imported. */
export class HistoryImportInvalidError extends AppError {
  constructor(
    readonly errors: readonly HistoryRowError[],
    readonly errorCount: number,
    rows: number,
  ) {
    super(
      'unprocessable',
      'IMPORT_INVALID',
      `${errorCount} problem${errorCount === 1 ? '' : 's'} in ${rows} row${rows === 1 ? '' : 's'}; nothing was imported`,
      { errors: errors.slice(0, MAX_REPORTED_ERRORS), errorCount, rows },
    );
  }
}
