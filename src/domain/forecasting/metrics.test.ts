import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coverage, naiveScale, rmsse, smape, wape } from './metrics.js';

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);

describe('forecast metrics', () => {
  it('SMAPE averages 200·|F−A|/(|F|+|A|) over points, counting both-zero points as 0', () => {
    // 200·20/220 = 18.1818…, 0 (both zero), 200·50/50 = 200 → (18.1818… + 200) / 3
    close(smape([100, 0, 50], [120, 0, 0]), (200 * 20) / 220 / 3 + 200 / 3);
    close(smape([10, 10], [10, 10]), 0);
  });

  it('RMSSE scales the RMSE by the mean squared day-to-day change of the training series', () => {
    // MSE = ((3−2)² + (3−4)²)/2 = 1; scale = ((3−1)² + (2−3)²)/2 = 2.5
    close(rmsse([2, 4], [3, 3], [1, 3, 2]), Math.sqrt(1 / 2.5));
  });

  it('RMSSE skips changes across censored training days', () => {
    // only 5→7 and 7→6 are changes between observed days: (4 + 1) / 2
    close(naiveScale([1, null, 5, 7, 6]), 2.5);
  });

  it('WAPE is Σ|F−A| / Σ|A|', () => {
    close(wape([2, 4, 6], [3, 3, 6]), 2 / 12);
    close(wape([0, 0], [0, 0]), 0);
  });

  it('coverage counts actuals within the bounds, ends included', () => {
    close(coverage([1, 1, 1, 1], [3, 3, 3, 3], [1, 3, 4, 0]), 0.5);
  });
});
