import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AvailabilityInput,
  type AvailabilityState,
  availableAt,
  decideAvailability,
  type ItemRules,
  type LocationStock,
  sumStock,
} from './availability.js';

const TODAY = '2026-11-26';

function rules(overrides: Partial<ItemRules> = {}): ItemRules {
  return {
    status: 'active',
    lowStockThreshold: 3,
    backorderPolicy: 'incoming',
    releaseDate: null,
    ...overrides,
  };
}

function at(location: string, onHand: number, reserved = 0, safetyStock = 0): LocationStock {
  return { location, onHand, reserved, safetyStock };
}

interface Case {
  name: string;
  input: Partial<AvailabilityInput> & { stock: LocationStock[] };
  state: AvailabilityState;
  purchasable: boolean;
  available: number;
  restock?: string;
  /** Fragments the reason must contain: the numbers behind the state. */
  reason: (string | RegExp)[];
}

const cases: Case[] = [
  {
    name: 'plenty of stock is in stock',
    input: { stock: [at('W1', 10)] },
    state: 'in_stock',
    purchasable: true,
    available: 10,
    reason: ['10 available for 1 requested'],
  },
  {
    name: 'available equal to the threshold is low stock',
    input: { stock: [at('W1', 3)] },
    state: 'low_stock',
    purchasable: true,
    available: 3,
    reason: ['3 available for 1 requested', 'low-stock threshold of 3'],
  },
  {
    name: 'available one above the threshold is in stock',
    input: { stock: [at('W1', 4)] },
    state: 'in_stock',
    purchasable: true,
    available: 4,
    reason: ['4 available for 1 requested'],
  },
  {
    name: 'below the threshold is low stock',
    input: { stock: [at('W1', 1)] },
    state: 'low_stock',
    purchasable: true,
    available: 1,
    reason: ['1 available for 1 requested', 'threshold of 3'],
  },
  {
    name: 'threshold 0: a single unit is in stock, not low',
    input: { item: rules({ lowStockThreshold: 0 }), stock: [at('W1', 1)] },
    state: 'in_stock',
    purchasable: true,
    available: 1,
    reason: ['1 available for 1 requested'],
  },
  {
    name: 'threshold 0: nothing left is out of stock',
    input: { item: rules({ lowStockThreshold: 0 }), stock: [at('W1', 0)] },
    state: 'out_of_stock',
    purchasable: false,
    available: 0,
    restock: 'unknown',
    reason: ['None available for 1 requested'],
  },
  {
    name: 'no stock row at all is out of stock',
    input: { stock: [] },
    state: 'out_of_stock',
    purchasable: false,
    available: 0,
    restock: 'unknown',
    reason: ['None available for 1 requested'],
  },
  {
    name: 'requesting exactly what is available sells',
    input: { stock: [at('W1', 5)], requested: 5 },
    state: 'in_stock',
    purchasable: true,
    available: 5,
    reason: ['5 available for 5 requested'],
  },
  {
    name: 'requesting one more than is available is out of stock',
    input: { stock: [at('W1', 5)], requested: 6 },
    state: 'out_of_stock',
    purchasable: false,
    available: 5,
    restock: 'unknown',
    reason: ['Only 5 available for 6 requested'],
  },
  {
    name: 'safety stock is held back from sale',
    input: { stock: [at('W1', 10, 0, 8)], requested: 3 },
    state: 'out_of_stock',
    purchasable: false,
    available: 2,
    restock: 'unknown',
    reason: ['Only 2 available for 3 requested'],
  },
  {
    name: 'safety stock leaving enough still sells, judged on what is left',
    input: { stock: [at('W1', 10, 0, 7)] },
    state: 'low_stock',
    purchasable: true,
    available: 3,
    reason: ['3 available for 1 requested', 'threshold of 3'],
  },
  {
    name: 'reserved units are not available',
    input: { stock: [at('W1', 10, 10)] },
    state: 'out_of_stock',
    purchasable: false,
    available: 0,
    restock: 'unknown',
    reason: ['None available for 1 requested'],
  },
  {
    name: 'reserved and safety stock together',
    input: { stock: [at('W1', 10, 4, 2)] },
    state: 'in_stock',
    purchasable: true,
    available: 4,
    reason: ['4 available for 1 requested'],
  },
  {
    name: 'safety stock above on hand shows 0, never negative',
    input: { stock: [at('W1', 2, 1, 5)] },
    state: 'out_of_stock',
    purchasable: false,
    available: 0,
    restock: 'unknown',
    reason: ['None available for 1 requested'],
  },
  {
    name: 'a location whose safety stock exceeds its on hand does not eat another location',
    input: { stock: [at('W1', 2, 0, 5), at('S1', 4)], requested: 4 },
    state: 'in_stock',
    purchasable: true,
    available: 4,
    reason: ['4 available for 4 requested'],
  },
  {
    name: 'channel sums several locations',
    input: { stock: [at('W1', 3, 1), at('S1', 2), at('S2', 4, 0, 1)], requested: 7 },
    state: 'in_stock',
    purchasable: true,
    available: 7,
    reason: ['7 available for 7 requested'],
  },
  {
    name: 'channel sum short of the request is out of stock',
    input: { stock: [at('W1', 3, 1), at('S1', 2)], requested: 5 },
    state: 'out_of_stock',
    purchasable: false,
    available: 4,
    restock: 'unknown',
    reason: ['Only 4 available for 5 requested'],
  },
  {
    name: 'backorder policy none says backorders are not allowed',
    input: { item: rules({ backorderPolicy: 'none' }), stock: [at('W1', 1)], requested: 2 },
    state: 'out_of_stock',
    purchasable: false,
    available: 1,
    restock: 'unknown',
    reason: ['Only 1 available for 2 requested', 'backorders are not allowed'],
  },
  {
    name: 'backorder policy incoming without supply says there is nothing to promise from',
    input: { item: rules({ backorderPolicy: 'incoming' }), stock: [at('W1', 1)], requested: 2 },
    state: 'out_of_stock',
    purchasable: false,
    available: 1,
    restock: 'unknown',
    reason: ['Only 1 available for 2 requested', 'no incoming supply to promise from'],
  },
  {
    name: 'incoming supply is named with its next date but does not change the state yet',
    input: {
      item: rules({ backorderPolicy: 'incoming' }),
      stock: [at('W1', 0)],
      incoming: 12,
      nextExpectedDate: '2026-12-01',
    },
    state: 'out_of_stock',
    purchasable: false,
    available: 0,
    restock: 'unknown',
    reason: [/^None available for 1 requested; 12 incoming, next on 2026-12-01$/],
  },
  {
    name: 'incoming supply under policy none is mentioned beside the refusal to backorder',
    input: {
      item: rules({ backorderPolicy: 'none' }),
      stock: [at('W1', 1)],
      requested: 2,
      incoming: 5,
      nextExpectedDate: '2026-12-03',
    },
    state: 'out_of_stock',
    purchasable: false,
    available: 1,
    restock: 'unknown',
    reason: [
      /^Only 1 available for 2 requested; backorders are not allowed for this item \(5 incoming, next on 2026-12-03\)$/,
    ],
  },
  {
    name: 'enough on hand stays in stock whatever is incoming',
    input: { stock: [at('W1', 10)], incoming: 40, nextExpectedDate: '2026-12-01' },
    state: 'in_stock',
    purchasable: true,
    available: 10,
    reason: [/^10 available for 1 requested$/],
  },
  {
    name: 'not yet released is out of stock until the release date, whatever is on hand',
    input: { item: rules({ releaseDate: '2026-12-01' }), stock: [at('W1', 50)] },
    state: 'out_of_stock',
    purchasable: false,
    available: 50,
    restock: '2026-12-01',
    reason: ['Not released until 2026-12-01'],
  },
  {
    name: 'released today sells',
    input: { item: rules({ releaseDate: TODAY }), stock: [at('W1', 50)] },
    state: 'in_stock',
    purchasable: true,
    available: 50,
    reason: ['50 available for 1 requested'],
  },
  {
    name: 'released in the past sells',
    input: { item: rules({ releaseDate: '2025-01-01' }), stock: [at('W1', 2)] },
    state: 'low_stock',
    purchasable: true,
    available: 2,
    reason: ['2 available for 1 requested'],
  },
  {
    name: 'discontinued with nothing left is discontinued for good',
    input: { item: rules({ status: 'discontinued' }), stock: [at('W1', 0)] },
    state: 'discontinued',
    purchasable: false,
    available: 0,
    restock: 'never',
    reason: ['Discontinued and sold out', 'will not be restocked'],
  },
  {
    name: 'discontinued with everything reserved is discontinued',
    input: { item: rules({ status: 'discontinued' }), stock: [at('W1', 4, 4)] },
    state: 'discontinued',
    purchasable: false,
    available: 0,
    restock: 'never',
    reason: ['Discontinued and sold out'],
  },
  {
    name: 'discontinued sells through plenty that remains as in stock',
    input: { item: rules({ status: 'discontinued' }), stock: [at('W1', 10)] },
    state: 'in_stock',
    purchasable: true,
    available: 10,
    reason: ['10 available for 1 requested', 'discontinued: selling through'],
  },
  {
    name: 'discontinued sells through the last few as low stock',
    input: { item: rules({ status: 'discontinued' }), stock: [at('W1', 2)] },
    state: 'low_stock',
    purchasable: true,
    available: 2,
    reason: ['2 available for 1 requested', 'threshold of 3', 'discontinued: selling through'],
  },
  {
    name: 'discontinued with fewer left than requested is discontinued',
    input: { item: rules({ status: 'discontinued' }), stock: [at('W1', 2)], requested: 3 },
    state: 'discontinued',
    purchasable: false,
    available: 2,
    restock: 'never',
    reason: ['only 2 left for 3 requested', 'will not be restocked'],
  },
];

