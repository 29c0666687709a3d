import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays } from '../shared/dates.js';
import {
  compareQueue,
  type LinePriority,
  type PromisePart,
  partsFilled,
  planFairFill,
  type WaitingHere,
} from './fair-queue.js';
import { type Peg, type PromiseRules, type QueuedLine, replanQueue } from './promising.js';
import { type SupplyLine, supplyKey } from './supply.js';

const TODAY = '2026-11-20';

function po(lineId: number, expectedDate: string, open: number, location = 'W1'): SupplyLine {
  return {
    source: { kind: 'purchase_order', purchaseOrderId: 100 + lineId, lineId, supplier: 'ACME' },
    location,
    expectedDate,
    confidence: 'confirmed',
    open,
  };
}

const rules = (policy: PromiseRules['policy'] = 'incoming'): Omit<PromiseRules, 'releaseDate'> => ({
  policy,
  handlingDays: 1,
  backorderCap: null,
  leadTimeDays: 30,
  supplier: 'ACME',
});

const waitingLine = (
  lineId: number,
  waiting: number,
  priority: LinePriority = 'normal',
): WaitingHere => ({ lineId, waiting, priority });

describe('planFairFill', () => {
  const table: [string, number, WaitingHere[], [number, number][], number][] = [
    [
      'first placed first: each line takes all it waits for before the next',
      6,
      [waitingLine(1, 2), waitingLine(2, 3), waitingLine(3, 4)],
      [
        [1, 2],
        [2, 3],
        [3, 1],
      ],
      0,
    ],
    [
      'the queue is placement order, however the lines were listed',
      3,
      [waitingLine(9, 2), waitingLine(4, 2)],
      [
        [4, 2],
        [9, 1],
      ],
      0,
    ],
    [
      'a line staff put ahead goes first; the others keep their placement order',
      5,
      [waitingLine(1, 2), waitingLine(2, 2), waitingLine(3, 2, 'high')],
      [
        [3, 2],
        [1, 2],
        [2, 1],
      ],
      0,
    ],
    ['too few for the first line: a partial fill', 2, [waitingLine(1, 5)], [[1, 2]], 0],
    [
      'more than the queue waits for: the rest is for sale',
      10,
      [waitingLine(1, 2), waitingLine(2, 3)],
      [
        [1, 2],
        [2, 3],
      ],
      5,
    ],
    ['nobody waiting: all for sale', 4, [], [], 4],
    ['no units: no fills', 0, [waitingLine(1, 2)], [], 0],
    [
      'lines waiting for nothing are skipped',
      2,
      [waitingLine(1, 0), waitingLine(2, 1), waitingLine(3, 4)],
      [
        [2, 1],
        [3, 1],
      ],
      0,
    ],
  ];
  for (const [name, units, queue, fills, left] of table) {
    it(name, () => {
      const plan = planFairFill(units, queue);
      assert.deepEqual(
        plan.fills.map((f) => [f.lineId, f.quantity]),
        fills,
      );
      assert.equal(plan.left, left);
      assert.equal(plan.fills.reduce((s, f) => s + f.quantity, 0) + plan.left, units);
    });
  }
});

describe('compareQueue', () => {
  it('orders high before normal, each group by placement', () => {
    const lines = [
      { lineId: 4, priority: 'normal' as const },
      { lineId: 7, priority: 'high' as const },
      { lineId: 1, priority: 'normal' as const },
      { lineId: 2, priority: 'high' as const },
    ];
    assert.deepEqual(
      [...lines].sort(compareQueue).map((l) => l.lineId),
      [2, 7, 1, 4],
    );
  });
});

