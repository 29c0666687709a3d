import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chooseSupplier,
  groupSuggestions,
  leadTimeFrom,
  suggestionReason,
} from './purchase-suggestions.js';

describe('chooseSupplier', () => {
  it('takes the preferred supplier, else the only one, else none with the reason', () => {
    const a = { id: 1, preferred: false };
    const b = { id: 2, preferred: true };
    assert.deepEqual(chooseSupplier([a, b]), { link: b, skipped: null });
    assert.deepEqual(chooseSupplier([a]), { link: a, skipped: null });
    assert.deepEqual(chooseSupplier([a, { id: 3, preferred: false }]), {
      link: null,
      skipped: 'no_preferred_supplier',
    });
    assert.deepEqual(chooseSupplier([]), { link: null, skipped: 'no_supplier' });
  });
});

describe('leadTimeFrom', () => {
  it('prefers the item measured often enough, then the supplier, then the configured days', () => {
    const item = { mean: 6.5, stdDev: 1.2, samples: 3 };
    const supplier = { mean: 8, stdDev: 2, samples: 10 };
    assert.deepEqual(leadTimeFrom(item, supplier, 10), {
      meanDays: 6.5,
      sdDays: 1.2,
      source: 'item_history',
    });
    assert.deepEqual(leadTimeFrom({ ...item, samples: 2 }, supplier, 10), {
      meanDays: 8,
      sdDays: 2,
      source: 'supplier_history',
    });
    assert.deepEqual(leadTimeFrom(null, { ...supplier, samples: 1 }, 10), {
      meanDays: 10,
      sdDays: 0,
      source: 'configured',
    });
  });
});

describe('suggestionReason', () => {
  const base = { inventoryPosition: 4, reorderPoint: 20 };
  it('names the projected stock-out and the backorders waiting', () => {
    assert.equal(
      suggestionReason({ ...base, projectedStockoutDate: '2026-12-19', backordersWaiting: 3 }),
      'projected to run out on 2026-12-19; 3 units backordered waiting',
    );
    assert.equal(
      suggestionReason({ ...base, projectedStockoutDate: '2026-12-19', backordersWaiting: 0 }),
      'projected to run out on 2026-12-19',
    );
  });
  it('says the position is at the reorder point when no stock-out is projected', () => {
    assert.equal(
      suggestionReason({ ...base, projectedStockoutDate: null, backordersWaiting: 1 }),
      '1 unit backordered waiting; inventory position 4 at or below the reorder point 20',
    );
    assert.equal(
      suggestionReason({ ...base, projectedStockoutDate: null, backordersWaiting: 0 }),
      'inventory position 4 at or below the reorder point 20',
    );
  });
});

describe('groupSuggestions', () => {
  it('groups by supplier × location with the arrival and order-by dates', () => {
    const line = (supplierId: number, locationId: number, lead: number, out: string | null) => ({
      supplierId,
      locationId,
      leadTimeDays: lead,
      projectedStockoutDate: out,
    });
    const groups = groupSuggestions(
      [
        line(2, 1, 5, null),
        line(1, 1, 7, '2026-12-20'),
        line(1, 1, 3.2, '2026-12-10'),
        line(1, 2, 7, null),
      ],
      '2026-12-01',
    );
    assert.deepEqual(
      groups.map((g) => [g.supplierId, g.locationId, g.lines.length, g.arrivalDate, g.orderByDate]),
      [
        // 7 days is the longest lead time; 12-10 − ceil(3.2) = 12-06 is before 12-20 − 7 = 12-13.
        [1, 1, 2, '2026-12-08', '2026-12-06'],
        [1, 2, 1, '2026-12-08', null],
        [2, 1, 1, '2026-12-06', null],
      ],
    );
  });
});