describe('decideAvailability', () => {
  for (const c of cases) {
    it(c.name, () => {
      const input: AvailabilityInput = {
        item: rules(),
        requested: 1,
        today: TODAY,
        ...c.input,
      };
      const answer = decideAvailability(input);
      const shown = JSON.stringify(answer);
      assert.equal(answer.state, c.state, shown);
      assert.equal(answer.purchasable, c.purchasable, shown);
      assert.equal(answer.quantities.available, c.available, shown);
      assert.equal(answer.quantities.requested, input.requested, shown);
      if (c.restock === undefined) {
        assert.equal('restock' in answer, false, shown);
      } else {
        assert.equal('restock' in answer && answer.restock, c.restock, shown);
      }
      for (const fragment of c.reason) {
        if (typeof fragment === 'string') assert.ok(answer.reason.includes(fragment), shown);
        else assert.match(answer.reason, fragment, shown);
      }
    });
  }

  it('reports the summed quantities behind the answer', () => {
    const answer = decideAvailability({
      item: rules(),
      stock: [at('W1', 2, 0, 5), at('S1', 6, 2, 1)],
      requested: 2,
      today: TODAY,
      incoming: 7,
    });
    assert.deepEqual(answer.quantities, {
      requested: 2,
      onHand: 8,
      reserved: 2,
      safetyStock: 6,
      available: 3,
      incoming: 7,
    });
  });

  it('defaults incoming to 0', () => {
    const answer = decideAvailability({
      item: rules(),
      stock: [at('W1', 1)],
      requested: 1,
      today: TODAY,
    });
    assert.equal(answer.quantities.incoming, 0);
  });
});

describe('availableAt', () => {
  const table: [LocationStock, number][] = [
    [at('W1', 10), 10],
    [at('W1', 10, 3), 7],
    [at('W1', 10, 3, 2), 5],
    [at('W1', 10, 10), 0],
    [at('W1', 10, 0, 10), 0],
    [at('W1', 2, 0, 5), 0],
    [at('W1', 5, 4, 3), 0],
    [at('W1', 0), 0],
  ];
  for (const [stock, expected] of table) {
    it(`on hand ${stock.onHand}, reserved ${stock.reserved}, safety ${stock.safetyStock} → ${expected}`, () => {
      assert.equal(availableAt(stock), expected);
    });
  }
});

describe('sumStock', () => {
  it('adds every quantity and clamps availability per location before summing', () => {
    assert.deepEqual(sumStock([at('W1', 2, 0, 5), at('S1', 4, 1, 0), at('S2', 3, 3, 0)]), {
      onHand: 9,
      reserved: 4,
      safetyStock: 5,
      available: 3,
    });
  });

  it('is all zeros for no locations', () => {
    assert.deepEqual(sumStock([]), { onHand: 0, reserved: 0, safetyStock: 0, available: 0 });
  });
});
