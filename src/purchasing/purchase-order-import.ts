import { CsvError, type Info, parse } from 'csv-parse/sync';
import { type Static, Type } from 'typebox';
import type { Confidence } from '../domain/item-rules.js';
import { isoDate } from '../shared/dates.js';
import { AppError, BadRequestError } from '../shared/errors.js';
import { findUnstorableText, lineAt } from '../shared/text.js';
import type { CreatePurchaseOrderBody, NewLineBody } from './purchase-orders.schemas.js';

/**
 * Reading and checking a CSV file of purchase orders, with no database: the service
 * supplies what the catalogue knows (see Catalogue) and writes the orders. One row is one
 * line; rows sharing a reference form one order, lines in file order.
 */

export const IMPORT_COLUMNS = [
  'supplier',
  'location',
  'reference',
  'sku',
  'quantity',
  'unit_cost',
  'expected_date',
  'confidence',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** The optional columns may be left out of the header, or left empty in a row. */
export const REQUIRED_COLUMNS: readonly ImportColumn[] = [
  'supplier',
  'location',
  'reference',
  'sku',
  'quantity',
];

/** Data rows in one file: the import runs in one transaction, so it stays bounded. */
export const MAX_ROWS = 10_000;
/** As for an order created through the API (CreatePurchaseOrderBody). */
export const MAX_LINES_PER_ORDER = 500;
/** Errors listed in a refusal; errorCount gives the full number. */
export const MAX_REPORTED_ERRORS = 1_000;
const MAX_QUANTITY = 1_000_000_000;
const MAX_UNIT_COST = 10_000_000;
const MAX_REFERENCE_LENGTH = 100;

/** One problem in one cell (column) or in the row as a whole (column null). */
export interface RowError {
  /** The physical line in the file; the header is line 1. */
  line: number;
  column: ImportColumn | null;
  code: string;
  message: string;
}

/** A data row whose cells have been checked on their own. */
export interface ImportRow {
  line: number;
  supplier: string;
  location: string;
  reference: string;
  sku: string;
  /** The line's values, or null if any of them is invalid (the errors say which). */
  values: Omit<NewLineBody, 'sku'> | null;
  /** unit_cost was left empty: the supplier's own cost applies, so it must sell the item. */
  costFromSupplier: boolean;
}

export interface ReadFile {
  rows: ImportRow[];
  /** Every data row, including those with the wrong number of fields. */
  rowCount: number;
  errors: RowError[];
}

/** What the database knows, asked about the codes the file names. */
export interface Catalogue {
  hasSupplier(code: string): boolean;
  hasLocation(code: string): boolean;
  hasSku(sku: string): boolean;
  /** The supplier lists the item, so its unit cost can default. */
  supplies(supplier: string, sku: string): boolean;
  /** The supplier already has a purchase order with this reference. */
  hasReference(supplier: string, reference: string): boolean;
}

export interface PlannedOrder {
  reference: string;
  supplier: string;
  location: string;
  /** The order's first line in the file. */
  line: number;
  rows: ImportRow[];
}

export const ImportedOrder = Type.Object({
  id: Type.Optional(
    Type.Integer({ description: 'The new draft order; absent in a dry run, which creates none' }),
  ),
  reference: Type.String(),
  supplier: Type.String(),
  location: Type.String(),
  lines: Type.Integer({ minimum: 1 }),
  units: Type.Integer({ minimum: 1, description: 'Sum of the quantities of its lines' }),
});
export type ImportedOrder = Static<typeof ImportedOrder>;

export const ImportResult = Type.Object({
  dryRun: Type.Boolean(),
  orders: Type.Array(ImportedOrder),
  rows: Type.Integer({ minimum: 0, description: 'Data rows read (the header excluded)' }),
});
export type ImportResult = Static<typeof ImportResult>;

/** The 422: some rows are wrong, so nothing was imported. */
export class ImportInvalidError extends AppError {
  constructor(
    readonly errors: RowError[],
    counts: { rows: number; orders: number },
  ) {
    const lines = new Set(errors.map((e) => e.line)).size;
    super(
      'unprocessable',
      'IMPORT_INVALID',
      `${plural(errors.length, 'problem')} on ${plural(lines, 'line')}; nothing was imported`,
      {
        errors: errors.slice(0, MAX_REPORTED_ERRORS),
        errorCount: errors.length,
        ...counts,
      },
    );
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

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

/** Checks one row's cells on their own: formats and ranges, not the catalogue. */
export function checkRow(
  line: number,
  cell: (column: ImportColumn) => string,
): { row: ImportRow; errors: RowError[] } {
  const errors: RowError[] = [];
  const fail = (column: ImportColumn, code: string, message: string) => {
    errors.push({ line, column, code, message });
  };
  for (const column of ['supplier', 'location', 'reference', 'sku'] as const) {
    if (cell(column) === '') fail(column, 'VALUE_REQUIRED', `${column} is required`);
  }
  const reference = cell('reference');
  if (reference.length > MAX_REFERENCE_LENGTH) {
    fail(
      'reference',
      'INVALID_REFERENCE',
      `reference must be at most ${MAX_REFERENCE_LENGTH} characters`,
    );
  }
  const quantity = readQuantity(cell('quantity'));
  const unitCost = readUnitCost(cell('unit_cost'));
  const expectedDate = readDate(cell('expected_date'));
  const confidence = readConfidence(cell('confidence'));
  const checks = [
    ['quantity', quantity],
    ['unit_cost', unitCost],
    ['expected_date', expectedDate],
    ['confidence', confidence],
  ] as const;
  for (const [column, result] of checks) {
    if (!result.ok) fail(column, result.code, result.message);
  }
  const values =
    quantity.ok && unitCost.ok && expectedDate.ok && confidence.ok
      ? {
          quantity: quantity.value,
          ...(unitCost.value !== undefined && { unitCost: unitCost.value }),
          ...(expectedDate.value !== undefined && { expectedDate: expectedDate.value }),
          ...(confidence.value !== undefined && { confidence: confidence.value }),
        }
      : null;
  return {
    row: {
      line,
      supplier: cell('supplier'),
      location: cell('location'),
      reference,
      sku: cell('sku'),
      values,
      costFromSupplier: cell('unit_cost') === '',
    },
    errors,
  };
}

type Checked<T> = { ok: true; value: T } | { ok: false; code: string; message: string };
const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = (code: string, message: string): Checked<never> => ({ ok: false, code, message });

/** A cell's value in a message: quoted, and cut short if someone pasted a novel. */
const show = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

export function readQuantity(text: string): Checked<number> {
  if (text === '') return bad('VALUE_REQUIRED', 'quantity is required');
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    return bad(
      'INVALID_QUANTITY',
      `quantity must be a whole number of at least 1, not ${show(text)}`,
    );
  }
  if (Number(text) > MAX_QUANTITY) {
    return bad('INVALID_QUANTITY', `quantity must be at most ${MAX_QUANTITY}, not ${show(text)}`);
  }
  return ok(Number(text));
}

/** Empty means the supplier's cost. Decimal units with at most 2 decimals: "12.5", "0.99". */
export function readUnitCost(text: string): Checked<number | undefined> {
  if (text === '') return ok(undefined);
  const number = /^(?=\.?\d)\d*(?:\.(\d*))?$/;
  if (text.startsWith('-') && number.test(text.slice(1))) {
    return bad('INVALID_UNIT_COST', `unit_cost must not be negative, got ${show(text)}`);
  }
  const match = number.exec(text);
  if (!match) {
    return bad('INVALID_UNIT_COST', `unit_cost must be a number such as 12.50, not ${show(text)}`);
  }
  // "12.500" is fine; "12.505" is a fraction of a cent.
  if ((match[1] ?? '').replace(/0+$/, '').length > 2) {
    return bad('INVALID_UNIT_COST', `unit_cost has more than 2 decimals: ${show(text)}`);
  }
  const value = Number(text);
  if (value > MAX_UNIT_COST) {
    return bad(
      'INVALID_UNIT_COST',
      `unit_cost must be at most ${MAX_UNIT_COST}, not ${show(text)}`,
    );
  }
  return ok(value);
}

/** Empty means today plus the lead time. */
export function readDate(text: string): Checked<string | undefined> {
  if (text === '') return ok(undefined);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    return bad('INVALID_DATE', `expected_date must be a date as YYYY-MM-DD, not ${show(text)}`);
  }
  const at = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(at.getTime()) || isoDate(at) !== text) {
    return bad('INVALID_DATE', `expected_date ${show(text)} is not a real date`);
  }
  // As the JSON API's dates: nothing in purchasing is before 1900 or after 2999.
  if (text < '1900' || text >= '3000') {
    return bad(
      'INVALID_DATE',
      `expected_date must be in the years 1900 to 2999, not ${show(text)}`,
    );
  }
  return ok(text);
}

