import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  demandOver,
  inventoryPosition,
  leadTimeFor,
  orderQuantity,
  reorderLevels,
} from './levels.js';

const close = (actual: number, expected: number, tolerance = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);

describe('reorderLevels', () => {
  it('flat demand, fixed lead time: protection 7 + 7 days, SS = z(0.95)·√(14·3²)', () => {
    const levels = reorderLevels({
      forecast: { mean: new Array(30).fill(10), errorSd: 3 },
      leadTime: { meanDays: 7, sdDays: 0 },
      serviceLevel: 0.95,
    });
    // x̂(14) = 14 × 10 = 140; SS = 1.6448536 × √126 = 1.6448536 × 11.2249722 = 18.4634362
    assert.equal(levels.protectionDays, 14);
    assert.equal(levels.leadTimeDemand, 140);
    assert.equal(levels.dailyDemand, 10);
    close(levels.safetyStock, 18.4634362);
    close(levels.orderUpTo, 158.4634362);
    assert.equal(levels.reorderPoint, levels.orderUpTo);
  });

  it('counts a fractional last day by its fraction and adds the lead-time spread', () => {
    const levels = reorderLevels({
      forecast: { mean: [1, 2, 3, 4, 5, 6, 7], errorSd: 2 },
      leadTime: { meanDays: 2.5, sdDays: 1 },
      reviewDays: 1,
      serviceLevel: 0.9,
    });
    // P = 3.5; x̂ = 1 + 2 + 3 + 0.5 × 4 = 8; d̄ = 8 / 3.5 = 2.2857143
    // var = 3.5 × 2² + 2.2857143² × 1² = 14 + 5.2244898 = 19.2244898; sd = 4.3845741
    // SS = z(0.9) × sd = 1.2815516 × 4.3845741 = 5.6190578
    assert.equal(levels.leadTimeDemand, 8);
    close(levels.dailyDemand, 2.2857143);
    close(levels.safetyStock, 5.6190578);
    close(levels.orderUpTo, 13.6190578);
  });

  it('with a measured lead-time spread: z(0.98)·√(14·2² + 10²·2)', () => {
    const levels = reorderLevels({
      forecast: { mean: new Array(14).fill(10), errorSd: 2 },
      leadTime: { meanDays: 7, sdDays: Math.SQRT2 },
      reviewDays: 7,
      serviceLevel: 0.98,
    });
    // var = 56 + 200 = 256; sd = 16; SS = 2.0537489 × 16 = 32.8599826
    close(levels.safetyStock, 32.8599826);
    close(levels.orderUpTo, 172.8599826);
  });

  it('never holds less than the forecast, even for a service level under one half', () => {
    const levels = reorderLevels({
      forecast: { mean: [5, 5, 5], errorSd: 4 },
      leadTime: { meanDays: 2, sdDays: 0 },
      reviewDays: 1,
      serviceLevel: 0.3,
    });
    assert.equal(levels.safetyStock, 0);
    assert.equal(levels.orderUpTo, 15);
  });

  it('a higher service level or a wider lead time never lowers the levels (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 30, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        (mean, errorSd, meanDays, sdDays, serviceLevel) => {
          const levels = (csl: number, sd: number) =>
            reorderLevels({
              forecast: { mean, errorSd },
              leadTime: { meanDays, sdDays: sd },
              serviceLevel: csl,
            });
          const base = levels(serviceLevel, sdDays);
          assert.ok(base.safetyStock >= 0 && Number.isFinite(base.orderUpTo));
          assert.ok(base.orderUpTo >= base.leadTimeDemand);
          assert.ok(levels(serviceLevel + 0.005, sdDays).orderUpTo >= base.orderUpTo - 1e-9);
          assert.ok(levels(serviceLevel, sdDays + 1).orderUpTo >= base.orderUpTo - 1e-9);
        },
      ),
    );
  });

  it('refuses negative lead times, review periods or errors', () => {
    const forecast = { mean: [1], errorSd: 1 };
    assert.throws(() =>
      reorderLevels({ forecast, leadTime: { meanDays: -1, sdDays: 0 }, serviceLevel: 0.9 }),
    );
    assert.throws(() =>
      reorderLevels({
        forecast,
        leadTime: { meanDays: 1, sdDays: 0 },
        reviewDays: -7,
        serviceLevel: 0.9,
      }),
    );
    assert.throws(() =>
      reorderLevels({ forecast, leadTime: { meanDays: 1, sdDays: 0 }, serviceLevel: 1 }),
    );
  });
});

