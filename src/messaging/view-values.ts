/** Reading untyped message data, and dates in words: the pieces every view is built from. */

/** The locale each message language formats dates and prices with. */
const LOCALES: Record<string, string> = { en: 'en-GB', de: 'de-DE', fr: 'fr-FR' };

export function localeOf(language: string): string {
  return LOCALES[language] ?? LOCALES[language.slice(0, 2)] ?? language;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions) {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let found = formats.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formats.set(key, found);
  }
  return found;
}

const LONG: Intl.DateTimeFormatOptions = {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
};
const SHORT: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };

/**
 * "Friday 11 December 2026" ("Freitag, 11. Dezember 2026"). A date (YYYY-MM-DD) is a
 * calendar day already: it is shown as it is, never moved by a zone. An instant is shown
 * as the day it was in `timeZone`. English is built from parts: ICU versions differ on
 * the comma after the weekday, and a message should read the same wherever it is sent.
 */
export function readableDate(iso: string | null, language = 'en', timeZone = 'UTC'): string {
  const date = parseDate(iso);
  if (!date) return iso ?? 'no date yet';
  const zone = isDay(iso) ? 'UTC' : timeZone;
  const fmt = format(localeOf(language), zone, LONG);
  if (!language.startsWith('en')) return fmt.format(date);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    fmt.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}

/** "11 Dec 2026", for SMS. */
export function shortDate(iso: string | null, language = 'en', timeZone = 'UTC'): string {
  const date = parseDate(iso);
  if (!date) return iso ?? 'no date yet';
  const zone = isDay(iso) ? 'UTC' : timeZone;
  const fmt = format(localeOf(language), zone, SHORT);
  if (!language.startsWith('en')) return fmt.format(date);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    fmt.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month')} ${part('year')}`;
}

/** "14:05": the time of day of an instant in `timeZone`. */
export function timeOfDay(iso: string | null, language = 'en', timeZone = 'UTC'): string | null {
  const date = parseDate(iso);
  if (!date || isDay(iso)) return null;
  return format(localeOf(language), timeZone, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

/** "£12.50" ("12,50 £"): minor units in the shop's currency. */
export function price(cents: number | null | undefined, language: string, currency: string) {
  if (cents === null || cents === undefined) return null;
  return new Intl.NumberFormat(localeOf(language), { style: 'currency', currency }).format(
    cents / 100,
  );
}

/**
 * What a greeting calls someone: the first word of their name ("Ann" of "Ann Example",
 * "Ann" of "Example, Ann"); null when there is no name to use.
 */
export function firstName(name: string | null): string | null {
  if (!name) return null;
  const trimmed = name.trim();
  const given = trimmed.includes(',') ? trimmed.slice(trimmed.indexOf(',') + 1) : trimmed;
  const first = given.trim().split(/\s+/)[0] ?? '';
  return first === '' ? null : first;
}

function isDay(iso: string | null): boolean {
  return iso !== null && /^\d{4}-\d{2}-\d{2}$/.test(iso);
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
