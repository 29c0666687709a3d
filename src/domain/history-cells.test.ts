import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkHistoryCells, isRealDate } from './history-cells.js';

describe('history cells', () => {
  it('knows real dates, leap years included', () => {
    for (const date of ['2016-02-29', '2000-02-29', '2015-12-31', '1900-01-01', '2999-12-31'])
      assert.equal(isRealDate(date), true, date);
    for (const date of [
      '2015-02-29',
      '1900-02-29',
      '2016-02-30',
      '2016-04-31',
      '2016-00-10',
      '2016-13-01',
      '2016-01-00',
      '1899-12-31',
      '3000-01-01',
      '2016-1-01',
      '2016/01/01',
      ' 2016-01-01',
    ])
      assert.equal(isRealDate(date), false, date);
  });

  it('accepts a row of good cells', () => {
    assert.deepEqual(
      checkHistoryCells({ date: '2016-01-01', location: 'S1', sku: 'KET-01', quantity: '0' }),
      { value: { day: '2016-01-01', location: 'S1', sku: 'KET-01', quantity: 0 }, errors: [] },
    );
  });

  it('names every bad cell of a row', () => {
    const { value, errors } = checkHistoryCells({
      date: '2016-02-30',
      location: '',
      sku: 'bad sku',
      quantity: '1.5',
    });
    assert.equal(value, undefined);
    assert.deepEqual(
      errors.map((e) => e.column),
      ['date', 'location', 'sku', 'quantity'],
    );
    for (const quantity of ['-1', '1e3', '0x10', '1000000001', ' 1'])
      assert.deepEqual(
        checkHistoryCells({ date: '2016-01-01', location: 'S1', sku: 'K', quantity }).errors.map(
          (e) => e.column,
        ),
        ['quantity'],
        quantity,
      );
  });
});