/** Empty means estimated. Either case is accepted, as spreadsheets capitalise. */
export function readConfidence(text: string): Checked<Confidence | undefined> {
  const value = text.toLowerCase();
  if (value === '') return ok(undefined);
  if (value === 'confirmed' || value === 'estimated') return ok(value);
  return bad('INVALID_CONFIDENCE', `confidence must be confirmed or estimated, not ${show(text)}`);
}

/**
 * Checks the rows against the catalogue and against each other, and groups them into
 * orders by reference. Codes left empty were reported by checkRow and are not looked up.
 */
export function planImport(
  rows: readonly ImportRow[],
  catalogue: Catalogue,
): { orders: PlannedOrder[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const byReference = new Map<string, PlannedOrder>();
  for (const row of rows) {
    const fail = (column: ImportColumn, code: string, message: string) => {
      errors.push({ line: row.line, column, code, message });
    };
    const supplierKnown = row.supplier !== '' && catalogue.hasSupplier(row.supplier);
    const skuKnown = row.sku !== '' && catalogue.hasSku(row.sku);
    if (row.supplier !== '' && !supplierKnown) {
      fail('supplier', 'SUPPLIER_NOT_FOUND', `No supplier with code ${show(row.supplier)}`);
    }
    if (row.location !== '' && !catalogue.hasLocation(row.location)) {
      fail('location', 'LOCATION_NOT_FOUND', `No location with code ${show(row.location)}`);
    }
    if (row.sku !== '' && !skuKnown) {
      fail('sku', 'ITEM_NOT_FOUND', `No item with SKU ${show(row.sku)}`);
    }
    if (
      row.costFromSupplier &&
      supplierKnown &&
      skuKnown &&
      !catalogue.supplies(row.supplier, row.sku)
    ) {
      fail(
        'unit_cost',
        'UNIT_COST_REQUIRED',
        `Supplier ${row.supplier} has no cost for ${row.sku}: give unit_cost or link the item to the supplier`,
      );
    }
    if (row.reference === '') continue;
    const order = byReference.get(row.reference);
    if (!order) {
      byReference.set(row.reference, {
        reference: row.reference,
        supplier: row.supplier,
        location: row.location,
        line: row.line,
        rows: [row],
      });
    } else if (order.supplier !== row.supplier || order.location !== row.location) {
      fail(
        'reference',
        'REFERENCE_CONFLICT',
        `Reference ${show(row.reference)} is for supplier ${order.supplier} at ${order.location} on line ${order.line}; one reference is one order`,
      );
    } else if (order.rows.length >= MAX_LINES_PER_ORDER) {
      fail(
        'reference',
        'TOO_MANY_LINES',
        `Order ${show(row.reference)} would have more than ${MAX_LINES_PER_ORDER} lines`,
      );
    } else {
      order.rows.push(row);
    }
  }
  const orders = [...byReference.values()];
  for (const order of orders) {
    if (
      catalogue.hasSupplier(order.supplier) &&
      catalogue.hasReference(order.supplier, order.reference)
    ) {
      errors.push({
        line: order.line,
        column: 'reference',
        code: 'REFERENCE_EXISTS',
        message: `Supplier ${order.supplier} already has a purchase order with reference ${show(order.reference)}`,
      });
    }
  }
  return { orders, errors };
}

/** Errors in file order: by line, then by column as the columns are listed. */
export function sortErrors(errors: readonly RowError[]): RowError[] {
  const rank = (column: ImportColumn | null) =>
    column === null ? -1 : IMPORT_COLUMNS.indexOf(column);
  return [...errors].sort((a, b) => a.line - b.line || rank(a.column) - rank(b.column));
}

/** The createPurchaseOrder input for a planned order whose rows all passed. */
export function toCreateBody(order: PlannedOrder): CreatePurchaseOrderBody {
  return {
    supplier: order.supplier,
    location: order.location,
    reference: order.reference,
    lines: order.rows.map((row) => {
      if (!row.values) throw new Error(`Line ${row.line} was not checked before import`);
      return { sku: row.sku, ...row.values };
    }),
  };
}

export function summarise(order: PlannedOrder): ImportedOrder {
  return {
    reference: order.reference,
    supplier: order.supplier,
    location: order.location,
    lines: order.rows.length,
    units: order.rows.reduce((n, row) => n + (row.values?.quantity ?? 0), 0),
  };
}
