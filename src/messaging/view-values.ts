/** Reading untyped message data, and dates in words: the pieces every view is built from. */

const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const SHORT_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/**
 * "Friday 11 December 2026". Built from parts: ICU versions differ on the comma after
 * the weekday, and a message should read the same wherever the server runs.
 */
export function readableDate(iso: string | null): string {
  const date = parseDate(iso);
  if (!date) return iso ?? 'no date yet';
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    LONG_DATE.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}

/** "11 Dec 2026", for SMS. */
export function shortDate(iso: string | null): string {
  const date = parseDate(iso);
  if (!date) return iso ?? 'no date yet';
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    SHORT_DATE.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month')} ${part('year')}`;
}

function parseDate(iso: string | null): Date | null {
  if (!iso) return null;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export function str(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

export function int(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : null;
}