describe('partsFilled', () => {
  const part = (id: number, supply: string | null, quantity: number, expectedDate: string) =>
    ({ id, supply, quantity, expectedDate }) satisfies PromisePart;
  const parts = [
    part(1, 'po_line:1', 2, '2026-12-01'),
    part(2, null, 1, '2026-12-20'),
    part(3, 'po_line:2', 2, '2026-12-10'),
    part(4, 'po_line:3', 2, '2026-12-05'),
  ];

  const table: [string, number, number, string | null, [number, number][], number][] = [
    [
      "the arriving supply's units first, then unpromised, lead time, latest due",
      8,
      1,
      'po_line:3',
      [
        [4, 2],
        [2, 1],
        [3, 2],
        [1, 2],
      ],
      1,
    ],
    [
      'freed units: unpromised first, then lead time, then the latest-due supply',
      3,
      1,
      null,
      [
        [2, 1],
        [3, 1],
      ],
      1,
    ],
    [
      'a line filled ahead of its own supply gives up the latest-due promise first',
      2,
      0,
      'po_line:9',
      [
        [2, 1],
        [3, 1],
      ],
      0,
    ],
    ['a partial fill on the arriving supply', 1, 1, 'po_line:1', [[1, 1]], 0],
  ];
  for (const [name, quantity, unpromised, arriving, takes, fromUnpromised] of table) {
    it(name, () => {
      const taken = partsFilled(quantity, unpromised, parts, arriving);
      assert.deepEqual(
        taken.takes.map((t) => [t.id, t.take]),
        takes,
      );
      assert.equal(taken.unpromised, fromUnpromised);
    });
  }

  it('refuses to fill more than the line has waiting (a bug, never an input)', () => {
    assert.throws(() => partsFilled(3, 0, [part(1, null, 2, '2026-12-01')], null), /promised 2/);
  });
});

describe('the fair queue, arrivals against promises', () => {
  it('a later purchase order received first serves the customer who ordered first', () => {
    // Customer 1 is pegged to A (due sooner), customer 2 to B (due later).
    const supply = [po(1, '2026-12-01', 5), po(2, '2026-12-15', 5)];
    const queue = [1, 2].map<QueuedLine>((lineId) => ({
      lineId,
      waiting: 5,
      locations: ['W1'],
      releaseDate: null,
      promisedDate: null,
      confidence: null,
      leadTimeDate: null,
    }));
    const before = replanQueue(queue, supply, rules(), TODAY);
    assert.deepEqual(
      before.map((p) => p.promise.promisedDate),
      ['2026-12-02', '2026-12-16'],
    );

    // B arrives in full first: customer 1 takes it all, although pegged to A.
    const fill = planFairFill(5, [waitingLine(1, 5), waitingLine(2, 5)]);
    assert.deepEqual(fill.fills, [{ lineId: 1, quantity: 5 }]);

    // Customer 2 is re-pegged to A, and now gets A's earlier date.
    const after = replanQueue(
      [{ ...queue[1]!, promisedDate: '2026-12-16', confidence: 'confirmed' }],
      [po(1, '2026-12-01', 5)],
      rules(),
      TODAY,
    );
    assert.equal(after[0]!.promise.promisedDate, '2026-12-02');
    assert.equal(after[0]!.changed, true);
  });
});

