import { BadRequestError } from '../shared/errors.js';

/** The calendar date at `at` in a location's time zone (YYYY-MM-DD). */
function localDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * Units dispatched now cannot be due before today. "Today" is the destination's, since
 * that is where the date is promised; a store behind UTC may still be on yesterday.
 */
export function checkExpectedDate(
  expectedDate: string,
  destination: { code: string; time_zone: string },
  at: Date,
) {
  const today = localDate(at, destination.time_zone);
  if (expectedDate < today) {
    throw new BadRequestError(
      'EXPECTED_DATE_IN_PAST',
      `expectedDate ${expectedDate} is before today (${today}) at ${destination.code}`,
      { expectedDate, today, location: destination.code },
    );
  }
}
