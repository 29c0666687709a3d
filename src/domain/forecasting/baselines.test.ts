import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crostonRate, sba, tsbRate } from './intermittent.js';
import { naive, seasonalNaive } from './naive.js';
import { ses, sesLevel } from './smoothing.js';

const at = (values: (number | null)[]) => ({ values, startDay: 0 });
const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} is not ${expected}`);

describe('deterministic baselines', () => {
  it('naive repeats the last observed value, skipping censored days', () => {
    assert.deepEqual(naive(at([3, 5, null]), 3), [5, 5, 5]);
  });

  it('last week repeated: the value 7 days earlier, week after week', () => {
    const values = Array.from({ length: 14 }, (_, t) => 10 + t);
    // history ends at index 13: days 14…22 repeat indices 7…13, then 7, 8 again
    assert.deepEqual(seasonalNaive(7)(at(values), 9), [17, 18, 19, 20, 21, 22, 23, 17, 18]);
  });

  it('last week repeated reaches a further week back over a censored day', () => {
    const values: (number | null)[] = Array.from({ length: 14 }, (_, t) => 10 + t);
    values[9] = null;
    assert.deepEqual(seasonalNaive(7)(at(values), 3), [17, 18, 12]);
  });

  it('same weekday 52 weeks earlier: 364 days back, twice that beyond a year', () => {
    const values = Array.from({ length: 400 }, (_, t) => t);
    const forecast = seasonalNaive(364)(at(values), 366);
    // day 400 ← 36, day 763 ← 399, day 764 ← 764 − 728 = 36, day 765 ← 37
    assert.deepEqual([forecast[0], forecast[363], forecast[364], forecast[365]], [36, 399, 36, 37]);
  });

  it('SES with alpha 0.2 smooths from the first value', () => {
    // 10 → 0.2·20 + 0.8·10 = 12 → 0.2·30 + 0.8·12 = 15.6
    const forecast = ses(0.2)(at([10, 20, 30]), 2);
    close(forecast[0]!, 15.6);
    close(forecast[1]!, 15.6);
  });

  it('SES leaves its level unchanged on a censored day', () => {
    // 4 → 0.5·8 + 0.5·4 = 6 → (censored) 6 → 0.5·2 + 0.5·6 = 4
    close(sesLevel([4, 8, null, 2], 0.5), 4);
  });
});

describe('intermittent demand', () => {
  const series = [0, 0, 3, 0, 5, 0, 0, 0, 2];

  it('Croston smooths sizes and intervals separately', () => {
    // first demand 3 at position 3: size 3, interval 3; then 5 after 2 days:
    // size 3 + 0.5·(5−3) = 4, interval 3 + 0.5·(2−3) = 2.5; then 2 after 4 days:
    // size 4 + 0.5·(2−4) = 3, interval 2.5 + 0.5·(4−2.5) = 3.25 → rate 3 / 3.25
    close(crostonRate(series, 0.5), 3 / 3.25);
  });

  it('SBA is Croston times (1 − alpha/2)', () => {
    close(sba(0.5)(at(series), 1)[0]!, (0.75 * 3) / 3.25);
  });

  it('TSB smooths the probability of demand every day', () => {
    // 3 at position 3: size 3, p 1/3; 0: p 1/6; 5: size 4, p 1/6 + 0.5·5/6 = 7/12; 0: p 7/24
    close(tsbRate([0, 0, 3, 0, 5, 0], 0.5, 0.5), (4 * 7) / 24);
  });

  it('censored days are skipped, not read as zero demand', () => {
    close(crostonRate([0, 0, 3, null, null, 0, 5], 0.5), crostonRate([0, 0, 3, 0, 5], 0.5));
    close(tsbRate([0, 0, 3, null, 0, 5, null], 0.5, 0.5), tsbRate([0, 0, 3, 0, 5], 0.5, 0.5));
  });
});
