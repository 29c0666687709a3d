import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorSpread, intervals, quantile } from './intervals.js';

describe('prediction intervals', () => {
  it('takes quantiles by linear interpolation between order statistics', () => {
    // position (5 − 1) · 0.1 = 0.4 between 1 and 2; (5 − 1) · 0.9 = 3.6 between 4 and 10
    assert.equal(quantile([1, 2, 3, 4, 10], 0.1), 1.4);
    assert.ok(Math.abs(quantile([1, 2, 3, 4, 10], 0.9) - 7.6) < 1e-12);
  });

  it('scales the backtest’s actual/forecast ratios onto future forecasts', () => {
    // ratios 0.5, 0.6, …, 1.4 (forecast 10 each): 10th percentile 0.59, 90th 1.31
    const actual = Array.from({ length: 10 }, (_, k) => 5 + k);
    const record = { forecast: actual.map(() => 10), actual, scale: [], origin: [] };
    const spread = errorSpread(record, 1)!;
    assert.equal(spread.kind, 'ratio');
    assert.ok(Math.abs(spread.lower - 0.59) < 1e-12 && Math.abs(spread.upper - 1.31) < 1e-12);
    const { lower, upper } = intervals([20, 0], spread);
    assert.ok(Math.abs(lower[0]! - 11.8) < 1e-9 && Math.abs(upper[0]! - 26.2) < 1e-9);
    assert.deepEqual([lower[1], upper[1]], [0, 0]);
  });

  it('uses additive errors when a backtest forecast was 0', () => {
    const record = {
      forecast: Array(10).fill(0),
      actual: [0, 0, 0, 0, 0, 1, 1, 2, 2, 5],
      scale: [],
      origin: [],
    };
    const spread = errorSpread(record, 1)!;
    assert.equal(spread.kind, 'difference');
    const { lower, upper } = intervals([1], spread);
    assert.deepEqual(lower, [1]);
    assert.ok(Math.abs(upper[0]! - (1 + 2.3)) < 1e-9);
  });
});
