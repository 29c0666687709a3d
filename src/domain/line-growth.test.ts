import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type LineDate, promiseAfterGrowth } from './line-growth.js';

const confirmed = (date: string): LineDate => ({ date, confidence: 'confirmed' });
const estimated = (date: string): LineDate => ({ date, confidence: 'estimated' });
const none: LineDate = { date: null, confidence: null };

describe('a line promise after more units wait on it', () => {
  it('is the new units’ promise when nothing waited before', () => {
    assert.deepEqual(promiseAfterGrowth(none, 0, estimated('2026-12-10')), estimated('2026-12-10'));
  });

  it('keeps the later date, estimated if either part is', () => {
    const table: [LineDate, LineDate, LineDate][] = [
      [confirmed('2026-12-10'), confirmed('2026-12-05'), confirmed('2026-12-10')],
      [confirmed('2026-12-05'), confirmed('2026-12-10'), confirmed('2026-12-10')],
      [estimated('2026-12-10'), confirmed('2026-12-05'), estimated('2026-12-10')],
      [confirmed('2026-12-10'), estimated('2026-12-05'), estimated('2026-12-10')],
      [confirmed('2026-12-31'), confirmed('2027-01-01'), confirmed('2027-01-01')],
    ];
    for (const [current, added, expected] of table) {
      assert.deepEqual(promiseAfterGrowth(current, 0, added), expected, JSON.stringify(current));
    }
  });

  it('stays undated while some units wait without a date, or the new ones have none', () => {
    assert.deepEqual(promiseAfterGrowth(none, 2, confirmed('2026-12-10')), none);
    assert.deepEqual(promiseAfterGrowth(confirmed('2026-12-01'), 0, none), none);
  });

  it('never promises earlier than either part', () => {
    const day = fc
      .date({ min: new Date('2026-01-01'), max: new Date('2028-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    const promise = fc.record({
      date: day,
      confidence: fc.constantFrom<'confirmed' | 'estimated'>('confirmed', 'estimated'),
    });
    fc.assert(
      fc.property(promise, promise, (current, added) => {
        const after = promiseAfterGrowth(current, 0, added);
        assert.ok(after.date! >= current.date && after.date! >= added.date);
        assert.ok([current.date, added.date].includes(after.date!));
      }),
    );
  });
});
