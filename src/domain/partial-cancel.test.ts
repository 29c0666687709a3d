import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { chooseReleases, type HeldUnits, stopsOf } from './partial-cancel.js';

const after = (held: readonly HeldUnits[], released: ReturnType<typeof chooseReleases>) =>
  held.map((h) => ({
    ...h,
    quantity:
      h.quantity -
      released
        .filter((r) => r.lineId === h.lineId && r.locationId === h.locationId)
        .reduce((s, r) => s + r.quantity, 0),
  }));

/** Every way of taking `quantity` units from the line's allocations: the fewest stops left. */
function fewestStops(held: readonly HeldUnits[], lineId: number, quantity: number): number {
  const own = held.filter((h) => h.lineId === lineId);
  let best = Number.POSITIVE_INFINITY;
  const walk = (i: number, left: number, taken: number[]) => {
    if (i === own.length) {
      if (left !== 0) return;
      const rest = held.map((h) => {
        const n = own.indexOf(h);
        return n === -1 ? h : { ...h, quantity: h.quantity - taken[n]! };
      });
      best = Math.min(best, stopsOf(rest));
      return;
    }
    for (let take = 0; take <= Math.min(own[i]!.quantity, left); take++) {
      walk(i + 1, left - take, [...taken, take]);
    }
  };
  walk(0, quantity, []);
  return best;
}

describe('partial cancel: which allocations are released', () => {
  it('empties the location only this line ships from, keeping the shipment in one place', () => {
    // Line 1: 3 at location 1, 1 at location 2. Cancelling 1 frees location 2.
    const held = [
      { lineId: 1, locationId: 1, quantity: 3 },
      { lineId: 1, locationId: 2, quantity: 1 },
    ];
    assert.deepEqual(chooseReleases(held, [{ lineId: 1, quantity: 1 }]), [
      { lineId: 1, locationId: 2, quantity: 1 },
    ]);
  });

  it('leaves alone a location another line of the order ships from anyway', () => {
    const held = [
      { lineId: 1, locationId: 1, quantity: 1 },
      { lineId: 1, locationId: 2, quantity: 2 },
      { lineId: 2, locationId: 1, quantity: 5 },
    ];
    assert.deepEqual(chooseReleases(held, [{ lineId: 1, quantity: 2 }]), [
      { lineId: 1, locationId: 2, quantity: 2 },
    ]);
  });

  it('breaks a tie towards the higher location id', () => {
    const held = [
      { lineId: 1, locationId: 4, quantity: 2 },
      { lineId: 1, locationId: 7, quantity: 2 },
    ];
    assert.deepEqual(chooseReleases(held, [{ lineId: 1, quantity: 1 }]), [
      { lineId: 1, locationId: 7, quantity: 1 },
    ]);
  });

  it('never leaves more stops than the best choice for a single line, and releases exactly what is asked', () => {
    const heldArb = fc.uniqueArray(
      fc.record({
        lineId: fc.integer({ min: 1, max: 3 }),
        locationId: fc.integer({ min: 1, max: 4 }),
        quantity: fc.integer({ min: 1, max: 4 }),
      }),
      { selector: (h) => `${h.lineId}/${h.locationId}`, minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(heldArb, fc.nat(), fc.nat(), (held, pick, amount) => {
        const lineId = held[pick % held.length]!.lineId;
        const total = held.filter((h) => h.lineId === lineId).reduce((s, h) => s + h.quantity, 0);
        const quantity = 1 + (amount % total);
        const released = chooseReleases(held, [{ lineId, quantity }]);
        assert.equal(
          released.reduce((s, r) => s + r.quantity, 0),
          quantity,
        );
        assert.ok(released.every((r) => r.lineId === lineId && r.quantity > 0));
        const rest = after(held, released);
        assert.ok(rest.every((h) => h.quantity >= 0));
        assert.equal(stopsOf(rest), fewestStops(held, lineId, quantity));
        // Deterministic: the rows' order does not change the choice.
        assert.deepEqual(chooseReleases([...held].reverse(), [{ lineId, quantity }]), released);
      }),
    );
  });
});
