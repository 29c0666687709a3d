import { type Static, Type } from 'typebox';
import { AppError } from '../shared/errors.js';
import type { NewLineBody } from './purchase-orders.schemas.js';

/**
 * The CSV file of purchase orders: its columns and limits, what reading and checking it
 * yields, and the answers. One row is one line; rows sharing a reference form one order,
 * lines in file order. Reading is purchase-order-import-csv.ts, checking cells
 * purchase-order-import-cells.ts, checking against the catalogue and grouping
 * purchase-order-import-plan.ts, all without a database; the service writes the orders.
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
export const MAX_QUANTITY = 1_000_000_000;
export const MAX_UNIT_COST = 10_000_000;
export const MAX_REFERENCE_LENGTH = 100;

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

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A cell's value in a message: quoted, and cut short if someone pasted a novel. */
export const show = (text: string) =>
  JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
