import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildDemandSeries, dayNumber, type SeriesDemand, type StockDay } from './demand-series.js';

const names = { sku: (id: number) => `I${id}`, location: (id: number) => `L${id}` };
const demand = (days: [string, number, boolean?][], itemId = 1, locationId = 1): SeriesDemand => ({
  itemId,
  locationId,
  days: days.map((d) => d[0]),
  quantities: days.map((d) => d[1]),
  refused: days.map((d) => d[2] ?? false),
});
const stock = (day: string, low: number, closing: number): StockDay => ({
  itemId: 1,
  locationId: 1,
  day,
  low,
  closing,
});

describe('buildDemandSeries', () => {
  it('lays days out densely from the first day with demand, in any input order', () => {
    const [series] = buildDemandSeries(
      [
        demand([
          ['2024-03-03', 5],
          ['2024-02-28', 2],
          ['2024-03-01', 1, true],
        ]),
      ],
      [],
      { through: '2024-03-04' },
      names,
    );
    // 2024 is a leap year: 28 Feb, 29 Feb, 1, 2, 3, 4 March.
    assert.deepEqual(series, {
      itemId: 1,
      locationId: 1,
      sku: 'I1',
      location: 'L1',
      start: '2024-02-28',
      quantities: [2, 0, 1, 0, 5, 0],
      censored: [false, false, true, false, false, false],
    });
  });

  it('starts at `from`, drops days outside the range and series that start after it', () => {
    const series = buildDemandSeries(
      [
        demand([
          ['2024-01-01', 9],
          ['2024-01-03', 4],
        ]),
        demand([['2024-01-09', 1]], 2),
      ],
      [],
      { from: '2024-01-02', through: '2024-01-04' },
      names,
    );
    assert.deepEqual(
      series.map((s) => [s.sku, s.start, s.quantities]),
      [
        ['I1', '2024-01-02', [0, 4, 0]],
        ['I2', '2024-01-02', [0, 0, 0]],
      ],
    );
    assert.deepEqual(
      buildDemandSeries([demand([['2024-01-09', 1]])], [], { through: '2024-01-08' }, names),
      [],
    );
  });

  it('censors days at 0: reached during the day, begun at 0, or carried through empty days', () => {
    const [series] = buildDemandSeries(
      [demand([['2024-01-02', 1]])],
      [
        // Before the window: closes at 0, so the 2nd begins empty.
        stock('2024-01-01', 0, 0),
        stock('2024-01-03', 4, 4),
        // Sold out and restocked the same day.
        stock('2024-01-05', 0, 3),
        stock('2024-01-07', 0, 0),
      ],
      { from: '2024-01-02', through: '2024-01-09' },
      names,
    );
    // 2nd carried 0; 3rd opens at 0; 4th at 4; 5th touches 0; 6th at 3; 7th to 9th at 0.
    assert.deepEqual(series!.censored, [true, true, false, true, false, true, true, true]);
  });

  it('leaves days before the first ledger entry uncensored: the level is unknown', () => {
    const [series] = buildDemandSeries(
      [demand([['2024-01-01', 1]])],
      [stock('2024-01-03', 2, 2)],
      { through: '2024-01-04' },
      names,
    );
    assert.deepEqual(series!.censored, [false, false, false, false]);
  });

  it('counts days in UTC calendar days', () => {
    assert.equal(dayNumber('1970-01-02'), 1);
    assert.equal(dayNumber('2016-03-01') - dayNumber('2016-02-28'), 2);
  });
});
