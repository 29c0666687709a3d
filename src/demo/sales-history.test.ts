import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_HISTORY_DAYS, demoSalesHistory, type HistoryLocation } from './sales-history.js';

const items = [
  { itemId: 1, category: 'garden', released: true },
  { itemId: 2, category: 'lighting', released: true },
  { itemId: 3, category: 'kitchen', released: false },
];
const locations: HistoryLocation[] = [
  { locationId: 10, kind: 'warehouse', weight: 1 },
  { locationId: 11, kind: 'store', weight: 0.6 },
];

describe('demo sales history', () => {
  it('is one row per released item × location × day, ending yesterday, the same every time', () => {
    const rows = [...demoSalesHistory(items, locations, '2026-12-05')];
    assert.equal(rows.length, 2 * 2 * DEMO_HISTORY_DAYS);
    assert.equal(rows[0]!.day, '2026-06-06');
    assert.equal(rows.at(-1)!.day, '2026-12-04');
    assert.ok(rows.every((r) => r.itemId !== 3 && Number.isInteger(r.quantity) && r.quantity >= 0));
    assert.deepEqual([...demoSalesHistory(items, locations, '2026-12-05')], rows);
  });

  it('sells more at stores on Saturdays than on Tuesdays', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      itemId: i + 1,
      category: 'pets',
      released: true,
    }));
    const rows = [...demoSalesHistory(many, [locations[1]!], '2026-12-05')];
    const total = (weekday: number) =>
      rows
        .filter((r) => new Date(`${r.day}T00:00:00Z`).getUTCDay() === weekday)
        .reduce((sum, r) => sum + r.quantity, 0);
    assert.ok(total(6) > 1.5 * total(2), `${total(6)} vs ${total(2)}`);
  });
});
