import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type DemandData,
  drawLeadTimes,
  type Policy,
  simulate,
} from '../../bench/replenishment-sim.js';

const data: DemandData = {
  start: '2016-01-01',
  days: 5,
  series: [{ store: 1, item: 1, sales: Int32Array.from([5, 5, 5, 5, 5]) }],
};

const topUpTo10: Policy = {
  name: 'up to 10',
  initialStock: () => [8],
  review: (_day, positions) => [Math.max(0, 10 - positions[0]!)],
};
const never: Policy = { name: 'never', initialStock: () => [12], review: () => [0] };

describe('simulate (replenishment bench)', () => {
  it('receives, reviews, then serves each day, and loses what it cannot serve', () => {
    // Reviews on days 0, 2, 4; every order takes 1 day.
    // up to 10: d0 order 2 (pos 8), sell 5 → 3 | d1 +2 → 5, sell 5 → 0 | d2 order 10, lose 5
    //           d3 +10, sell 5 → 5 | d4 order 5 (pos 5), sell 5 → 0
    // never:    12 → 7 → 2 → sell 2, lose 3 → lose 5 → lose 5
    const [ordering, idle] = simulate(data, [topUpTo10, never], {
      firstDay: 0,
      lastDay: 4,
      reviewEveryDays: 2,
      leadTimes: [Int32Array.from([1, 1, 1])],
    });
    assert.deepEqual(
      { ...ordering, reviewMs: 0 },
      {
        name: 'up to 10',
        demanded: 25,
        served: 20,
        fillRate: 0.8,
        stockoutDays: 1,
        averageOnHand: (3 + 0 + 0 + 5 + 0) / 5,
        orders: 3,
        reviewMs: 0,
      },
    );
    assert.equal(idle!.served, 12);
    assert.equal(idle!.stockoutDays, 3);
    assert.equal(idle!.averageOnHand, (7 + 2) / 5);
    assert.equal(idle!.orders, 0);
  });

  it('an order with a longer lead time arrives later; a position counts what is on order', () => {
    const seen: number[] = [];
    const watcher: Policy = {
      name: 'watcher',
      initialStock: () => [20],
      review: (_day, positions) => {
        seen.push(positions[0]!);
        return [4];
      },
    };
    // order 4 on day 0 arrives day 3: the day-2 review sees 20 − 10 sold + 4 on order = 14;
    // day 3: 5 + 4 received − 5 sold = 4; the day-4 review sees 4 + the day-2 order (4) = 8
    simulate(data, [watcher], {
      firstDay: 0,
      lastDay: 4,
      reviewEveryDays: 2,
      leadTimes: [Int32Array.from([3, 3, 3])],
    });
    assert.deepEqual(seen, [20, 14, 8]);
  });
});

describe('drawLeadTimes', () => {
  it('is the same for the same seed, and stays within its bounds', () => {
    const a = drawLeadTimes(3, 50, 5, 9, 12);
    const b = drawLeadTimes(3, 50, 5, 9, 12);
    assert.deepEqual(a, b);
    const all = a.flatMap((row) => [...row]);
    assert.ok(all.every((l) => l >= 5 && l <= 9));
    assert.deepEqual([...new Set(all)].sort(), [5, 6, 7, 8, 9]);
    assert.notDeepEqual(drawLeadTimes(3, 50, 5, 9, 13), a);
  });
});
