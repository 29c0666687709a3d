import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { forecastMany, forecastSeries } from './index.js';

const WEEK = [5, 7, 9, 11, 13, 20, 3];

describe('forecastSeries', () => {
  it('starts the day after the history and finds a repeating week exactly', () => {
    // 2024-01-01 is a Monday: 20 weeks of the same week
    const quantities = Array.from({ length: 140 }, (_, t) => WEEK[t % 7]!);
    const result = forecastSeries({ start: '2024-01-01', quantities }, { horizon: 10 });
    assert.equal(result.start, '2024-05-20');
    assert.equal(result.backtest?.smape, 0);
    result.mean.forEach((m, h) => {
      assert.ok(Math.abs(m - WEEK[h % 7]!) < 1e-9, `${m} on day ${h}`);
    });
  });

  it('has no backtest with too little history, and still answers', () => {
    const result = forecastSeries({ start: '2024-01-01', quantities: [1, 2, 3] }, { horizon: 5 });
    assert.equal(result.backtest, null);
    assert.equal(result.mean.length, 5);
  });

  it('without a backtest takes the error as Poisson over the first week, whatever its weekday', () => {
    // Two weeks, too few to backtest a 60-day horizon: errorSd = √(mean of the week) = √(68/7).
    for (const [start, offset] of [
      ['2024-01-01', 0],
      ['2024-01-04', 3],
    ] as const) {
      const quantities = Array.from({ length: 14 }, (_, t) => WEEK[(t + offset) % 7]!);
      const result = forecastSeries({ start, quantities }, { horizon: 60 });
      assert.equal(result.backtest, null);
      assert.ok(Math.abs(result.errorSd - Math.sqrt(68 / 7)) < 1e-9, `${start}: ${result.errorSd}`);
    }
  });

  it('ignores censored days: a stock-out week read as zeros would pull the forecast down', () => {
    const quantities = Array.from({ length: 140 }, (_, t) => WEEK[t % 7]!);
    const censored = quantities.map(() => false);
    for (let t = 126; t < 133; t++) {
      quantities[t] = 0;
      censored[t] = true;
    }
    const result = forecastSeries({ start: '2024-01-01', quantities, censored }, { horizon: 7 });
    result.mean.forEach((m, h) => {
      assert.ok(Math.abs(m - WEEK[h % 7]!) < 1e-9, `${m} on day ${h}`);
    });
  });

  it('forecasts are finite, ≥ 0, inside their interval, and as long as the horizon', () => {
    const history = fc.record({
      quantities: fc.array(fc.nat({ max: 200 }), { maxLength: 200 }),
      seed: fc.array(fc.boolean(), { maxLength: 200 }),
    });
    fc.assert(
      fc.property(history, fc.integer({ min: 1, max: 120 }), ({ quantities, seed }, horizon) => {
        const censored = quantities.map((_, t) => seed[t] ?? false);
        const result = forecastSeries({ start: '2023-03-01', quantities, censored }, { horizon });
        assert.equal(result.mean.length, horizon);
        assert.equal(result.lower.length, horizon);
        assert.equal(result.upper.length, horizon);
        assert.ok(Number.isFinite(result.errorSd) && result.errorSd >= 0);
        result.mean.forEach((m, h) => {
          assert.ok(Number.isFinite(m) && m >= 0, `mean ${m}`);
          assert.ok(result.lower[h]! >= 0 && result.lower[h]! <= m && m <= result.upper[h]!);
          assert.ok(Number.isFinite(result.upper[h]!));
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe('intermittent demand', () => {
  it('tries Croston, SBA and TSB only on intermittent series', () => {
    const sparse = Array.from({ length: 200 }, (_, t) => (t % 5 === 0 ? 3 : 0));
    const steady = Array.from({ length: 200 }, (_, t) => 3 + (t % 2));
    const only = { horizon: 7, methods: ['croston'] };
    assert.equal(
      forecastSeries({ start: '2024-01-01', quantities: sparse }, only).method,
      'croston',
    );
    const mixed = { horizon: 7, methods: ['croston', 'naive'] };
    assert.equal(
      forecastSeries({ start: '2024-01-01', quantities: steady }, mixed).method,
      'naive',
    );
  });

  it('falls back to every candidate when the requested one cannot run', () => {
    const one = { start: '2024-01-01', quantities: [1, 2, 3, 4, 5, 6, 7, 8] };
    const result = forecastSeries(one, { horizon: 2, methods: ['calendar_profile_pooled'] });
    assert.equal(result.mean.length, 2);
  });
});

describe('forecastMany', () => {
  it('answers each series in order, with the pooled calendar model among the candidates', () => {
    const a = Array.from({ length: 400 }, (_, t) => 10 * WEEK[t % 7]!);
    const b = Array.from({ length: 400 }, (_, t) => WEEK[t % 7]!);
    const results = forecastMany(
      [
        { start: '2024-01-01', quantities: a },
        { start: '2024-01-01', quantities: b },
      ],
      { horizon: 3, methods: ['calendar_profile_pooled'] },
    );
    assert.deepEqual(
      results.map((r) => r.method),
      ['calendar_profile_pooled', 'calendar_profile_pooled'],
    );
    // 2025-02-04 is a Tuesday: WEEK[1]
    assert.ok(Math.abs(results[1]!.mean[0]! - WEEK[1]!) < 0.01 * WEEK[1]!);
    assert.ok(results[0]!.mean[0]! > 9 * results[1]!.mean[0]!);
  });
});
