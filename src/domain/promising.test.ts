import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays } from '../shared/dates.js';
import type { Confidence } from './item-rules.js';
import {
  type LinePromise,
  type Peg,
  type PromiseInput,
  type PromiseRules,
  planAllocation,
  promiseDate,
  promiseUnits,
  type QueuedLine,
  type Replanned,
  replanQueue,
} from './promising.js';
import { type SupplyLine, supplyKey } from './supply.js';

const TODAY = '2026-11-20';

function po(
  lineId: number,
  expectedDate: string,
  open: number,
  confidence: Confidence = 'confirmed',
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

function transfer(
  transferId: number,
  expectedDate: string,
  open: number,
  confidence: Confidence = 'confirmed',
  location = 'W1',
): SupplyLine {
  return {
    source: { kind: 'transfer', transferId, from: 'S9' },
    location,
    expectedDate,
    confidence,
    open,
  };
}

function rules(overrides: Partial<PromiseRules> = {}): PromiseRules {
  return {
    policy: 'incoming',
    handlingDays: 1,
    backorderCap: null,
    leadTimeDays: 14,
    supplier: 'ACME',
    releaseDate: null,
    ...overrides,
  };
}

function input(supply: readonly SupplyLine[], overrides: Partial<PromiseInput> = {}): PromiseInput {
  return {
    supply,
    held: new Map(),
    leadTimeHeld: 0,
    rules: rules(),
    today: TODAY,
    ...overrides,
  };
}

/** A peg as [key, quantity, expectedDate], 'lead_time' as the key for lead-time pegs. */
function brief(pegs: readonly Peg[]): [string, number, string][] {
  return pegs.map((p) => [
    p.kind === 'supply' ? supplyKey(p.source) : 'lead_time',
    p.quantity,
    p.expectedDate,
  ]);
}

function queued(lineId: number, waiting: number, overrides: Partial<QueuedLine> = {}): QueuedLine {
  return {
    lineId,
    waiting,
    locations: ['W1'],
    releaseDate: null,
    promisedDate: null,
    confidence: null,
    leadTimeDate: null,
    ...overrides,
  };
}

/** The queue as the orders capability would store it after writing a re-plan. */
function carry(queue: readonly QueuedLine[], replanned: readonly Replanned[]): QueuedLine[] {
  return queue.map((line) => {
    const r = replanned.find((x) => x.lineId === line.lineId);
    assert.ok(r, `line ${line.lineId} was re-planned`);
    const leadTime = r.promise.pegs.find((p) => p.kind === 'lead_time');
    return {
      ...line,
      promisedDate: r.promise.promisedDate,
      confidence: r.promise.confidence,
      leadTimeDate: leadTime?.expectedDate ?? null,
    };
  });
}

function queueRules(overrides: Partial<PromiseRules> = {}): Omit<PromiseRules, 'releaseDate'> {
  const { releaseDate: _ignored, ...rest } = rules(overrides);
  return rest;
}

describe('planAllocation', () => {
  const table: [
    string,
    { locationId: number; available: number }[],
    number,
    [number, number][],
    number,
  ][] = [
    ['the first location covers the line', [at(1, 10), at(2, 10)], 4, [[1, 4]], 0],
    ['exactly what the first location has', [at(1, 4), at(2, 10)], 4, [[1, 4]], 0],
    [
      'split across locations in the priority order given, not by id',
      [at(3, 2), at(1, 5), at(2, 10)],
      9,
      [
        [3, 2],
        [1, 5],
        [2, 2],
      ],
      0,
    ],
    [
      'locations with nothing available are skipped',
      [at(1, 0), at(2, 3), at(3, 0), at(4, 6)],
      5,
      [
        [2, 3],
        [4, 2],
      ],
      0,
    ],
    ['a negative figure is skipped like zero', [at(1, -2), at(2, 3)], 2, [[2, 2]], 0],
    [
      'shortfall when every location runs out',
      [at(1, 2), at(2, 0), at(3, 1)],
      7,
      [
        [1, 2],
        [3, 1],
      ],
      4,
    ],
    ['nothing anywhere: all shortfall', [at(1, 0), at(2, 0)], 3, [], 3],
    ['no locations at all: all shortfall', [], 3, [], 3],
    ['zero requested takes nothing', [at(1, 5)], 0, [], 0],
  ];
  for (const [name, locations, quantity, takes, shortfall] of table) {
    it(name, () => {
      const plan = planAllocation(locations, quantity);
      assert.deepEqual(
        plan.takes.map((t) => [t.locationId, t.quantity]),
        takes,
      );
      assert.equal(plan.shortfall, shortfall);
      const taken = plan.takes.reduce((sum, t) => sum + t.quantity, 0);
      assert.equal(taken + plan.shortfall, quantity);
    });
  }

  function at(locationId: number, available: number) {
    return { locationId, available };
  }
});

describe('promiseUnits: the supply walk', () => {
  it('pegs the earliest supply first, whatever order the rows came in', () => {
    const supply = [po(3, '2026-12-10', 5), po(1, '2026-12-01', 2), po(2, '2026-12-05', 4)];
    const promise = promiseUnits(input(supply), 8);
    assert.deepEqual(brief(promise.pegs), [
      ['po_line:1', 2, '2026-12-01'],
      ['po_line:2', 4, '2026-12-05'],
      ['po_line:3', 2, '2026-12-10'],
    ]);
    assert.equal(promise.unpromised, 0);
    assert.equal(promise.promisedDate, '2026-12-11');
    assert.equal(promise.confidence, 'confirmed');
  });

  it('does not reorder the supply it was given', () => {
    const supply = [po(2, '2026-12-05', 1), po(1, '2026-12-01', 1)];
    promiseUnits(input(supply), 2);
    assert.deepEqual(
      supply.map((s) => supplyKey(s.source)),
      ['po_line:2', 'po_line:1'],
    );
  });

  it('keeps the whole supply peg: source, location, date and confidence', () => {
    const supply = [po(1, '2026-12-01', 5, 'estimated', 'W2')];
    const promise = promiseUnits(input(supply), 3);
    assert.deepEqual(promise.pegs, [
      {
        kind: 'supply',
        source: supply[0]!.source,
        location: 'W2',
        quantity: 3,
        expectedDate: '2026-12-01',
        confidence: 'estimated',
      },
    ]);
  });

  const ties: [string, SupplyLine[], string[]][] = [
    [
      'same day: confirmed before estimated, even an older estimated PO',
      [po(1, '2026-12-01', 1, 'estimated'), po(2, '2026-12-01', 1, 'confirmed')],
      ['po_line:2', 'po_line:1'],
    ],
    [
      'same day, same confidence: a transfer before a purchase order',
      [po(1, '2026-12-01', 1), transfer(40, '2026-12-01', 1)],
      ['transfer:40', 'po_line:1'],
    ],
    [
      'same day: a confirmed PO before an estimated transfer',
      [transfer(1, '2026-12-01', 1, 'estimated'), po(9, '2026-12-01', 1)],
      ['po_line:9', 'transfer:1'],
    ],
    [
      'same day, same confidence, same kind: the older document first',
      [po(7, '2026-12-01', 1), po(3, '2026-12-01', 1), transfer(5, '2026-12-01', 1)],
      ['transfer:5', 'po_line:3', 'po_line:7'],
    ],
    [
      'an earlier estimate still comes before a later confirmed date',
      [po(1, '2026-12-02', 1), po(2, '2026-12-01', 1, 'estimated')],
      ['po_line:2', 'po_line:1'],
    ],
  ];
  for (const [name, supply, order] of ties) {
    it(`ties: ${name}`, () => {
      const promise = promiseUnits(input(supply), supply.length);
      assert.deepEqual(
        brief(promise.pegs).map(([key]) => key),
        order,
      );
      // Only the first in line when one unit is needed.
      assert.deepEqual(
        brief(promiseUnits(input(supply), 1).pegs).map(([key]) => key),
        order.slice(0, 1),
      );
    });
  }

  it('pegs partly across purchase orders: the last one only for what is still needed', () => {
    const supply = [po(1, '2026-12-01', 3), po(2, '2026-12-05', 5), po(3, '2026-12-09', 5)];
    const promise = promiseUnits(input(supply), 7);
    assert.deepEqual(brief(promise.pegs), [
      ['po_line:1', 3, '2026-12-01'],
      ['po_line:2', 4, '2026-12-05'],
    ]);
    assert.equal(promise.promisedDate, '2026-12-06');
  });

  it('stays on the first supply when it covers the need', () => {
    const supply = [po(1, '2026-12-01', 10), po(2, '2026-12-05', 5)];
    assert.deepEqual(brief(promiseUnits(input(supply), 10).pegs), [
      ['po_line:1', 10, '2026-12-01'],
    ]);
  });

  it('skips what earlier lines hold, wholly or in part', () => {
    const supply = [po(1, '2026-12-01', 3), po(2, '2026-12-05', 5), po(3, '2026-12-09', 5)];
    const held = new Map([
      ['po_line:1', 3],
      ['po_line:2', 2],
    ]);
    const promise = promiseUnits(input(supply, { held }), 5);
    assert.deepEqual(brief(promise.pegs), [
      ['po_line:2', 3, '2026-12-05'],
      ['po_line:3', 2, '2026-12-09'],
    ]);
    assert.equal(promise.promisedDate, '2026-12-10', 'the date comes from what is free');
  });

  it('treats supply held beyond what it still brings (it was cut) as having nothing free', () => {
    const supply = [po(1, '2026-12-01', 2), po(2, '2026-12-05', 5)];
    const promise = promiseUnits(input(supply, { held: new Map([['po_line:1', 4]]) }), 1);
    assert.deepEqual(brief(promise.pegs), [['po_line:2', 1, '2026-12-05']]);
  });

  it('ignores held quantities of supply it is not offered', () => {
    const supply = [po(1, '2026-12-01', 2)];
    const promise = promiseUnits(input(supply, { held: new Map([['po_line:99', 50]]) }), 2);
    assert.deepEqual(brief(promise.pegs), [['po_line:1', 2, '2026-12-01']]);
  });

  it('does not change the held map it was given', () => {
    const held = new Map([['po_line:1', 1]]);
    promiseUnits(input([po(1, '2026-12-01', 5)], { held }), 3);
    assert.deepEqual([...held], [['po_line:1', 1]]);
  });

  it('passes over supply with nothing open', () => {
    const supply = [po(1, '2026-12-01', 0), po(2, '2026-12-05', 2)];
    assert.deepEqual(brief(promiseUnits(input(supply), 2).pegs), [['po_line:2', 2, '2026-12-05']]);
  });

  it('needs nothing for zero: no pegs, no date', () => {
    assert.deepEqual(promiseUnits(input([po(1, '2026-12-01', 2)]), 0), {
      pegs: [],
      unpromised: 0,
      promisedDate: null,
      confidence: null,
    });
  });
});

describe('promiseUnits: dates and confidence', () => {
  const supply = [po(1, '2026-12-01', 2), po(2, '2026-12-08', 2, 'estimated')];

  it('adds handling days to the LAST pegged date, not the first', () => {
    const table: [number, number, string][] = [
      [2, 0, '2026-12-01'],
      [2, 1, '2026-12-02'],
      [2, 3, '2026-12-04'],
      [3, 1, '2026-12-09'],
      [4, 2, '2026-12-10'],
    ];
    for (const [needed, handlingDays, date] of table) {
      const promise = promiseUnits(input(supply, { rules: rules({ handlingDays }) }), needed);
      assert.equal(promise.promisedDate, date, `${needed} units, ${handlingDays} handling days`);
    }
  });

  it('crosses month and year ends', () => {
    const promise = promiseUnits(
      input([po(1, '2026-12-30', 1)], { rules: rules({ handlingDays: 3 }) }),
      1,
    );
    assert.equal(promise.promisedDate, '2027-01-02');
  });

  it('is confirmed only when every peg is confirmed, estimated if any is', () => {
    assert.equal(promiseUnits(input(supply), 2).confidence, 'confirmed');
    assert.equal(promiseUnits(input(supply), 3).confidence, 'estimated');
    const estimatedFirst = [po(1, '2026-12-01', 2, 'estimated'), po(2, '2026-12-08', 2)];
    assert.equal(promiseUnits(input(estimatedFirst), 4).confidence, 'estimated');
  });

  it('promises no date and no confidence when any unit is unpromised, even with pegs', () => {
    const promise = promiseUnits(input(supply), 5);
    assert.equal(promise.pegs.length, 2, 'the four units it found are still pegged');
    assert.equal(promise.unpromised, 1);
    assert.equal(promise.promisedDate, null);
    assert.equal(promise.confidence, null);
  });
});

describe('promiseUnits: policies', () => {
  const supply = [po(1, '2026-12-01', 2), po(2, '2026-12-08', 3)];
  const leadTimeDate = addDays(TODAY, 14); // 2026-12-04

  it('none: pegs no supply and promises nothing, even with a lead time', () => {
    const promise = promiseUnits(
      input(supply, { rules: rules({ policy: 'none', leadTimeDays: 5 }) }),
      2,
    );
    assert.deepEqual(promise, { pegs: [], unpromised: 2, promisedDate: null, confidence: null });
  });

  it('none, for a preorder with a release date: pegs supply but never lead time', () => {
    const promise = promiseUnits(
      input(supply, { rules: rules({ policy: 'none', releaseDate: '2026-12-15' }) }),
      7,
    );
    assert.deepEqual(brief(promise.pegs), [
      ['po_line:1', 2, '2026-12-01'],
      ['po_line:2', 3, '2026-12-08'],
    ]);
    assert.equal(promise.unpromised, 2);
    assert.equal(promise.promisedDate, null);
  });

  it('none, for a preorder covered by supply: promised for the release date', () => {
    const promise = promiseUnits(
      input(supply, { rules: rules({ policy: 'none', releaseDate: '2026-12-15' }) }),
      5,
    );
    assert.equal(promise.unpromised, 0);
    assert.equal(promise.promisedDate, '2026-12-15');
    assert.equal(promise.confidence, 'confirmed');
  });

  it('incoming: pegs supply only and leaves the shortfall unpromised', () => {
    const promise = promiseUnits(input(supply, { rules: rules({ policy: 'incoming' }) }), 8);
    assert.deepEqual(brief(promise.pegs), [
      ['po_line:1', 2, '2026-12-01'],
      ['po_line:2', 3, '2026-12-08'],
    ]);
    assert.equal(promise.unpromised, 3);
    assert.equal(promise.promisedDate, null);
    assert.equal(promise.confidence, null);
  });

  it('incoming with no supply: everything unpromised', () => {
    assert.deepEqual(promiseUnits(input([]), 4), {
      pegs: [],
      unpromised: 4,
      promisedDate: null,
      confidence: null,
    });
  });

  it('lead_time: supply first, then the rest on lead time from today, estimated', () => {
    const promise = promiseUnits(input(supply, { rules: rules({ policy: 'lead_time' }) }), 8);
    assert.deepEqual(brief(promise.pegs), [
      ['po_line:1', 2, '2026-12-01'],
      ['po_line:2', 3, '2026-12-08'],
      ['lead_time', 3, leadTimeDate],
    ]);
    assert.deepEqual(promise.pegs[2], {
      kind: 'lead_time',
      quantity: 3,
      expectedDate: '2026-12-04',
      confidence: 'estimated',
    });
    assert.equal(promise.unpromised, 0);
    // The latest peg is the PO on 12-08 (after the lead-time date): 12-08 + 1.
    assert.equal(promise.promisedDate, '2026-12-09');
    assert.equal(promise.confidence, 'estimated', 'lead time is always an estimate');
  });

  it('lead_time: the lead-time date plus handling when it is the last date', () => {
    const promise = promiseUnits(
      input([po(1, '2026-12-01', 2)], {
        rules: rules({ policy: 'lead_time', leadTimeDays: 30, handlingDays: 2 }),
      }),
      5,
    );
    assert.deepEqual(brief(promise.pegs), [
      ['po_line:1', 2, '2026-12-01'],
      ['lead_time', 3, '2026-12-20'],
    ]);
    assert.equal(promise.promisedDate, '2026-12-22');
  });

  it('lead_time: no lead-time peg when supply covers the line', () => {
    const promise = promiseUnits(input(supply, { rules: rules({ policy: 'lead_time' }) }), 5);
    assert.equal(
      promise.pegs.some((p) => p.kind === 'lead_time'),
      false,
    );
    assert.equal(promise.confidence, 'confirmed');
  });

  it('lead_time with no supply at all: wholly on lead time', () => {
    const promise = promiseUnits(input([], { rules: rules({ policy: 'lead_time' }) }), 4);
    assert.deepEqual(brief(promise.pegs), [['lead_time', 4, leadTimeDate]]);
    assert.equal(promise.promisedDate, '2026-12-05');
  });

  const caps: [string, number | null, number, number, number][] = [
    // name, cap, leadTimeHeld, lead-time units, unpromised (of 6 needed beyond 0 supply)
    ['no cap: everything', null, 100, 6, 0],
    ['a cap with room for all', 10, 0, 6, 0],
    ['a cap exactly reached', 6, 0, 6, 0],
    ['a cap with room for part', 4, 0, 4, 2],
    ['the cap minus what is already held', 10, 7, 3, 3],
    ['a cap already used up', 5, 5, 0, 6],
    ['a cap exceeded (it was lowered): none, never negative', 5, 8, 0, 6],
    ['a cap of zero', 0, 0, 0, 6],
  ];
  for (const [name, backorderCap, leadTimeHeld, onLeadTime, unpromised] of caps) {
    it(`lead_time cap: ${name}`, () => {
      const promise = promiseUnits(
        input([], { leadTimeHeld, rules: rules({ policy: 'lead_time', backorderCap }) }),
        6,
      );
      const leadPegs = promise.pegs.filter((p) => p.kind === 'lead_time');
      assert.equal(
        leadPegs.reduce((sum, p) => sum + p.quantity, 0),
        onLeadTime,
      );
      assert.ok(
        leadPegs.every((p) => p.quantity > 0),
        'no empty lead-time peg',
      );
      assert.equal(promise.unpromised, unpromised);
      assert.equal(promise.promisedDate, unpromised === 0 ? '2026-12-05' : null);
    });
  }

  it('lead_time cap counts lead-time units only, not supply pegs', () => {
    const promise = promiseUnits(
      input(supply, { rules: rules({ policy: 'lead_time', backorderCap: 2 }) }),
      8,
    );
    assert.deepEqual(brief(promise.pegs), [
      ['po_line:1', 2, '2026-12-01'],
      ['po_line:2', 3, '2026-12-08'],
      ['lead_time', 2, leadTimeDate],
    ]);
    assert.equal(promise.unpromised, 1);
    assert.equal(promise.promisedDate, null);
  });

  it('lead_time with no known lead time behaves exactly like incoming', () => {
    for (const needed of [0, 3, 5, 9]) {
      for (const keep of [null, '2026-11-25']) {
        const leadTime = promiseUnits(
          input(supply, { rules: rules({ policy: 'lead_time', leadTimeDays: null }) }),
          needed,
          keep,
        );
        const incoming = promiseUnits(
          input(supply, { rules: rules({ policy: 'incoming', leadTimeDays: null }) }),
          needed,
          keep,
        );
        assert.deepEqual(leadTime, incoming, `${needed} needed, kept date ${keep}`);
      }
    }
  });

  it('keepLeadTimeDate keeps an earlier lead-time date instead of today + lead time', () => {
    const promise = promiseUnits(
      input([], { rules: rules({ policy: 'lead_time' }) }),
      3,
      '2026-11-28',
    );
    assert.deepEqual(brief(promise.pegs), [['lead_time', 3, '2026-11-28']]);
    assert.equal(promise.promisedDate, '2026-11-29');
    assert.equal(promise.confidence, 'estimated');
  });

  it('keepLeadTimeDate is ignored when no lead time is needed or allowed', () => {
    const covered = promiseUnits(
      input(supply, { rules: rules({ policy: 'lead_time' }) }),
      2,
      '2026-11-28',
    );
    assert.deepEqual(brief(covered.pegs), [['po_line:1', 2, '2026-12-01']]);
    const incoming = promiseUnits(input(supply), 7, '2026-11-28');
    assert.equal(
      incoming.pegs.some((p) => p.kind === 'lead_time'),
      false,
    );
    assert.equal(incoming.unpromised, 2);
  });

  it('preorders under incoming: the release date wins when it is later than supply', () => {
    const promise = promiseUnits(input(supply, { rules: rules({ releaseDate: '2026-12-20' }) }), 3);
    assert.equal(promise.promisedDate, '2026-12-20');
    assert.equal(promise.confidence, 'confirmed');
  });

  it('preorders: supply date + handling wins when it is later than the release date', () => {
    // Three units: PO 1 (12-01) and PO 2 (12-08), so supply + handling is 12-09.
    const table: [string, string][] = [
      ['release before the first supply date', '2026-12-03'],
      ['release on the last supply date itself', '2026-12-08'],
      ['release on supply + handling', '2026-12-09'],
    ];
    for (const [name, releaseDate] of table) {
      const promise = promiseUnits(input(supply, { rules: rules({ releaseDate }) }), 3);
      assert.equal(promise.promisedDate, '2026-12-09', name);
    }
    const handling3 = promiseUnits(
      input(supply, { rules: rules({ releaseDate: '2026-12-10', handlingDays: 3 }) }),
      3,
    );
    assert.equal(handling3.promisedDate, '2026-12-11');
  });

  it('preorders under lead_time: the later of the release date and lead time + handling', () => {
    const late = promiseUnits(
      input([], { rules: rules({ policy: 'lead_time', releaseDate: '2026-12-31' }) }),
      1,
    );
    assert.equal(late.promisedDate, '2026-12-31');
    assert.equal(late.confidence, 'estimated');
    const early = promiseUnits(
      input([], { rules: rules({ policy: 'lead_time', releaseDate: '2026-11-21' }) }),
      1,
    );
    assert.equal(early.promisedDate, '2026-12-05');
  });

  it('preorders with unpromised units still get no date', () => {
    const promise = promiseUnits(input(supply, { rules: rules({ releaseDate: '2026-12-31' }) }), 6);
    assert.equal(promise.unpromised, 1);
    assert.equal(promise.promisedDate, null);
    assert.equal(promise.confidence, null);
  });
});

describe('promiseDate', () => {
  const supplyPeg = (expectedDate: string, confidence: Confidence = 'confirmed'): Peg => ({
    kind: 'supply',
    source: { kind: 'purchase_order', purchaseOrderId: 1, lineId: 1, supplier: 'ACME' },
    location: 'W1',
    quantity: 1,
    expectedDate,
    confidence,
  });
  const leadPeg = (expectedDate: string): Peg => ({
    kind: 'lead_time',
    quantity: 1,
    expectedDate,
    confidence: 'estimated',
  });
  const noRelease = { handlingDays: 2, releaseDate: null };

  it('is null with no pegs, or with anything unpromised', () => {
    assert.deepEqual(promiseDate([], 0, noRelease), { promisedDate: null, confidence: null });
    assert.deepEqual(promiseDate([], 3, noRelease), { promisedDate: null, confidence: null });
    assert.deepEqual(promiseDate([supplyPeg('2026-12-01')], 1, noRelease), {
      promisedDate: null,
      confidence: null,
    });
  });

  it('takes the latest date among the pegs, whatever their order, plus handling', () => {
    const pegs = [supplyPeg('2026-12-05'), leadPeg('2026-12-09'), supplyPeg('2026-12-01')];
    assert.deepEqual(promiseDate(pegs, 0, noRelease), {
      promisedDate: '2026-12-11',
      confidence: 'estimated',
    });
    assert.deepEqual(
      promiseDate([supplyPeg('2026-12-09'), supplyPeg('2026-12-01')], 0, noRelease),
      {
        promisedDate: '2026-12-11',
        confidence: 'confirmed',
      },
    );
  });

  it('is estimated when any supply peg is an estimate', () => {
    const pegs = [supplyPeg('2026-12-01'), supplyPeg('2026-12-02', 'estimated')];
    assert.equal(promiseDate(pegs, 0, noRelease).confidence, 'estimated');
  });

  it('never promises before the release date', () => {
    const pegs = [supplyPeg('2026-12-01')];
    assert.equal(
      promiseDate(pegs, 0, { handlingDays: 2, releaseDate: '2026-12-10' }).promisedDate,
      '2026-12-10',
    );
    assert.equal(
      promiseDate(pegs, 0, { handlingDays: 2, releaseDate: '2026-12-02' }).promisedDate,
      '2026-12-03',
    );
  });
});

describe('replanQueue', () => {
  it('serves the queue first come, first served: earlier lines take the earliest supply', () => {
    const supply = [po(2, '2026-12-08', 4), po(1, '2026-12-01', 3)];
    const queue = [queued(11, 2), queued(12, 2), queued(13, 2), queued(14, 2)];
    const plan = replanQueue(queue, supply, queueRules(), TODAY);
    assert.deepEqual(
      plan.map((r) => [r.lineId, brief(r.promise.pegs), r.promise.unpromised]),
      [
        [11, [['po_line:1', 2, '2026-12-01']], 0],
        [
          12,
          [
            ['po_line:1', 1, '2026-12-01'],
            ['po_line:2', 1, '2026-12-08'],
          ],
          0,
        ],
        [13, [['po_line:2', 2, '2026-12-08']], 0],
        [14, [['po_line:2', 1, '2026-12-08']], 1],
      ],
    );
    assert.deepEqual(
      plan.map((r) => r.promise.promisedDate),
      ['2026-12-02', '2026-12-09', '2026-12-09', null],
    );
  });

  it('answers in queue order, whatever the line ids', () => {
    const queue = [queued(30, 1), queued(10, 1), queued(20, 1)];
    const plan = replanQueue(queue, [po(1, '2026-12-01', 2)], queueRules(), TODAY);
    assert.deepEqual(
      plan.map((r) => [r.lineId, r.promise.unpromised]),
      [
        [30, 0],
        [10, 0],
        [20, 1],
      ],
    );
  });

  it("ignores supply at locations outside a line's channel", () => {
    const supply = [
      po(1, '2026-12-01', 5, 'confirmed', 'S1'),
      po(2, '2026-12-10', 5, 'confirmed', 'W1'),
      transfer(1, '2026-11-25', 5, 'confirmed', 'W2'),
    ];
    const queue = [
      queued(1, 2, { locations: ['W1'] }),
      queued(2, 2, { locations: ['S1'] }),
      queued(3, 12, { locations: ['W1', 'S1'] }),
    ];
    const plan = replanQueue(queue, supply, queueRules(), TODAY);
    assert.deepEqual(brief(plan[0]!.promise.pegs), [['po_line:2', 2, '2026-12-10']]);
    assert.deepEqual(brief(plan[1]!.promise.pegs), [['po_line:1', 2, '2026-12-01']]);
    // Line 3 serves both: what lines 1 and 2 left at S1 and W1, never the W2 transfer.
    assert.deepEqual(brief(plan[2]!.promise.pegs), [
      ['po_line:1', 3, '2026-12-01'],
      ['po_line:2', 3, '2026-12-10'],
    ]);
    assert.equal(plan[2]!.promise.unpromised, 6);
  });

  it('a line with no locations gets no supply', () => {
    const plan = replanQueue(
      [queued(1, 1, { locations: [] })],
      [po(1, '2026-12-01', 5)],
      queueRules(),
      TODAY,
    );
    assert.deepEqual(plan[0]!.promise.pegs, []);
    assert.equal(plan[0]!.promise.unpromised, 1);
  });

  it('re-plans to the same answer when nothing moved: nothing changed', () => {
    const supply = [po(1, '2026-12-01', 2), po(2, '2026-12-08', 2, 'estimated')];
    const queue = [queued(1, 2), queued(2, 2), queued(3, 3)];
    const first = replanQueue(queue, supply, queueRules({ policy: 'lead_time' }), TODAY);
    assert.deepEqual(
      first.map((r) => r.changed),
      [true, true, true],
      'new lines had no promise before',
    );
    const again = replanQueue(
      carry(queue, first),
      supply,
      queueRules({ policy: 'lead_time' }),
      '2026-11-23',
    );
    assert.deepEqual(
      again.map((r) => r.changed),
      [false, false, false],
    );
    assert.deepEqual(
      again.map((r) => r.promise),
      first.map((r) => r.promise),
      'a later day keeps the lead-time date it promised',
    );
  });

  it('re-pegs after a slip: queue order kept, only lines whose date moved are changed', () => {
    const before = [
      po(1, '2026-12-01', 2),
      po(2, '2026-12-05', 2),
      transfer(1, '2026-12-03', 1, 'confirmed', 'S1'),
    ];
    const queue = [
      queued(1, 2),
      queued(2, 2),
      queued(3, 1, { locations: ['S1'] }),
      queued(4, 1), // unpromised before and after
    ];
    const first = replanQueue(queue, before, queueRules(), TODAY);
    assert.deepEqual(
      first.map((r) => r.promise.promisedDate),
      ['2026-12-02', '2026-12-06', '2026-12-04', null],
    );

    // PO line 1 slips past PO line 2.
    const after = [{ ...before[0]!, expectedDate: '2026-12-10' }, before[1]!, before[2]!];
    const second = replanQueue(carry(queue, first), after, queueRules(), TODAY);
    assert.deepEqual(
      second.map((r) => r.lineId),
      [1, 2, 3, 4],
    );
    assert.deepEqual(
      brief(second[0]!.promise.pegs),
      [['po_line:2', 2, '2026-12-05']],
      'the earliest line still gets the earliest supply',
    );
    assert.deepEqual(brief(second[1]!.promise.pegs), [['po_line:1', 2, '2026-12-10']]);
    assert.deepEqual(
      second.map((r) => [r.lineId, r.promise.promisedDate, r.changed]),
      [
        [1, '2026-12-06', true],
        [2, '2026-12-11', true],
        [3, '2026-12-04', false],
        [4, null, false],
      ],
    );
  });

  it('a slip that leaves a line on the same date does not flag it', () => {
    // Line 1 is pegged to PO 1 only; PO 2 (line 2's) slips.
    const before = [po(1, '2026-12-01', 2), po(2, '2026-12-05', 2)];
    const queue = [queued(1, 2), queued(2, 2)];
    const first = replanQueue(queue, before, queueRules(), TODAY);
    const after = [before[0]!, { ...before[1]!, expectedDate: '2026-12-07' }];
    const second = replanQueue(carry(queue, first), after, queueRules(), TODAY);
    assert.deepEqual(
      second.map((r) => [r.promise.promisedDate, r.changed]),
      [
        ['2026-12-02', false],
        ['2026-12-08', true],
      ],
    );
  });

  it('flags a confidence change on the same date', () => {
    const queue = [queued(1, 1), queued(2, 1, { locations: ['S1'] })];
    const before = [po(1, '2026-12-01', 1), po(2, '2026-12-01', 1, 'confirmed', 'S1')];
    const first = replanQueue(queue, before, queueRules(), TODAY);
    const after = [{ ...before[0]!, confidence: 'estimated' as const }, before[1]!];
    const second = replanQueue(carry(queue, first), after, queueRules(), TODAY);
    assert.deepEqual(
      second.map((r) => [r.promise.promisedDate, r.promise.confidence, r.changed]),
      [
        ['2026-12-02', 'estimated', true],
        ['2026-12-02', 'confirmed', false],
      ],
    );
  });

  it('flags a line that loses its promise when supply is cut', () => {
    const before = [po(1, '2026-12-01', 4)];
    const queue = [queued(1, 2), queued(2, 2)];
    const first = replanQueue(queue, before, queueRules(), TODAY);
    const second = replanQueue(
      carry(queue, first),
      [{ ...before[0]!, open: 3 }],
      queueRules(),
      TODAY,
    );
    assert.deepEqual(
      second.map((r) => [r.promise.promisedDate, r.promise.unpromised, r.changed]),
      [
        ['2026-12-02', 0, false],
        [null, 1, true],
      ],
    );
  });

  it('a pull-in gives the earlier supply to the earliest line', () => {
    const before = [po(1, '2026-12-01', 2), po(2, '2026-12-09', 2)];
    const queue = [queued(1, 2), queued(2, 2)];
    const first = replanQueue(queue, before, queueRules(), TODAY);
    const after = [before[0]!, { ...before[1]!, expectedDate: '2026-11-25' }];
    const second = replanQueue(carry(queue, first), after, queueRules(), TODAY);
    assert.deepEqual(
      second.map((r) => [brief(r.promise.pegs), r.promise.promisedDate, r.changed]),
      [
        [[['po_line:2', 2, '2026-11-25']], '2026-11-26', true],
        [[['po_line:1', 2, '2026-12-01']], '2026-12-02', true],
      ],
    );
  });

  it('a cancelled line releases its supply to the next in line', () => {
    const supply = [po(1, '2026-12-01', 3)];
    const queue = [queued(1, 3), queued(2, 2), queued(3, 1)];
    const first = replanQueue(queue, supply, queueRules(), TODAY);
    assert.deepEqual(
      first.map((r) => [r.promise.unpromised, r.promise.promisedDate]),
      [
        [0, '2026-12-02'],
        [2, null],
        [1, null],
      ],
    );
    // Line 1 is cancelled: it leaves the queue.
    const remaining = carry(queue, first).filter((l) => l.lineId !== 1);
    const second = replanQueue(remaining, supply, queueRules(), TODAY);
    assert.deepEqual(
      second.map((r) => [r.lineId, brief(r.promise.pegs), r.promise.promisedDate, r.changed]),
      [
        [2, [['po_line:1', 2, '2026-12-01']], '2026-12-02', true],
        [3, [['po_line:1', 1, '2026-12-01']], '2026-12-02', true],
      ],
    );
  });

  it('a cancelled line releases only what it held; later lines keep their order', () => {
    const supply = [po(1, '2026-12-01', 2), po(2, '2026-12-08', 2)];
    const queue = [queued(1, 2), queued(2, 2), queued(3, 2)];
    const first = replanQueue(queue, supply, queueRules(), TODAY);
    const remaining = carry(queue, first).filter((l) => l.lineId !== 1);
    const second = replanQueue(remaining, supply, queueRules(), TODAY);
    assert.deepEqual(
      second.map((r) => [r.lineId, brief(r.promise.pegs), r.changed]),
      [
        [2, [['po_line:1', 2, '2026-12-01']], true],
        [3, [['po_line:2', 2, '2026-12-08']], true],
      ],
    );
  });

  it('shares the lead-time cap across the queue', () => {
    const queue = [queued(1, 3), queued(2, 4), queued(3, 1)];
    const plan = replanQueue(
      queue,
      [po(1, '2026-12-01', 1)],
      queueRules({ policy: 'lead_time', backorderCap: 5 }),
      TODAY,
    );
    assert.deepEqual(
      plan.map((r) => [brief(r.promise.pegs), r.promise.unpromised, r.promise.promisedDate]),
      [
        [
          [
            ['po_line:1', 1, '2026-12-01'],
            ['lead_time', 2, '2026-12-04'],
          ],
          0,
          '2026-12-05',
        ],
        [[['lead_time', 3, '2026-12-04']], 1, null],
        [[], 1, null],
      ],
    );
  });

  it('frees lead-time room for the next line when an earlier one is cancelled', () => {
    const rulesCap = queueRules({ policy: 'lead_time', backorderCap: 3 });
    const queue = [queued(1, 3), queued(2, 2)];
    const first = replanQueue(queue, [], rulesCap, TODAY);
    assert.equal(first[1]!.promise.unpromised, 2);
    const second = replanQueue(
      carry(queue, first).filter((l) => l.lineId !== 1),
      [],
      rulesCap,
      TODAY,
    );
    assert.deepEqual(brief(second[0]!.promise.pegs), [['lead_time', 2, '2026-12-04']]);
    assert.equal(second[0]!.changed, true);
  });

  it("keeps each line's own earlier lead-time date", () => {
    const queue = [
      queued(1, 2, { leadTimeDate: '2026-11-30', promisedDate: '2026-12-01' }),
      queued(2, 2),
    ];
    const plan = replanQueue(queue, [], queueRules({ policy: 'lead_time' }), TODAY);
    assert.deepEqual(
      plan.map((r) => [brief(r.promise.pegs), r.promise.promisedDate]),
      [
        [[['lead_time', 2, '2026-11-30']], '2026-12-01'],
        [[['lead_time', 2, '2026-12-04']], '2026-12-05'],
      ],
    );
  });

  it('gives each line its own release date', () => {
    const queue = [
      queued(1, 1, { releaseDate: '2026-12-20' }),
      queued(2, 1),
      queued(3, 1, { releaseDate: '2026-11-01' }),
    ];
    const plan = replanQueue(queue, [po(1, '2026-12-01', 3)], queueRules(), TODAY);
    assert.deepEqual(
      plan.map((r) => r.promise.promisedDate),
      ['2026-12-20', '2026-12-02', '2026-12-02'],
    );
  });

  it('under policy none, only preorder lines are promised', () => {
    const queue = [queued(1, 1), queued(2, 1, { releaseDate: '2026-12-20' }), queued(3, 1)];
    const plan = replanQueue(
      queue,
      [po(1, '2026-12-01', 3)],
      queueRules({ policy: 'none' }),
      TODAY,
    );
    assert.deepEqual(
      plan.map((r) => [r.promise.pegs.length, r.promise.unpromised, r.promise.promisedDate]),
      [
        [0, 1, null],
        [1, 0, '2026-12-20'],
        [0, 1, null],
      ],
    );
  });

  it('carries nothing over between calls', () => {
    const supply = [po(1, '2026-12-01', 2)];
    const queue = [queued(1, 2)];
    const a = replanQueue(queue, supply, queueRules(), TODAY);
    const b = replanQueue(queue, supply, queueRules(), TODAY);
    assert.deepEqual(a, b);
    assert.equal(b[0]!.promise.unpromised, 0);
  });

  it('an empty queue plans nothing', () => {
    assert.deepEqual(replanQueue([], [po(1, '2026-12-01', 2)], queueRules(), TODAY), []);
  });
});

describe('replanQueue property', () => {
  const LOCATIONS = ['W1', 'W2', 'S1'] as const;
  const dateArb = fc.integer({ min: -5, max: 40 }).map((d) => addDays(TODAY, d));
  const supplyArb: fc.Arbitrary<SupplyLine[]> = fc
    .uniqueArray(
      fc.record({
        id: fc.integer({ min: 1, max: 20 }),
        transfer: fc.boolean(),
        location: fc.constantFrom(...LOCATIONS),
        date: dateArb,
        confidence: fc.constantFrom<Confidence>('confirmed', 'estimated'),
        open: fc.nat(10),
      }),
      { selector: (s) => `${s.transfer}:${s.id}`, maxLength: 8 },
    )
    .map((lines) =>
      lines.map((s) =>
        s.transfer
          ? transfer(s.id, s.date, s.open, s.confidence, s.location)
          : po(s.id, s.date, s.open, s.confidence, s.location),
      ),
    );
  const queueArb: fc.Arbitrary<QueuedLine[]> = fc
    .array(
      fc.record({
        waiting: fc.nat(12),
        locations: fc.subarray([...LOCATIONS]),
        releaseDate: fc.option(dateArb, { nil: null }),
        leadTimeDate: fc.option(dateArb, { nil: null }),
      }),
      { maxLength: 8 },
    )
    .map((lines) =>
      lines.map((l, i) =>
        queued(i + 1, l.waiting, {
          locations: l.locations,
          releaseDate: l.releaseDate,
          leadTimeDate: l.leadTimeDate,
        }),
      ),
    );
  const rulesArb = fc.record({
    policy: fc.constantFrom<PromiseRules['policy']>('none', 'incoming', 'lead_time'),
    handlingDays: fc.nat(5),
    backorderCap: fc.option(fc.nat(15), { nil: null }),
    leadTimeDays: fc.option(fc.nat(30), { nil: null }),
  });

  it('never over-pegs supply, accounts for every waiting unit, and respects the cap', () => {
    fc.assert(
      fc.property(queueArb, supplyArb, rulesArb, (queue, supply, r) => {
        const qRules = queueRules(r);
        const plan = replanQueue(queue, supply, qRules, TODAY);
        assert.deepEqual(
          plan.map((p) => p.lineId),
          queue.map((l) => l.lineId),
        );
        const bySupply = new Map(supply.map((s) => [supplyKey(s.source), s]));
        const pegged = new Map<string, number>();
        let leadTime = 0;
        plan.forEach((p, i) => {
          const line = queue[i]!;
          const promise: LinePromise = p.promise;
          assert.ok(promise.unpromised >= 0);
          const total = promise.pegs.reduce((sum, peg) => sum + peg.quantity, 0);
          assert.equal(total + promise.unpromised, line.waiting, 'pegs + unpromised = waiting');
          for (const peg of promise.pegs) {
            assert.ok(peg.quantity > 0, 'no empty peg');
            if (peg.kind === 'lead_time') {
              assert.equal(r.policy, 'lead_time');
              assert.notEqual(r.leadTimeDays, null);
              leadTime += peg.quantity;
            } else {
              const key = supplyKey(peg.source);
              const source = bySupply.get(key);
              assert.ok(source, 'pegged to supply that exists');
              assert.ok(line.locations.includes(source.location), "within the line's channel");
              assert.equal(peg.expectedDate, source.expectedDate);
              pegged.set(key, (pegged.get(key) ?? 0) + peg.quantity);
            }
          }
          if (r.policy === 'none' && line.releaseDate === null) {
            assert.deepEqual(promise.pegs, []);
          }
          // Greedy, first come first served: a line left short found every supply it may
          // use taken by itself or earlier lines, and (under lead time) the cap reached.
          if (promise.unpromised > 0) {
            if (r.policy !== 'none' || line.releaseDate !== null) {
              for (const s of supply) {
                if (!line.locations.includes(s.location)) continue;
                assert.ok((pegged.get(supplyKey(s.source)) ?? 0) >= s.open, 'supply left over');
              }
            }
            if (r.policy === 'lead_time' && r.leadTimeDays !== null) {
              assert.equal(leadTime, r.backorderCap, 'lead-time room left over');
            }
          }
          assert.equal(
            promise.promisedDate === null,
            promise.unpromised > 0 || line.waiting === 0,
            'a date exactly when every unit is promised',
          );
          assert.equal(p.changed, promise.promisedDate !== null, 'new lines had no promise');
        });
        for (const [key, quantity] of pegged) {
          assert.ok(quantity <= bySupply.get(key)!.open, `${key} pegged beyond its open quantity`);
        }
        if (r.backorderCap !== null) {
          assert.ok(leadTime <= r.backorderCap, 'lead-time units within the cap');
        }
      }),
      { numRuns: 500 },
    );
  });
});
