import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computePerformance, type LineRecord, type Performance } from './supplier-performance.js';

const TODAY = '2026-02-01';
const SENT = '2026-01-01T00:00:00.000Z';

/** A line sent on SENT, due 2026-01-11, for 10 units, still open with nothing received. */
function line(overrides: Partial<LineRecord> = {}): LineRecord {
  return {
    ordered: 10,
    received: 0,
    cancelled: 0,
    sentAt: SENT,
    firstExpectedDate: '2026-01-11',
    completedAt: null,
    lastReceivedAt: null,
    ...overrides,
  };
}

/** A line fully received in one delivery at `at`. */
function delivered(at: string, overrides: Partial<LineRecord> = {}): LineRecord {
  return line({ received: 10, completedAt: at, lastReceivedAt: at, ...overrides });
}

interface Case {
  name: string;
  records: LineRecord[];
  today?: string;
  expected: Partial<Performance>;
}

const cases: Case[] = [
  {
    name: 'no lines: every figure is null, not zero',
    records: [],
    expected: {
      lines: 0,
      leadTimeDays: null,
      onTimeRate: null,
      onTimeSamples: 0,
      fillRate: null,
    },
  },
  {
    name: 'lead time is the mean and the sample (n − 1) standard deviation',
    // 10, 12 and 14 days: mean 12, sample std dev 2 (the population one would be 1.6).
    records: [
      delivered('2026-01-11T00:00:00.000Z'),
      delivered('2026-01-13T00:00:00.000Z'),
      delivered('2026-01-15T00:00:00.000Z'),
    ],
    expected: { lines: 3, leadTimeDays: { mean: 12, stdDev: 2, samples: 3 } },
  },
  {
    name: 'one lead-time sample has no spread',
    records: [delivered('2026-01-08T00:00:00.000Z')],
    expected: { leadTimeDays: { mean: 7, stdDev: 0, samples: 1 } },
  },
  {
    name: 'lead time counts part days, rounded to one decimal',
    // 2.5 days and 3.25 days: mean 2.875 → 2.9; std dev 0.530… → 0.5.
    records: [delivered('2026-01-03T12:00:00.000Z'), delivered('2026-01-04T06:00:00.000Z')],
    expected: { leadTimeDays: { mean: 2.9, stdDev: 0.5, samples: 2 } },
  },
  {
    name: 'lead time runs to the last delivery and ignores unfinished and empty lines',
    records: [
      // Finished with its last units on day 9: the lead time is 9.
      delivered('2026-01-10T00:00:00.000Z'),
      // Still open after a partial delivery: not a lead time yet.
      line({ received: 4, lastReceivedAt: '2026-01-05T00:00:00.000Z' }),
      // Closed with nothing received: nothing was delivered, so no lead time.
      line({ cancelled: 10, completedAt: '2026-01-20T00:00:00.000Z' }),
    ],
    expected: { lines: 3, leadTimeDays: { mean: 9, stdDev: 0, samples: 1 } },
  },
  {
    name: 'on time on the promised day, late after it, late if still open past it, not yet due otherwise',
    records: [
      // Delivered on the promised day (late in the day still counts): on time.
      delivered('2026-01-11T23:00:00.000Z'),
      // Delivered a day after the promised date: late.
      delivered('2026-01-12T08:00:00.000Z'),
      // Open and past its date: late.
      line({ firstExpectedDate: '2026-01-20' }),
      // Partly received, open, past its date: late.
      line({ received: 6, lastReceivedAt: '2026-01-09T00:00:00.000Z' }),
      // Open, due later: left out.
      line({ firstExpectedDate: '2026-02-10' }),
      // Open, due today: not late yet, left out.
      line({ firstExpectedDate: TODAY }),
    ],
    expected: { lines: 6, onTimeRate: 0.25, onTimeSamples: 4 },
  },
  {
    name: 'a line delivered in full before its date counts even when the date is still ahead',
    records: [delivered('2026-01-30T00:00:00.000Z', { firstExpectedDate: '2026-02-15' })],
    expected: { onTimeRate: 1, onTimeSamples: 1 },
  },
  {
    name: 'the on-time rate is rounded to four decimals',
    records: [
      delivered('2026-01-05T00:00:00.000Z'),
      delivered('2026-01-20T00:00:00.000Z'),
      delivered('2026-01-21T00:00:00.000Z'),
    ],
    expected: { onTimeRate: 0.3333, onTimeSamples: 3 },
  },
  {
    name: 'nothing due yet: the on-time rate is null',
    records: [line({ firstExpectedDate: '2026-03-01' })],
    expected: { lines: 1, onTimeRate: null, onTimeSamples: 0, leadTimeDays: null },
  },
  {
    name: 'an over-receipt counts as a 100 % fill, not more',
    records: [delivered('2026-01-10T00:00:00.000Z', { received: 12 })],
    expected: { fillRate: 1 },
  },
  {
    name: 'a line closed short lowers the fill rate',
    // 10 of 10, and 5 of 10 with the rest closed: 15 of 20.
    records: [
      delivered('2026-01-10T00:00:00.000Z'),
      delivered('2026-01-10T00:00:00.000Z', { received: 5, cancelled: 5 }),
    ],
    expected: { fillRate: 0.75 },
  },
  {
    name: 'an over-receipt does not make up for another line closed short',
    // min(14, 10) + 4 = 14 of 20, not 18 of 20.
    records: [
      delivered('2026-01-10T00:00:00.000Z', { received: 14 }),
      delivered('2026-01-10T00:00:00.000Z', { received: 4, cancelled: 6 }),
    ],
    expected: { fillRate: 0.7 },
  },
  {
    name: 'a line closed with nothing received is a zero fill',
    records: [
      delivered('2026-01-10T00:00:00.000Z', { ordered: 30, received: 30 }),
      line({ cancelled: 10, completedAt: '2026-01-20T00:00:00.000Z' }),
    ],
    expected: { fillRate: 0.75 },
  },
  {
    name: 'open lines are left out of the fill rate',
    records: [line({ received: 3, lastReceivedAt: '2026-01-05T00:00:00.000Z' })],
    expected: { fillRate: null },
  },
];

describe('computePerformance', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = computePerformance(c.records, c.today ?? TODAY);
      const picked = Object.fromEntries(
        Object.keys(c.expected).map((key) => [key, result[key as keyof Performance]]),
      );
      assert.deepEqual(picked, c.expected, JSON.stringify(result));
    });
  }
});
