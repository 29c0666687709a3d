import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Availability,
  type AvailabilityInput,
  type AvailabilityState,
  availableAt,
  decideAvailability,
  type ItemRules,
  type LeadTime,
  type LocationStock,
  sumStock,
  tryDecideAvailability,
} from './availability.js';
import type { SupplyLine } from './supply.js';

const TODAY = '2026-11-26';

function rules(overrides: Partial<ItemRules> = {}): ItemRules {
  return {
    status: 'active',
    lowStockThreshold: 3,
    backorderPolicy: 'incoming',
    releaseDate: null,
    preordersEnabled: false,
    handlingDays: 0,
    backorderCap: null,
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
    name: 'incoming supply all promised to earlier orders is named with its next date',
    input: {
      item: rules({ backorderPolicy: 'incoming' }),
      stock: [at('W1', 0)],
      incoming: 12,
      freeIncoming: 0,
      nextExpectedDate: '2026-12-01',
    },
    state: 'out_of_stock',
    purchasable: false,
    available: 0,
    restock: 'unknown',
    reason: [
      /^None available for 1 requested; the 12 incoming \(next on 2026-12-01\) are all promised to earlier orders$/,
    ],
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
    reason: ['Not released until 2026-12-01', 'not sold as a preorder'],
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

/** An open purchase-order line: line id n on purchase order 100 + n, from ACME. */
function po(
  lineId: number,
  open: number,
  expectedDate: string,
  confidence: 'confirmed' | 'estimated' = 'confirmed',
  location = 'W1',
): SupplyLine {
  return {
    source: { kind: 'purchase_order', purchaseOrderId: 100 + lineId, lineId, supplier: 'ACME' },
    location,
    expectedDate,
    confidence,
    open,
  };
}

function transfer(transferId: number, open: number, expectedDate: string): SupplyLine {
  return {
    source: { kind: 'transfer', transferId, from: 'W2' },
    location: 'S1',
    expectedDate,
    confidence: 'confirmed',
    open,
  };
}

/** Supply lines with what earlier backorders hold, by supply key. */
const supply = (lines: SupplyLine[], held: Record<string, number> = {}) => ({
  lines,
  held: new Map(Object.entries(held)),
});

const ACME_10: LeadTime = { supplier: 'ACME', leadTimeDays: 10, held: 0 };

interface PromiseCase {
  name: string;
  item?: Partial<ItemRules>;
  stock: number;
  requested: number;
  supply?: AvailabilityInput['supply'];
  leadTime?: LeadTime;
  state: AvailabilityState;
  expectedDate?: string;
  confidence?: 'confirmed' | 'estimated';
  /** Each basis as "kind:id×quantity@date" (lead time: "lead_time:SUPPLIER/days×quantity@date"). */
  restsOn?: string[];
  releaseDate?: string;
  restock?: string;
  reason: (string | RegExp)[];
}

function shortBasis(answer: Availability): string[] | undefined {
  if (answer.state !== 'backorder' && answer.state !== 'preorder') return undefined;
  return answer.restsOn.map((b) => {
    if (b.kind === 'purchase_order') return `po_line:${b.lineId}×${b.quantity}@${b.expectedDate}`;
    if (b.kind === 'transfer') return `transfer:${b.transferId}×${b.quantity}@${b.expectedDate}`;
    return `lead_time:${b.supplier}/${b.leadTimeDays}×${b.quantity}@${b.expectedDate}`;
  });
}

const promiseCases: PromiseCase[] = [
  {
    name: 'a shortfall covered by a purchase order is a backorder, dated with handling days',
    item: { handlingDays: 1 },
    stock: 2,
    requested: 5,
    supply: supply([po(1, 10, '2026-12-01')]),
    state: 'backorder',
    expectedDate: '2026-12-02',
    confidence: 'confirmed',
    restsOn: ['po_line:1×3@2026-12-01'],
    reason: [
      /^Only 2 available for 5 requested; 3 can be backordered for 2026-12-02: 3 on purchase order 101 due 2026-12-01 \(confirmed\), plus 1 handling day$/,
    ],
  },
  {
    name: 'nothing in stock: the whole quantity is backordered',
    stock: 0,
    requested: 4,
    supply: supply([po(1, 4, '2026-12-01')]),
    state: 'backorder',
    expectedDate: '2026-12-01',
    confidence: 'confirmed',
    restsOn: ['po_line:1×4@2026-12-01'],
    reason: ['None available for 4 requested; 4 can be backordered for 2026-12-01'],
  },
  {
    name: 'earliest supply first; the date is the last unit, the confidence the weakest',
    item: { handlingDays: 2 },
    stock: 0,
    requested: 4,
    supply: supply([po(1, 5, '2026-12-03', 'estimated'), transfer(7, 2, '2026-11-29')]),
    state: 'backorder',
    expectedDate: '2026-12-05',
    confidence: 'estimated',
    restsOn: ['transfer:7×2@2026-11-29', 'po_line:1×2@2026-12-03'],
    reason: ['4 can be backordered for 2026-12-05', 'plus 2 handling days'],
  },
  {
    name: 'units earlier backorders hold are skipped: the promise moves to later supply',
    stock: 0,
    requested: 3,
    supply: supply([po(1, 5, '2026-12-01'), po(2, 10, '2026-12-15')], { 'po_line:1': 4 }),
    state: 'backorder',
    expectedDate: '2026-12-15',
    confidence: 'confirmed',
    restsOn: ['po_line:1×1@2026-12-01', 'po_line:2×2@2026-12-15'],
    reason: ['3 can be backordered for 2026-12-15'],
  },
  {
    name: 'supply partly promised to earlier orders cannot cover the shortfall',
    stock: 2,
    requested: 5,
    supply: supply([po(1, 10, '2026-12-01')], { 'po_line:1': 8 }),
    state: 'out_of_stock',
    restock: 'unknown',
    reason: [
      /^Only 2 available for 5 requested; only 2 of the 10 incoming are not yet promised to earlier orders$/,
    ],
  },
  {
    name: 'supply wholly promised to earlier orders is out of stock',
    stock: 0,
    requested: 1,
    supply: supply([po(1, 10, '2026-12-01')], { 'po_line:1': 10 }),
    state: 'out_of_stock',
    restock: 'unknown',
    reason: ['the 10 incoming are all promised to earlier orders'],
  },
  {
    name: 'overdue supply is promised from today, as an estimate (promiseDate decides)',
    item: { handlingDays: 1 },
    stock: 0,
    requested: 1,
    supply: supply([po(1, 3, '2026-11-20')]),
    state: 'backorder',
    expectedDate: '2026-11-27',
    confidence: 'estimated',
    restsOn: ['po_line:1×1@2026-11-20'],
    reason: ['1 can be backordered for 2026-11-27'],
  },
  {
    name: 'policy none refuses to backorder even with free supply',
    item: { backorderPolicy: 'none' },
    stock: 0,
    requested: 1,
    supply: supply([po(1, 3, '2026-12-01')]),
    state: 'out_of_stock',
    restock: 'unknown',
    reason: ['backorders are not allowed for this item (3 incoming)'],
  },
  {
    name: 'lead_time promises on the supplier lead time, estimated',
    item: { backorderPolicy: 'lead_time', handlingDays: 1 },
    stock: 1,
    requested: 3,
    leadTime: ACME_10,
    state: 'backorder',
    expectedDate: '2026-12-07',
    confidence: 'estimated',
    restsOn: ['lead_time:ACME/10×2@2026-12-06'],
    reason: ["2 on ACME's 10-day lead time, plus 1 handling day"],
  },
  {
    name: 'lead_time takes free supply first and the lead time for the rest',
    item: { backorderPolicy: 'lead_time' },
    stock: 0,
    requested: 5,
    supply: supply([po(1, 2, '2026-12-01')]),
    leadTime: ACME_10,
    state: 'backorder',
    expectedDate: '2026-12-06',
    confidence: 'estimated',
    restsOn: ['po_line:1×2@2026-12-01', 'lead_time:ACME/10×3@2026-12-06'],
    reason: ['5 can be backordered for 2026-12-06'],
  },
  {
    name: 'lead_time within the cap, counting what earlier orders hold',
    item: { backorderPolicy: 'lead_time', backorderCap: 5 },
    stock: 0,
    requested: 2,
    leadTime: { ...ACME_10, held: 3 },
    state: 'backorder',
    expectedDate: '2026-12-06',
    confidence: 'estimated',
    restsOn: ['lead_time:ACME/10×2@2026-12-06'],
    reason: ['2 can be backordered'],
  },
  {
    name: 'lead_time beyond the cap is out of stock, saying how much room is left',
    item: { backorderPolicy: 'lead_time', backorderCap: 5 },
    stock: 0,
    requested: 3,
    leadTime: { ...ACME_10, held: 3 },
    state: 'out_of_stock',
    restock: 'unknown',
    reason: ['only 2 more can be promised on lead time (cap 5, 3 promised)'],
  },
  {
    name: 'lead_time with the cap used up is out of stock',
    item: { backorderPolicy: 'lead_time', backorderCap: 5 },
    stock: 0,
    requested: 1,
    leadTime: { ...ACME_10, held: 5 },
    state: 'out_of_stock',
    restock: 'unknown',
    reason: ['no incoming supply to promise from, and the lead-time backorder cap of 5 is reached'],
  },
  {
    name: 'lead_time with a cap of 0 never promises on lead time',
    item: { backorderPolicy: 'lead_time', backorderCap: 0 },
    stock: 0,
    requested: 1,
    leadTime: ACME_10,
    state: 'out_of_stock',
    restock: 'unknown',
    reason: ['cap of 0 is reached'],
  },
  {
    name: 'lead_time with nobody supplying the item is out of stock',
    item: { backorderPolicy: 'lead_time' },
    stock: 0,
    requested: 1,
    leadTime: { supplier: null, leadTimeDays: null, held: 0 },
    state: 'out_of_stock',
    restock: 'unknown',
    reason: ['no supplier lead time to promise on'],
  },
  {
    name: 'released today: a backorder, not a preorder',
    item: { releaseDate: TODAY, preordersEnabled: true },
    stock: 0,
    requested: 1,
    supply: supply([po(1, 3, '2026-12-01')]),
    state: 'backorder',
    expectedDate: '2026-12-01',
    confidence: 'confirmed',
    restsOn: ['po_line:1×1@2026-12-01'],
    reason: ['1 can be backordered'],
  },
  {
    name: 'discontinued is never backordered, whatever is incoming',
    item: { status: 'discontinued' },
    stock: 1,
    requested: 2,
    supply: supply([po(1, 3, '2026-12-01')]),
    state: 'discontinued',
    restock: 'never',
    reason: ['only 1 left for 2 requested'],
  },
  {
    name: 'preorder served from stock ships on the release date',
    item: { releaseDate: '2026-12-10', preordersEnabled: true },
    stock: 20,
    requested: 5,
    state: 'preorder',
    releaseDate: '2026-12-10',
    confidence: 'confirmed',
    restsOn: [],
    reason: [/^Preorder: released on 2026-12-10; 20 available for 5 requested$/],
  },
  {
    name: 'preorder short of stock, supply before the release: promised for the release',
    item: { releaseDate: '2026-12-10', preordersEnabled: true, handlingDays: 1 },
    stock: 2,
    requested: 5,
    supply: supply([po(1, 10, '2026-12-01')]),
    state: 'preorder',
    releaseDate: '2026-12-10',
    confidence: 'confirmed',
    restsOn: ['po_line:1×3@2026-12-01'],
    reason: ['Preorder: released on 2026-12-10, promised for 2026-12-10'],
  },
  {
    name: 'preorder whose supply comes after the release is promised for that later date',
    item: { releaseDate: '2026-12-10', preordersEnabled: true, handlingDays: 1 },
    stock: 0,
    requested: 2,
    supply: supply([po(1, 10, '2026-12-20', 'estimated')]),
    state: 'preorder',
    releaseDate: '2026-12-10',
    expectedDate: '2026-12-21',
    confidence: 'estimated',
    restsOn: ['po_line:1×2@2026-12-20'],
    reason: ['promised for 2026-12-21'],
  },
  {
    name: 'preorder under policy none still takes free supply, as placing an order does',
    item: { releaseDate: '2026-12-10', preordersEnabled: true, backorderPolicy: 'none' },
    stock: 0,
    requested: 2,
    supply: supply([po(1, 10, '2026-12-01')]),
    state: 'preorder',
    releaseDate: '2026-12-10',
    confidence: 'confirmed',
    restsOn: ['po_line:1×2@2026-12-01'],
    reason: ['Preorder: released on 2026-12-10'],
  },
  {
    name: 'preorder beyond stock and free supply is out of stock until the release',
    item: { releaseDate: '2026-12-10', preordersEnabled: true },
    stock: 2,
    requested: 5,
    supply: supply([po(1, 10, '2026-12-01')], { 'po_line:1': 9 }),
    state: 'out_of_stock',
    restock: '2026-12-10',
    reason: [
      /^Preorder of 5: only 3 can be promised by the release on 2026-12-10; only 1 of the 10 incoming/,
    ],
  },
  {
    name: 'preorder under lead_time may rest on the lead time',
    item: { releaseDate: '2026-12-01', preordersEnabled: true, backorderPolicy: 'lead_time' },
    stock: 0,
    requested: 1,
    leadTime: ACME_10,
    state: 'preorder',
    releaseDate: '2026-12-01',
    expectedDate: '2026-12-06',
    confidence: 'estimated',
    restsOn: ['lead_time:ACME/10×1@2026-12-06'],
    reason: ['promised for 2026-12-06'],
  },
  {
    name: 'not released and no preorders: out of stock until the release, supply or not',
    item: { releaseDate: '2026-12-10' },
    stock: 0,
    requested: 1,
    supply: supply([po(1, 10, '2026-12-01')]),
    state: 'out_of_stock',
    restock: '2026-12-10',
    reason: [/^Not released until 2026-12-10, and it is not sold as a preorder$/],
  },
];

describe('decideAvailability: promises beyond stock', () => {
  for (const c of promiseCases) {
    it(c.name, () => {
      const input: AvailabilityInput = {
        item: rules(c.item),
        stock: [at('W1', c.stock)],
        requested: c.requested,
        today: TODAY,
        ...(c.supply && { supply: c.supply }),
        ...(c.leadTime && { leadTime: c.leadTime }),
      };
      const answer = decideAvailability(input);
      const shown = JSON.stringify(answer);
      assert.equal(answer.state, c.state, shown);
      assert.equal(answer.purchasable, c.state === 'backorder' || c.state === 'preorder', shown);
      assert.equal(
        'expectedDate' in answer ? answer.expectedDate : undefined,
        c.expectedDate,
        shown,
      );
      assert.equal('confidence' in answer ? answer.confidence : undefined, c.confidence, shown);
      assert.deepEqual(shortBasis(answer), c.restsOn, shown);
      assert.equal('releaseDate' in answer ? answer.releaseDate : undefined, c.releaseDate, shown);
      assert.equal('restock' in answer ? answer.restock : undefined, c.restock, shown);
      for (const fragment of c.reason) {
        if (typeof fragment === 'string') assert.ok(answer.reason.includes(fragment), shown);
        else assert.match(answer.reason, fragment, shown);
      }
    });
  }

  it('carries the whole basis of a supply peg: order, supplier, location, date, confidence', () => {
    const answer = decideAvailability({
      item: rules(),
      stock: [],
      requested: 2,
      today: TODAY,
      supply: supply([po(3, 5, '2026-12-01', 'estimated', 'S1')]),
    });
    assert.equal(answer.state, 'backorder');
    assert.deepEqual(answer.state === 'backorder' && answer.restsOn, [
      {
        kind: 'purchase_order',
        purchaseOrderId: 103,
        lineId: 3,
        supplier: 'ACME',
        location: 'S1',
        quantity: 2,
        expectedDate: '2026-12-01',
        confidence: 'estimated',
      },
    ]);
  });
});

describe('tryDecideAvailability: what the totals settle and what they do not', () => {
  const base = (item: Partial<ItemRules>, extra: Partial<AvailabilityInput> = {}) => ({
    item: rules(item),
    stock: [at('W1', 1)],
    requested: 4,
    today: TODAY,
    incoming: 10,
    ...extra,
  });
  const table: [string, AvailabilityInput, AvailabilityState | 'lead_time' | 'supply_lines'][] = [
    ['enough in stock needs nothing more', { ...base({}), requested: 1 }, 'low_stock'],
    [
      'free supply short of the shortfall settles it',
      base({}, { freeIncoming: 2 }),
      'out_of_stock',
    ],
    [
      'free supply covering the shortfall needs the lines',
      base({}, { freeIncoming: 3 }),
      'supply_lines',
    ],
    [
      'policy none settles it',
      base({ backorderPolicy: 'none' }, { freeIncoming: 10 }),
      'out_of_stock',
    ],
    [
      'lead_time beyond free supply needs the lead time',
      base({ backorderPolicy: 'lead_time' }, { freeIncoming: 2 }),
      'lead_time',
    ],
    [
      'lead_time covered by free supply needs only the lines',
      base({ backorderPolicy: 'lead_time' }, { freeIncoming: 3 }),
      'supply_lines',
    ],
    [
      'lead_time with nothing free is dated without lines',
      base({ backorderPolicy: 'lead_time' }, { freeIncoming: 0, leadTime: ACME_10 }),
      'backorder',
    ],
    [
      'lead_time with some free supply needs the lines too',
      base({ backorderPolicy: 'lead_time' }, { freeIncoming: 1, leadTime: ACME_10 }),
      'supply_lines',
    ],
    [
      'a preorder from stock needs nothing more',
      { ...base({ releaseDate: '2026-12-10', preordersEnabled: true }), requested: 1 },
      'preorder',
    ],
    [
      'not released without preorders settles it',
      base({ releaseDate: '2026-12-10' }, { freeIncoming: 10 }),
      'out_of_stock',
    ],
    [
      'discontinued settles it',
      base({ status: 'discontinued' }, { freeIncoming: 10 }),
      'discontinued',
    ],
  ];
  for (const [name, input, expected] of table) {
    it(name, () => {
      const answer = tryDecideAvailability(input);
      assert.equal(
        'missing' in answer ? answer.missing : answer.state,
        expected,
        JSON.stringify(answer),
      );
    });
  }

  it('decideAvailability refuses to guess without the data it needs', () => {
    assert.throws(
      () => decideAvailability(base({}, { freeIncoming: 3 })),
      /needs the item's supply_lines/,
    );
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
