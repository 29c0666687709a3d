/*
 * Formatting in the browser's locale. Dates from the API are ISO: a date-only value
 * (2026-12-05, a promised or expected date) is a calendar day and must not shift with the
 * time zone, so it is formatted as UTC; a timestamp is shown in local time.
 */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

const quantity = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });
const money = new Intl.NumberFormat(undefined, {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatQuantity(value: number): string {
  return quantity.format(value);
}

/** An amount in the shop currency (the API does not name one), or in `currency` when given. */
export function formatMoney(value: number, currency?: string): string {
  if (currency === undefined) return money.format(value);
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(value);
}

/** A date-only value or a timestamp's day. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  if (DATE_ONLY.test(value)) return day.format(new Date(`${value}T00:00:00Z`));
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(value));
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  return dateTime.format(new Date(value));
}
