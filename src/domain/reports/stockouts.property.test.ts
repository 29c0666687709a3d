import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays } from '../../shared/dates.js';
import { type LevelChange, stockoutSpan } from './stockouts.js';

/**
 * stockoutSpan against the definition spelt out naively: list every level the item held
 * each day (the opening one, then each movement's), a day is out when any of them is 0,
 * and an episode starts at each 0 that follows a level other than 0.
 */
function reference(opening: number | null, changes: LevelChange[], from: string, days: number) {
  let level = opening;
  let previous: number | null = null;
  let daysOut = 0;
  let episodes = 0;
  for (let d = 0; d < days; d += 1) {
    const day = addDays(from, d);
    const levels = [level, ...changes.filter((c) => c.day === day).map((c) => c.onHandAfter)];
    if (levels.some((l) => l === 0)) daysOut += 1;
    for (const l of levels) {
      if (l === 0 && previous !== 0) episodes += 1;
      if (l !== null) previous = l;
    }
    level = levels.at(-1) ?? null;
  }
  return { daysOut, episodes };
}

describe('stock-out span (property)', () => {
  it('matches the naive definition for any opening level and movements', () => {
    const from = '2026-03-01';
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 3 })), {
          maxLength: 12,
        }),
        fc.integer({ min: 1, max: 10 }),
        (opening, moves, days) => {
          const changes = moves
            .map(([offset, onHandAfter]) => ({ day: addDays(from, offset), onHandAfter }))
            .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
          const inPeriod = changes.filter((c) => c.day <= addDays(from, days - 1));
          const span = stockoutSpan(opening, inPeriod, from, addDays(from, days - 1));
          assert.deepEqual(span, reference(opening, inPeriod, from, days));
          assert.ok(span.daysOut <= days);
        },
      ),
      { numRuns: 300 },
    );
  });
});
