import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summariseWaits } from './backorder-waits.js';
import { coverOf } from './cover.js';
import { emerging, topBy } from './growth.js';
import { daysPerMonth, monthlyIndex } from './seasonality.js';
import { mean, median, percentile } from './statistics.js';
import { stockoutSpan } from './stockouts.js';

describe('report statistics', () => {
  it('interpolates percentiles between ranks', () => {
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([5]), 5);
    // p90 of 1..10: rank 0.9 × 9 = 8.1 → 9 + 0.1 × (10 − 9)
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)?.toFixed(6), '9.100000');
    assert.equal(percentile([], 0.9), null);
    assert.equal(mean([1, 2, 6]), 3);
    assert.equal(mean([]), null);
  });
});

describe('stock-out days and episodes', () => {
  it('counts a day out when the level touched 0, carrying levels across quiet days', () => {
    // Opens at 5; sold out on the 3rd, restocked on the 5th, sold out again on the 8th.
    const span = stockoutSpan(
      5,
      [
        { day: '2026-01-03', onHandAfter: 0 },
        { day: '2026-01-05', onHandAfter: 4 },
        { day: '2026-01-08', onHandAfter: 0 },
      ],
      '2026-01-01',
      '2026-01-10',
    );
    // Out: 3, 4, 5 (0 in the morning), 8, 9, 10.
    assert.deepEqual(span, { daysOut: 6, episodes: 2 });
  });

  it('counts a period that opens at 0 as an episode, and one within a day as one', () => {
    const span = stockoutSpan(
      0,
      [
        { day: '2026-01-02', onHandAfter: 3 },
        { day: '2026-01-02', onHandAfter: 0 },
        { day: '2026-01-02', onHandAfter: 2 },
      ],
      '2026-01-01',
      '2026-01-03',
    );
    assert.deepEqual(span, { daysOut: 2, episodes: 2 });
  });

  it('does not count days before the first movement', () => {
    const span = stockoutSpan(
      null,
      [{ day: '2026-01-04', onHandAfter: 2 }],
      '2026-01-01',
      '2026-01-05',
    );
    assert.deepEqual(span, { daysOut: 0, episodes: 0 });
  });
});

describe('growth and best sellers', () => {
  it('ranks by the chosen measure, ties by the other, then by key', () => {
    const rows = [
      { key: 'B', units: 10, value: 50 },
      { key: 'A', units: 10, value: 50 },
      { key: 'C', units: 4, value: 400 },
      { key: 'D', units: 0, value: 0 },
    ];
    assert.deepEqual(
      topBy(rows, 'units', 10).map((r) => r.key),
      ['A', 'B', 'C'],
    );
    assert.deepEqual(
      topBy(rows, 'value', 2).map((r) => r.key),
      ['C', 'A'],
    );
  });

  it('puts new sellers first, then growth, and drops small volumes', () => {
    const current = new Map([
      ['A', 20],
      ['B', 30],
      ['C', 12],
      ['D', 3],
      ['E', 10],
    ]);
    const previous = new Map([
      ['A', 10],
      ['B', 10],
      ['D', 1],
      ['E', 10],
    ]);
    assert.deepEqual(emerging(current, previous, 5, 10), [
      { key: 'C', units: 12, previousUnits: 0, growth: null },
      { key: 'B', units: 30, previousUnits: 10, growth: 2 },
      { key: 'A', units: 20, previousUnits: 10, growth: 1 },
    ]);
  });
});

describe('seasonality index', () => {
  it('counts the days of each month in a range', () => {
    const days = daysPerMonth('2026-01-30', '2026-03-02');
    assert.deepEqual(days.slice(0, 4), [2, 28, 2, 0]);
  });

  it('divides each month average by the range average', () => {
    // January 31 days × 2 units, February 28 days × 1 unit: overall 90 / 59.
    const days = daysPerMonth('2026-01-01', '2026-02-28');
    const [jan, feb] = monthlyIndex([62, 28], days);
    assert.equal(jan?.averageDailyUnits, 2);
    assert.equal(jan?.index?.toFixed(4), (2 / (90 / 59)).toFixed(4));
    assert.equal(feb?.index?.toFixed(4), (1 / (90 / 59)).toFixed(4));
    assert.equal(monthlyIndex([0, 0], days)[0]?.index, null);
  });
});

describe('days of cover', () => {
  it('compares on hand with demand and keeps the units the threshold needs', () => {
    // 2 a day for 90 days needs 180; 200 on hand is 100 days, 20 beyond.
    assert.deepEqual(coverOf(200, 2, 90), { daysOfCover: 100, excessUnits: 20 });
    assert.deepEqual(coverOf(5, 0, 90), { daysOfCover: null, excessUnits: 5 });
    assert.deepEqual(coverOf(10, 0.5, 90), { daysOfCover: 20, excessUnits: 0 });
  });
});

describe('backorder waits and promise accuracy', () => {
  const now = '2026-03-01T12:00:00.000Z';
  it('measures waits to delivery or to now, and promises against the first date', () => {
    const summary = summariseWaits(
      [
        // 4 days, delivered on its promise.
        {
          placedAt: '2026-02-01T12:00:00.000Z',
          firstPromisedDate: '2026-02-05',
          deliveredAt: '2026-02-05T12:00:00.000Z',
          stillWaiting: false,
        },
        // 10 days, 3 days late.
        {
          placedAt: '2026-02-01T12:00:00.000Z',
          firstPromisedDate: '2026-02-08',
          deliveredAt: '2026-02-11T12:00:00.000Z',
          stillWaiting: false,
        },
        // Still waiting 20 days, 5 days past its promise.
        {
          placedAt: '2026-02-09T12:00:00.000Z',
          firstPromisedDate: '2026-02-24',
          deliveredAt: null,
          stillWaiting: true,
        },
        // Still waiting 1 day, not yet due: no promise verdict.
        {
          placedAt: '2026-02-28T12:00:00.000Z',
          firstPromisedDate: '2026-03-04',
          deliveredAt: null,
          stillWaiting: true,
        },
        // Cancelled: neither a wait nor a promise.
        {
          placedAt: '2026-02-28T12:00:00.000Z',
          firstPromisedDate: '2026-03-04',
          deliveredAt: null,
          stillWaiting: false,
        },
      ],
      now,
    );
    // Waits 4, 10, 20, 1: mean 8.75, median 7, p90 = 10 + 0.7 × 10 = 17.
    assert.deepEqual(summary, {
      lines: 5,
      waiting: 2,
      waitDays: { mean: 8.8, median: 7, p90: 17 },
      promisesMeasured: 3,
      onTimeRate: 0.3333,
      meanDaysLate: 4,
    });
  });
});
