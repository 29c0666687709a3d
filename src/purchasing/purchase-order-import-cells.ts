import type { Confidence } from '../domain/item-rules.js';
import { isoDate } from '../shared/dates.js';
import {
  type ImportColumn,
  type ImportRow,
  MAX_QUANTITY,
  MAX_REFERENCE_LENGTH,
  MAX_UNIT_COST,
  type RowError,
  show,
} from './purchase-order-import.js';

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