describe('demandOver', () => {
  it('repeats the last week of a forecast shorter than the period', () => {
    // 1 + 2 + 3, then the three days repeated: 1 + 2 → 9
    assert.equal(demandOver([1, 2, 3], 5), 9);
    // 10 days of a 9-day forecast: day 10 is day 3 again (the last 7 days are days 3–9)
    assert.equal(demandOver([1, 2, 3, 4, 5, 6, 7, 8, 9], 10), 45 + 3);
    assert.equal(demandOver([4, 8], 0.25), 1);
    assert.equal(demandOver([], 0), 0);
  });
});

describe('leadTimeFor', () => {
  it('uses measured performance when there is some, else the configured days with no spread', () => {
    assert.deepEqual(leadTimeFor({ mean: 6.5, stdDev: 1.2, samples: 4 }, 10), {
      meanDays: 6.5,
      sdDays: 1.2,
      source: 'measured',
    });
    assert.deepEqual(leadTimeFor(null, 10), { meanDays: 10, sdDays: 0, source: 'configured' });
  });
});

describe('inventoryPosition', () => {
  it('is on hand − reserved + incoming − backordered', () => {
    assert.equal(inventoryPosition({ onHand: 20, reserved: 5, incoming: 12, backordered: 3 }), 24);
  });
});

describe('orderQuantity', () => {
  const base = { reorderPoint: 40, orderUpTo: 40, moq: 1, casePack: 1 };

  it('orders nothing above the reorder point', () => {
    assert.equal(orderQuantity({ ...base, inventoryPosition: 41 }), 0);
    assert.equal(orderQuantity({ ...base, inventoryPosition: 40 }), 0);
  });

  it('orders up to the level, rounded up to whole cases and at least the minimum', () => {
    assert.equal(orderQuantity({ ...base, inventoryPosition: 12.5 }), 28);
    assert.equal(orderQuantity({ ...base, inventoryPosition: 12, casePack: 12 }), 36);
    // MOQ 50 is 4.17 cases → 5 cases = 60
    assert.equal(orderQuantity({ ...base, inventoryPosition: 12, casePack: 12, moq: 50 }), 60);
    // backorders make the position negative: they are ordered for too
    assert.equal(orderQuantity({ ...base, inventoryPosition: -5 }), 45);
  });

  it('orders below a reorder point that is lower than the order-up-to level', () => {
    const levels = { reorderPoint: 20, orderUpTo: 50, moq: 1, casePack: 6 };
    assert.equal(orderQuantity({ ...levels, inventoryPosition: 21 }), 0);
    assert.equal(orderQuantity({ ...levels, inventoryPosition: 20 }), 30);
    assert.equal(orderQuantity({ ...levels, inventoryPosition: 19 }), 36);
  });

  it('is 0 or ≥ the MOQ, whole cases, and brings the position to the level (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 48 }),
        (position, reorderPoint, extra, moq, casePack) => {
          const orderUpTo = reorderPoint + extra;
          const q = orderQuantity({
            inventoryPosition: position,
            reorderPoint,
            orderUpTo,
            moq,
            casePack,
          });
          assert.ok(q === 0 || q >= moq, 'below the MOQ');
          assert.equal(q % casePack, 0, 'not whole cases');
          if (position <= reorderPoint) assert.ok(position + q >= orderUpTo, 'short of the level');
          else assert.equal(q, 0);
        },
      ),
    );
  });
});
