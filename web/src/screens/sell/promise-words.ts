/**
 * The promised date in the words a cashier reads to the customer. Dates are ISO calendar
 * days (no time zone): they are formatted as UTC so a browser west of Greenwich does not
 * read "2026-12-15" as the 14th.
 */

function utcDay(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

/** "Tuesday 15 December", with the year when it is not today's year. */
export function spokenDate(iso: string, today: string, locale = 'en-GB'): string {
  const parts = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).formatToParts(utcDay(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  // Assembled by hand: spoken aloud, the locale's commas ("Tuesday, 15 …") only get in the way.
  const day = `${part('weekday')} ${part('day')} ${part('month')}`;
  return iso.slice(0, 4) === today.slice(0, 4) ? day : `${day} ${part('year')}`;
}

/** Whole days from today to the date (negative if past). */
export function daysUntil(iso: string, today: string): number {
  return Math.round((utcDay(iso).getTime() - utcDay(today).getTime()) / 86_400_000);
}

/** "tomorrow", "in 10 days", "in 3 weeks": how far away the date is, roughly. */
export function howSoon(iso: string, today: string): string {
  const days = daysUntil(iso, today);
  if (days <= 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days < 14) return `in ${days} days`;
  const weeks = Math.round(days / 7);
  return weeks < 9 ? `in ${weeks} weeks` : `in about ${Math.round(days / 30)} months`;
}

export interface Expected {
  date: string;
  confidence: 'confirmed' | 'estimated';
}

/**
 * The sentence to read out. A confirmed date rests on a supplier's confirmed delivery; an
 * estimate (a lead time or an unconfirmed order) must not sound like a promise.
 */
export function expectationSentence({ date, confidence }: Expected, today: string): string {
  const day = spokenDate(date, today);
  return confidence === 'confirmed'
    ? `We expect it on ${day}.`
    : `We expect it around ${day} (an estimate).`;
}
