import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expiryOf, holdStateAt, planHold, withinHoldCap } from './holds.js';

describe('holds', () => {
  it('takes each line from the locations in priority order, after the lines before it', () => {
    const free = new Map([
      ['1:10', 3],
      ['1:20', 5],
      ['2:10', 1],
    ]);
    const plans = planHold(
      [
        { itemId: 1, quantity: 4 },
        { itemId: 1, quantity: 4 },
        { itemId: 2, quantity: 2 },
      ],
      [10, 20],
      free,
    );
    assert.deepEqual(plans, [
      {
        takes: [
          { locationId: 10, quantity: 3 },
          { locationId: 20, quantity: 1 },
        ],
        available: 8,
        shortfall: 0,
      },
      { takes: [{ locationId: 20, quantity: 4 }], available: 4, shortfall: 0 },
      { takes: [{ locationId: 10, quantity: 1 }], available: 1, shortfall: 1 },
    ]);
  });

  it('holds a line with a location there alone', () => {
    const free = new Map([
      ['1:10', 9],
      ['1:20', 2],
    ]);
    const [plan] = planHold([{ itemId: 1, quantity: 3, locationId: 20 }], [10, 20], free);
    assert.deepEqual(plan, {
      takes: [{ locationId: 20, quantity: 2 }],
      available: 2,
      shortfall: 1,
    });
  });

  it('counts negative free units (safety stock above what is left) as none', () => {
    const [plan] = planHold([{ itemId: 1, quantity: 1 }], [10], new Map([['1:10', -2]]));
    assert.deepEqual(plan, { takes: [], available: 0, shortfall: 1 });
  });

  const caps: [number | null, number, number, boolean][] = [
    [null, 1_000, 1_000, true],
    [10, 4, 6, true],
    [10, 4, 7, false],
    [0, 0, 1, false],
  ];
  for (const [cap, holding, adding, ok] of caps) {
    it(`cap ${cap}: holding ${holding} + ${adding} is ${ok ? 'allowed' : 'refused'}`, () => {
      assert.equal(withinHoldCap(cap, holding, adding), ok);
    });
  }

  it('expires ttlSeconds after now, and an active hold past it reads as expired', () => {
    const at = expiryOf(new Date('2026-12-01T10:00:00.000Z'), 900);
    assert.equal(at, '2026-12-01T10:15:00.000Z');
    assert.equal(holdStateAt('active', at, '2026-12-01T10:14:59.999Z'), 'active');
    assert.equal(holdStateAt('active', at, at), 'expired');
    assert.equal(holdStateAt('released', at, '2026-12-02T00:00:00.000Z'), 'released');
  });
});
