import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dayNumber, dayOfWeek, yearMonth } from './calendar-days.js';
import { calendarForecast, fitCalendarProfile } from './calendar-profile.js';
import type { Training } from './model.js';

const DOW = [0.8, 0.9, 1, 1, 1.1, 1.2, 1.0];
const MONTH = [0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.2, 1.1, 1, 0.9, 0.8];
const LEVEL: Record<number, number> = { 2014: 1000, 2015: 1100 };

/** Noiseless multiplicative demand: factor × year level × month × weekday. */
function exact(factor: number, day: number): number {
  const { year, month } = yearMonth(day);
  return factor * LEVEL[year]! * MONTH[month]! * DOW[dayOfWeek(day)]!;
}

function series(factor: number, from: string, through: string): Training {
  const startDay = dayNumber(from);
  const values = Array.from({ length: dayNumber(through) - startDay + 1 }, (_, t) =>
    exact(factor, startDay + t),
  );
  return { startDay, values };
}

const relativelyClose = (actual: number, expected: number, tolerance = 1e-3) =>
  assert.ok(Math.abs(actual / expected - 1) < tolerance, `${actual} is not ${expected}`);

describe('calendar profile', () => {
  it('recovers a multiplicative calendar pattern within the current year', () => {
    const group = [series(1, '2014-01-01', '2015-06-30'), series(2, '2014-01-01', '2015-06-30')];
    const cut = dayNumber('2015-07-01');
    const profile = fitCalendarProfile(group, cut);
    const forecast = calendarForecast(profile, 1, cut, 10);
    forecast.forEach((f, h) => {
      relativelyClose(f, exact(2, cut + h));
    });
  });

  it('carries the last year-on-year growth into next year, damped (growth^0.8)', () => {
    const group = [series(1, '2014-01-01', '2015-12-31'), series(3, '2014-01-01', '2015-12-31')];
    const cut = dayNumber('2016-01-01');
    const profile = fitCalendarProfile(group, cut);
    relativelyClose(profile.growth, 1.1);
    const [first] = calendarForecast(profile, 1, cut, 1);
    // 2016-01-01 is a Friday: 3 × 1100 × 1.1^0.8 × January × Friday
    relativelyClose(first!, 3 * 1100 * 1.1 ** 0.8 * MONTH[0]! * DOW[4]!);
  });

  it('pools the shape: a series with 8 weeks of history gets the group’s months and weekdays', () => {
    const long = series(1, '2014-01-01', '2015-06-30');
    const young = series(0.5, '2015-05-04', '2015-06-30');
    const cut = dayNumber('2015-07-01');
    const forecast = calendarForecast(fitCalendarProfile([long, young], cut), 1, cut, 7);
    forecast.forEach((f, h) => {
      relativelyClose(f, exact(0.5, cut + h));
    });
  });

  it('does not learn from censored days', () => {
    const clean = series(2, '2014-01-01', '2015-06-30');
    const values = [...clean.values];
    for (let t = 400; t < 440; t++) values[t] = null;
    const withGap = { startDay: clean.startDay, values };
    const cut = dayNumber('2015-07-01');
    const expected = calendarForecast(fitCalendarProfile([clean], cut), 0, cut, 14);
    const got = calendarForecast(fitCalendarProfile([withGap], cut), 0, cut, 14);
    got.forEach((f, h) => {
      relativelyClose(f, expected[h]!, 1e-4);
    });
    // the same days read as zero demand instead would drag the forecast down
    const zeros = { startDay: clean.startDay, values: values.map((v) => v ?? 0) };
    const dragged = calendarForecast(fitCalendarProfile([zeros], cut), 0, cut, 1);
    assert.ok(dragged[0]! < expected[0]! * 0.99);
  });
});
