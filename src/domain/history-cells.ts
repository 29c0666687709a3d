/**
 * The cells of one sales-history row, checked on their own (no catalogue): a real
 * calendar date, a whole non-negative quantity, a SKU and a location code as the API
 * would accept them.
 */

export type HistoryColumn = 'date' | 'location' | 'sku' | 'quantity';

export interface CellError {
  column: HistoryColumn;
  message: string;
}

export interface HistoryCells {
  day: string;
  location: string;
  sku: string;
  quantity: number;
}

/** Bigger than any day's sales, small enough for a 32-bit column on both engines. */
export const MAX_DAILY_QUANTITY = 1_000_000_000;

// As src/http/common-schemas.ts Sku and Code: a name the catalogue could not hold is refused.
const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WHOLE = /^\d+$/;

/** A YYYY-MM-DD date that exists (no 2016-02-30), in the years 1900–2999. */
export function isRealDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const show = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

export function checkHistoryCells(cells: Record<HistoryColumn, string>): {
  value?: HistoryCells;
  errors: CellError[];
} {
  const errors: CellError[] = [];
  const { date, location, sku, quantity } = cells;
  if (date === '') errors.push({ column: 'date', message: 'The date is empty' });
  else if (!isRealDate(date))
    errors.push({ column: 'date', message: `${show(date)} is not a real date (YYYY-MM-DD)` });
  if (location === '') errors.push({ column: 'location', message: 'The location is empty' });
  else if (!CODE.test(location))
    errors.push({ column: 'location', message: `${show(location)} is not a location code` });
  if (sku === '') errors.push({ column: 'sku', message: 'The SKU is empty' });
  else if (!SKU.test(sku)) errors.push({ column: 'sku', message: `${show(sku)} is not a SKU` });
  const units = Number(quantity);
  if (quantity === '') errors.push({ column: 'quantity', message: 'The quantity is empty' });
  else if (!WHOLE.test(quantity) || units > MAX_DAILY_QUANTITY)
    errors.push({
      column: 'quantity',
      message: `${show(quantity)} is not a whole number from 0 to ${MAX_DAILY_QUANTITY}`,
    });
  if (errors.length > 0) return { errors };
  return { value: { day: date, location, sku, quantity: units }, errors };
}
