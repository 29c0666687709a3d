import { CsvError, type Info, parse } from 'csv-parse/sync';
import { BadRequestError } from '../shared/errors.js';
import { findUnstorableText, lineAt } from '../shared/text.js';
import {
  IMPORT_COLUMNS,
  type ImportColumn,
  type ImportRow,
  MAX_ROWS,
  plural,
  REQUIRED_COLUMNS,
  type ReadFile,
  type RowError,
} from './purchase-order-import.js';
import { checkRow } from './purchase-order-import-cells.js';

/**
 * Parses the file and checks every cell that can be checked without the database.
 * A file that cannot be read as a whole (malformed CSV, a wrong header, no rows) is
 * refused with a 400; problems in rows are returned, for the caller to report with
 * the rest.
 */
export function readPurchaseOrderCsv(text: string): ReadFile {
  // The HTTP route refuses these before they get here; the CLI reads files directly.
  const unstorable = findUnstorableText(text);
  if (unstorable) {
    const line = lineAt(text, unstorable.index);
    throw new BadRequestError(
      'VALIDATION_FAILED',
      `The file contains ${unstorable.what} on line ${line}, which cannot be stored`,
      { line },
    );
  }
  const records = parseRecords(text);
  const [header, ...data] = records;
  if (!header) {
    throw new BadRequestError(
      'IMPORT_EMPTY_FILE',
      `The file is empty: expected a header row such as ${IMPORT_COLUMNS.join(',')}`,
      { expected: IMPORT_COLUMNS },
    );
  }
  const columns = readHeader(header.fields);
  if (data.length === 0) {
    throw new BadRequestError('IMPORT_NO_ROWS', 'The file has a header but no rows to import', {
      columns,
    });
  }
  if (data.length > MAX_ROWS) {
    throw new BadRequestError(
      'IMPORT_TOO_MANY_ROWS',
      `The file has ${data.length} rows; import at most ${MAX_ROWS} at a time`,
      { rows: data.length, max: MAX_ROWS },
    );
  }
  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  for (const record of data) {
    if (record.fields.length !== columns.length) {
      errors.push({
        line: record.line,
        column: null,
        code: 'WRONG_FIELD_COUNT',
        message: `The row has ${plural(record.fields.length, 'field')}; the header has ${columns.length}`,
      });
      continue;
    }
    const cells = new Map(columns.map((column, i) => [column, record.fields[i] ?? '']));
    const checked = checkRow(record.line, (column) => cells.get(column) ?? '');
    rows.push(checked.row);
    errors.push(...checked.errors);
  }
  return { rows, rowCount: data.length, errors };
}

interface CsvRecord {
  /** The line the record starts on. */
  line: number;
  fields: string[];
}

function parseRecords(text: string): CsvRecord[] {
  // Line endings are made uniform first: csv-parse counts a CRLF inside quotes as two
  // lines in an LF file, which would put every later line number out by one.
  const input = text.replace(/\r\n?/g, '\n');
  try {
    // With info, each record comes as { record, info }; the typings do not say so.
    const parsed = parse(input, {
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      // A row of empty cells (",,,,") is what spreadsheets leave below the data.
      skip_records_with_empty_values: true,
      // Rows with too few or too many fields are reported with the other row errors.
      relax_column_count: true,
    }) as unknown as { record: string[]; info: Info }[];
    return parsed.map(({ record, info }) => ({
      // info.lines is where the record ends; a quoted field may span lines.
      line: info.lines - record.reduce((n, field) => n + countNewlines(field), 0),
      fields: record,
    }));
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : undefined;
      throw new BadRequestError('MALFORMED_CSV', `The file is not valid CSV: ${error.message}`, {
        line: line ?? null,
        reason: error.code,
      });
    }
    throw error;
  }
}

const countNewlines = (text: string) => text.split('\n').length - 1;

function readHeader(fields: string[]): ImportColumn[] {
  const names = fields.map((f) => f.toLowerCase());
  const known = new Set<string>(IMPORT_COLUMNS);
  const unknown = names.filter((n) => !known.has(n));
  const duplicate = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (unknown.length > 0 || duplicate.length > 0 || missing.length > 0) {
    const problems = [
      unknown.length > 0 && `unknown ${unknown.map((n) => `"${n}"`).join(', ')}`,
      missing.length > 0 && `missing ${missing.join(', ')}`,
      duplicate.length > 0 && `repeated ${duplicate.join(', ')}`,
    ].filter(Boolean);
    throw new BadRequestError(
      'INVALID_HEADER',
      `The header row is wrong (${problems.join('; ')}); the columns are ${IMPORT_COLUMNS.join(',')}, of which ${REQUIRED_COLUMNS.join(', ')} are required`,
      { unknown, missing, duplicate, expected: IMPORT_COLUMNS, required: REQUIRED_COLUMNS },
    );
  }
  return names as ImportColumn[];
}
