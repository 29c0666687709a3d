import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ALLOCATION_STRATEGIES,
  type AllocationStrategy,
  allocationOrder,
  type CandidateLocation,
  type Pickup,
  planByStrategy,
} from './allocation-order.js';
import { planAllocation } from './promising.js';

/** Four places west to east across southern England, and one with no coordinates. */
const OXFORD = { latitude: 51.752, longitude: -1.2577 };
const SLOUGH = { latitude: 51.5105, longitude: -0.595 };
const LONDON = { latitude: 51.5074, longitude: -0.1278 };
const SOUTHEND = { latitude: 51.5459, longitude: 0.7077 };

const at = (
  locationId: number,
  priority: number,
  available: number,
  point: CandidateLocation['point'],
  sellable = true,
): CandidateLocation => ({ locationId, priority, available, point, sellable });

const ids = (locations: readonly CandidateLocation[]) => locations.map((l) => l.locationId);

describe('allocation order', () => {
  const channel = [
    at(1, 0, 2, SOUTHEND),
    at(2, 1, 9, OXFORD),
    at(3, 2, 5, null),
    at(4, 3, 9, LONDON),
    at(5, 4, 1, SLOUGH),
  ];

  const cases: [string, AllocationStrategy, Pickup | null, number[]][] = [
    ['priority keeps the channel order', 'priority', null, [1, 2, 3, 4, 5]],
    [
      'priority ignores the pickup location',
      'priority',
      { locationId: 5, point: SLOUGH },
      [1, 2, 3, 4, 5],
    ],
    ['most stock first, ties by priority', 'most_stock', null, [2, 4, 3, 1, 5]],
    [
      'closest: the pickup location, then by distance, then those without a place',
      'closest_to_pickup',
      { locationId: 4, point: LONDON },
      // Slough 33 km, Southend 58 km, Oxford 82 km.
      [4, 5, 1, 2, 3],
    ],
    [
      'closest from Oxford reaches Southend last of those placed',
      'closest_to_pickup',
      { locationId: 2, point: OXFORD },
      [2, 5, 4, 1, 3],
    ],
    [
      'closest with a pickup location of unknown place: it first, the rest by priority',
      'closest_to_pickup',
      { locationId: 3, point: null },
      [3, 1, 2, 4, 5],
    ],
    [
      'closest without a pickup location is the channel order',
      'closest_to_pickup',
      null,
      [1, 2, 3, 4, 5],
    ],
  ];
  for (const [name, strategy, pickup, expected] of cases) {
    it(name, () => assert.deepEqual(ids(allocationOrder(strategy, channel, pickup)), expected));
  }

  it('leaves out locations that are not for sale under every strategy', () => {
    const withClosed = channel.map((l) => (l.locationId === 2 ? { ...l, sellable: false } : l));
    for (const strategy of ALLOCATION_STRATEGIES) {
      const order = ids(allocationOrder(strategy, withClosed, { locationId: 2, point: OXFORD }));
      assert.ok(!order.includes(2), `${strategy}: ${order}`);
      assert.equal(order.length, 4);
    }
  });

  it('splits a line across locations in the chosen order', () => {
    assert.deepEqual(planByStrategy('most_stock', channel, 12), {
      takes: [
        { locationId: 2, quantity: 9 },
        { locationId: 4, quantity: 3 },
      ],
      shortfall: 0,
    });
    assert.deepEqual(
      planByStrategy('closest_to_pickup', channel, 3, { locationId: 4, point: LONDON }),
      {
        takes: [{ locationId: 4, quantity: 3 }],
        shortfall: 0,
      },
    );
  });
});

const candidates = fc
  .array(
    fc.record({
      available: fc.nat({ max: 8 }),
      sellable: fc.boolean(),
      point: fc.option(
        fc.record({
          latitude: fc.double({ min: -90, max: 90, noNaN: true }),
          longitude: fc.double({ min: -180, max: 180, noNaN: true }),
        }),
      ),
    }),
    { maxLength: 8 },
  )
  .map((list) => list.map((l, i) => ({ ...l, locationId: i + 10, priority: i })));

/** A pickup among the candidates (by index) or none. */
const world = candidates.chain((locations) =>
  fc.record({
    locations: fc.constant(locations),
    pickupIndex: fc.option(fc.nat({ max: Math.max(0, locations.length - 1) })),
    quantity: fc.integer({ min: 1, max: 40 }),
    strategy: fc.constantFrom(...ALLOCATION_STRATEGIES),
  }),
);

describe('allocation strategies (property)', () => {
  it('take in total what greedy over the sellable locations takes, from sellable ones only', () => {
    fc.assert(
      fc.property(world, ({ locations, pickupIndex, quantity, strategy }) => {
        const chosen = pickupIndex === null ? undefined : locations[pickupIndex];
        const pickup = chosen ? { locationId: chosen.locationId, point: chosen.point } : null;
        const plan = planByStrategy(strategy, locations, quantity, pickup);
        const greedy = planAllocation(
          locations.filter((l) => l.sellable),
          quantity,
        );
        const taken = plan.takes.reduce((s, t) => s + t.quantity, 0);
        assert.equal(
          taken,
          greedy.takes.reduce((s, t) => s + t.quantity, 0),
        );
        assert.equal(plan.shortfall, greedy.shortfall);
        for (const take of plan.takes) {
          const location = locations.find((l) => l.locationId === take.locationId)!;
          assert.ok(location.sellable, `took ${take.quantity} from unsellable ${take.locationId}`);
          assert.ok(take.quantity > 0 && take.quantity <= location.available);
        }
        if (strategy === 'closest_to_pickup' && chosen?.sellable && chosen.available > 0) {
          assert.deepEqual(plan.takes[0], {
            locationId: chosen.locationId,
            quantity: Math.min(quantity, chosen.available),
          });
        }
        if (strategy === 'most_stock' && plan.takes.length > 0) {
          const most = Math.max(...locations.filter((l) => l.sellable).map((l) => l.available));
          assert.equal(
            locations.find((l) => l.locationId === plan.takes[0]!.locationId)!.available,
            most,
          );
        }
      }),
      { numRuns: 500 },
    );
  });
});