describe('fair queue property', () => {
  const LOCATIONS = ['W1', 'S1'] as const;
  const dateArb = fc.integer({ min: 1, max: 40 }).map((d) => addDays(TODAY, d));
  const worldArb = fc.record({
    supply: fc.array(
      fc.record({
        location: fc.constantFrom(...LOCATIONS),
        date: dateArb,
        open: fc.integer({ min: 1, max: 8 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    lines: fc.array(
      fc.record({
        waiting: fc.integer({ min: 1, max: 6 }),
        locations: fc.subarray([...LOCATIONS], { minLength: 1 }),
        priority: fc.constantFrom<LinePriority>('normal', 'normal', 'normal', 'high'),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    // Any arrival order, some partial; `found` arrivals are units not tied to a supply.
    arrivals: fc.array(
      fc.record({
        pick: fc.nat(40),
        found: fc.boolean(),
        location: fc.constantFrom(...LOCATIONS),
        units: fc.integer({ min: 1, max: 8 }),
      }),
      { minLength: 1, maxLength: 12 },
    ),
    policy: fc.constantFrom<PromiseRules['policy']>('incoming', 'lead_time'),
  });

  // With no priorities set, "ahead in the queue" is "placed earlier".
  it('nobody behind in the queue is filled while somebody ahead waits at the same place', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const supply = world.supply.map((s, i) => po(i + 1, s.date, s.open, s.location));
        const open = new Map(supply.map((s) => [supplyKey(s.source), s.open]));
        const lines = world.lines.map((l, i) => ({ lineId: i + 1, ...l }));
        const waiting = new Map(lines.map((l) => [l.lineId, l.waiting]));
        let pegs = new Map<number, { pegs: Peg[]; unpromised: number }>();

        const replan = () => {
          const queue: QueuedLine[] = lines
            .filter((l) => waiting.get(l.lineId)! > 0)
            .sort(compareQueue)
            .map((l) => ({
              lineId: l.lineId,
              waiting: waiting.get(l.lineId)!,
              locations: l.locations,
              releaseDate: null,
              promisedDate: null,
              confidence: null,
              leadTimeDate: null,
            }));
          const current = supply.map((s) => ({ ...s, open: open.get(supplyKey(s.source))! }));
          const plan = replanQueue(queue, current, rules(world.policy), TODAY);
          pegs = new Map(plan.map((p) => [p.lineId, p.promise]));
          const held = new Map<string, number>();
          for (const p of plan) {
            for (const peg of p.promise.pegs) {
              if (peg.kind !== 'supply') continue;
              const key = supplyKey(peg.source);
              held.set(key, (held.get(key) ?? 0) + peg.quantity);
            }
          }
          for (const [key, quantity] of held) {
            assert.ok(quantity <= open.get(key)!, `${key} pegged beyond what it still brings`);
          }
        };

        replan();
        for (const arrival of world.arrivals) {
          let key: string | null = null;
          let location: string = arrival.location;
          let units = arrival.units;
          if (!arrival.found) {
            const source = supply[arrival.pick % supply.length]!;
            key = supplyKey(source.source);
            location = source.location;
            units = Math.min(units, open.get(key)!);
            if (units === 0) continue;
            open.set(key, open.get(key)! - units);
          }
          const served = (l: (typeof lines)[number]) =>
            (l.locations as readonly string[]).includes(location);
          const here = lines.filter(
            (l) =>
              waiting.get(l.lineId)! > 0 &&
              (served(l) ||
                (pegs.get(l.lineId)?.pegs ?? []).some(
                  (p) => p.kind === 'supply' && supplyKey(p.source) === key,
                )),
          );
          const plan = planFairFill(
            units,
            here.map((l) => ({
              lineId: l.lineId,
              priority: l.priority,
              waiting: waiting.get(l.lineId)!,
            })),
          );
          assert.equal(plan.fills.reduce((s, f) => s + f.quantity, 0) + plan.left, units);
          for (const fill of plan.fills) {
            const promise = pegs.get(fill.lineId)!;
            const parts = promise.pegs.map((p, i) => ({
              id: i,
              supply: p.kind === 'supply' ? supplyKey(p.source) : null,
              quantity: p.quantity,
              expectedDate: p.expectedDate,
            }));
            const taken = partsFilled(fill.quantity, promise.unpromised, parts, key);
            const settled = taken.takes.reduce((s, t) => s + t.take, 0) + taken.unpromised;
            assert.equal(settled, fill.quantity, 'every filled unit settles a promise');
            waiting.set(fill.lineId, waiting.get(fill.lineId)! - fill.quantity);
          }
          for (const fill of plan.fills) {
            for (const earlier of lines) {
              const filled = lines.find((l) => l.lineId === fill.lineId)!;
              if (compareQueue(earlier, filled) >= 0 || !served(earlier)) continue;
              assert.equal(
                waiting.get(earlier.lineId),
                0,
                `line ${fill.lineId} was filled at ${location} while line ${earlier.lineId}, ahead of it, waits there`,
              );
            }
          }
          if (plan.left > 0) {
            for (const l of lines.filter(served)) {
              assert.equal(waiting.get(l.lineId), 0, 'units for sale while a line waits');
            }
          }
          replan();
        }
      }),
      { numRuns: 400 },
    );
  });
});
