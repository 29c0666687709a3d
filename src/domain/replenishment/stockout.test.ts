import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { projectStockout } from './stockout.js';

const base = { today: '2026-12-01', onHand: 10, reserved: 0, backordered: 0, incoming: [] };

describe('projectStockout', () => {
  it('finds the first day available stock goes below zero', () => {
    // 10 → 6 (12-02) → 2 (12-03) → −2 (12-04)
    assert.deepEqual(projectStockout({ ...base, dailyForecast: [4, 4, 4, 4, 4] }), {
      stockoutDate: '2026-12-04',
      nextReceiptDate: null,
      unitsShort: 10, // −2 − 4 − 4 by the end of the horizon
    });
  });

  it('reaching exactly zero is not a stock-out', () => {
    assert.deepEqual(projectStockout({ ...base, dailyForecast: [5, 5] }), {
      stockoutDate: null,
      nextReceiptDate: null,
      unitsShort: 0,
    });
  });

  it('takes reserved and backordered units off first', () => {
    // available 10 − 3 − 4 = 3 → 1 (12-02) → −1 (12-03)
    const projection = projectStockout({
      ...base,
      reserved: 3,
      backordered: 4,
      dailyForecast: [2, 2, 2],
    });
    assert.equal(projection.stockoutDate, '2026-12-03');
    assert.equal(projection.unitsShort, 3);
  });

  it('adds a receipt on its date, before that day’s demand, and counts the units short until it', () => {
    // 10 → 7 → 4 → 1 → −2 (12-05) → −5 (12-06); 20 arrive 12-07 → 15 → …
    const projection = projectStockout({
      ...base,
      incoming: [{ date: '2026-12-07', quantity: 20 }],
      dailyForecast: [3, 3, 3, 3, 3, 3, 3, 3],
    });
    assert.deepEqual(projection, {
      stockoutDate: '2026-12-05',
      nextReceiptDate: '2026-12-07',
      unitsShort: 5,
    });
  });

  it('a receipt in time prevents the stock-out; one after the horizon is ignored', () => {
    // 10 → 6 → 2; +5 on 12-04 → 3 → −1 (12-05)
    const projection = projectStockout({
      ...base,
      incoming: [
        { date: '2026-12-04', quantity: 5 },
        { date: '2026-12-30', quantity: 100 },
      ],
      dailyForecast: [4, 4, 4, 4],
    });
    assert.deepEqual(projection, {
      stockoutDate: '2026-12-05',
      nextReceiptDate: null,
      unitsShort: 1,
    });
  });

  it('an overdue receipt is expected tomorrow', () => {
    const projection = projectStockout({
      ...base,
      onHand: 0,
      incoming: [{ date: '2026-11-20', quantity: 6 }],
      dailyForecast: [2, 2, 2],
    });
    assert.equal(projection.stockoutDate, null);
  });

  it('backorders beyond the free stock are a stock-out today', () => {
    const projection = projectStockout({
      ...base,
      onHand: 2,
      backordered: 5,
      incoming: [{ date: '2026-12-03', quantity: 10 }],
      dailyForecast: [1, 1, 1],
    });
    // −3 today, −4 on 12-02, receipt 12-03
    assert.deepEqual(projection, {
      stockoutDate: '2026-12-01',
      nextReceiptDate: '2026-12-03',
      unitsShort: 4,
    });
  });

  it('fractional forecasts: short units are rounded up to whole units', () => {
    const projection = projectStockout({ ...base, onHand: 1, dailyForecast: [0.6, 0.6] });
    assert.deepEqual(projection, {
      stockoutDate: '2026-12-03',
      nextReceiptDate: null,
      unitsShort: 1,
    });
  });
});
