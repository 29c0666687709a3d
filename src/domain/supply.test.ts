import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Confidence } from './item-rules.js';
import {
  compareSupply,
  openQuantity,
  type SupplyLine,
  summariseSupply,
  supplyKey,
  walkSupply,
} from './supply.js';

function po(
  lineId: number,
  expectedDate: string,
  open: number,
  confidence: Confidence = 'confirmed',
): SupplyLine {
  return {
    source: { kind: 'purchase_order', purchaseOrderId: 100 + lineId, lineId, supplier: 'ACME' },
    location: 'W1',
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
): SupplyLine {
  return {
    source: { kind: 'transfer', transferId, from: 'S1' },
    location: 'W1',
    expectedDate,
    confidence,
    open,
  };
}

const keys = (lines: readonly SupplyLine[]) => lines.map((l) => supplyKey(l.source));

describe('openQuantity', () => {
  const table: [string, { ordered: number; received: number; cancelled: number }, number][] = [
    ['nothing arrived', { ordered: 10, received: 0, cancelled: 0 }, 10],
    ['part arrived', { ordered: 10, received: 4, cancelled: 0 }, 6],
    ['part cancelled', { ordered: 10, received: 0, cancelled: 3 }, 7],
    ['part arrived, part cancelled', { ordered: 10, received: 4, cancelled: 3 }, 3],
    ['arrived in full', { ordered: 10, received: 10, cancelled: 0 }, 0],
    ['closed short: the remainder cancelled', { ordered: 10, received: 6, cancelled: 4 }, 0],
    [
      'over-received brings nothing more, never less than zero',
      { ordered: 10, received: 12, cancelled: 0 },
      0,
    ],
    ['over-received with a cancelled remainder', { ordered: 10, received: 9, cancelled: 3 }, 0],
  ];
  for (const [name, line, open] of table) {
    it(`${name}: ${open}`, () => {
      assert.equal(openQuantity(line), open);
    });
  }
});

describe('supplyKey', () => {
  it('names purchase-order lines by line and transfers by transfer', () => {
    assert.equal(supplyKey(po(7, '2026-12-01', 1).source), 'po_line:7');
    assert.equal(supplyKey(transfer(7, '2026-12-01', 1).source), 'transfer:7');
  });
});

describe('compareSupply and summariseSupply', () => {
  it('orders by expected date first, whatever the kind or confidence', () => {
    const lines = [
      transfer(1, '2026-12-05', 1),
      po(2, '2026-12-01', 1, 'estimated'),
      po(1, '2026-12-03', 1),
    ];
    assert.deepEqual(keys(summariseSupply(lines).lines), ['po_line:2', 'po_line:1', 'transfer:1']);
  });

  it('on the same day puts confirmed before estimated, even a PO before a transfer', () => {
    const lines = [transfer(1, '2026-12-01', 1, 'estimated'), po(9, '2026-12-01', 1, 'confirmed')];
    assert.deepEqual(keys(summariseSupply(lines).lines), ['po_line:9', 'transfer:1']);
    assert.ok(compareSupply(lines[1]!, lines[0]!) < 0);
  });

  it('on the same day and confidence puts transfers before purchase orders', () => {
    const lines = [po(1, '2026-12-01', 1), transfer(50, '2026-12-01', 1)];
    assert.deepEqual(keys(summariseSupply(lines).lines), ['transfer:50', 'po_line:1']);
  });

  it('then the older document first, within each kind', () => {
    const lines = [
      po(8, '2026-12-01', 1),
      transfer(3, '2026-12-01', 1),
      po(2, '2026-12-01', 1),
      transfer(1, '2026-12-01', 1),
    ];
    assert.deepEqual(keys(summariseSupply(lines).lines), [
      'transfer:1',
      'transfer:3',
      'po_line:2',
      'po_line:8',
    ]);
  });

  it('is a total order: any input order gives the same result', () => {
    const lines = [
      po(4, '2026-12-02', 3, 'estimated'),
      po(3, '2026-12-02', 3),
      transfer(2, '2026-12-02', 3),
      transfer(1, '2026-12-01', 3, 'estimated'),
      po(1, '2026-12-03', 3),
    ];
    const expected = ['transfer:1', 'transfer:2', 'po_line:3', 'po_line:4', 'po_line:1'];
    for (let shift = 0; shift < lines.length; shift++) {
      const rotated = [...lines.slice(shift), ...lines.slice(0, shift)];
      assert.deepEqual(keys(summariseSupply(rotated).lines), expected);
      assert.deepEqual(keys(summariseSupply([...rotated].reverse()).lines), expected);
    }
    assert.equal(compareSupply(lines[0]!, lines[0]!), 0);
  });

  it('drops lines with nothing left, totals the rest, and names the first date', () => {
    const summary = summariseSupply([
      po(1, '2026-11-30', 0),
      po(2, '2026-12-04', 5),
      transfer(1, '2026-12-02', 7),
    ]);
    assert.equal(summary.total, 12);
    assert.equal(summary.nextExpectedDate, '2026-12-02');
    assert.deepEqual(keys(summary.lines), ['transfer:1', 'po_line:2']);
  });

  it('summarises nothing as zero with no date', () => {
    assert.deepEqual(summariseSupply([]), { total: 0, nextExpectedDate: null, lines: [] });
    assert.deepEqual(summariseSupply([po(1, '2026-12-01', 0)]), {
      total: 0,
      nextExpectedDate: null,
      lines: [],
    });
  });

  it('does not reorder the array it was given', () => {
    const lines = [po(2, '2026-12-05', 1), po(1, '2026-12-01', 1)];
    summariseSupply(lines);
    assert.deepEqual(keys(lines), ['po_line:2', 'po_line:1']);
  });
});

describe('walkSupply', () => {
  const lines = [
    po(1, '2026-12-10', 4, 'estimated'),
    transfer(1, '2026-12-01', 3),
    po(2, '2026-12-05', 5),
  ];

  it('takes from one line when it covers the need', () => {
    const walk = walkSupply(lines, 2);
    assert.deepEqual(walk, {
      takes: [
        {
          source: lines[1]!.source,
          quantity: 2,
          expectedDate: '2026-12-01',
          confidence: 'confirmed',
        },
      ],
      shortfall: 0,
      lastDate: '2026-12-01',
      confidence: 'confirmed',
    });
  });

  it('pegs across several lines in promise order, the last one partly', () => {
    const walk = walkSupply(lines, 10);
    assert.deepEqual(
      walk.takes.map((t) => [supplyKey(t.source), t.quantity, t.expectedDate]),
      [
        ['transfer:1', 3, '2026-12-01'],
        ['po_line:2', 5, '2026-12-05'],
        ['po_line:1', 2, '2026-12-10'],
      ],
    );
    assert.equal(walk.shortfall, 0);
    assert.equal(walk.lastDate, '2026-12-10');
    assert.equal(walk.confidence, 'estimated', 'one take rests on an estimate');
  });

  it('stays confirmed when every take is confirmed', () => {
    const walk = walkSupply(lines, 8);
    assert.equal(walk.confidence, 'confirmed');
    assert.equal(walk.lastDate, '2026-12-05');
    assert.equal(walk.takes.length, 2);
  });

  it('skips what earlier claims hold, wholly or in part', () => {
    const held = new Map([
      ['transfer:1', 3],
      ['po_line:2', 4],
    ]);
    const walk = walkSupply(lines, 3, held);
    assert.deepEqual(
      walk.takes.map((t) => [supplyKey(t.source), t.quantity]),
      [
        ['po_line:2', 1],
        ['po_line:1', 2],
      ],
    );
    assert.equal(walk.shortfall, 0);
    assert.equal(walk.lastDate, '2026-12-10');
  });

  it('treats a line held beyond what it brings (it shrank) as having nothing free', () => {
    const walk = walkSupply(lines, 2, new Map([['transfer:1', 9]]));
    assert.deepEqual(
      walk.takes.map((t) => [supplyKey(t.source), t.quantity]),
      [['po_line:2', 2]],
    );
  });

  it('reports the shortfall when supply runs out', () => {
    const walk = walkSupply(lines, 15, new Map([['po_line:1', 1]]));
    assert.deepEqual(
      walk.takes.map((t) => t.quantity),
      [3, 5, 3],
    );
    assert.equal(walk.shortfall, 4);
    assert.equal(walk.lastDate, '2026-12-10');
  });

  it('takes nothing from no supply: all shortfall, no date, no confidence', () => {
    assert.deepEqual(walkSupply([], 5), {
      takes: [],
      shortfall: 5,
      lastDate: null,
      confidence: null,
    });
    const allHeld = new Map([
      ['transfer:1', 3],
      ['po_line:2', 5],
      ['po_line:1', 4],
    ]);
    assert.deepEqual(walkSupply(lines, 1, allHeld), {
      takes: [],
      shortfall: 1,
      lastDate: null,
      confidence: null,
    });
  });

  it('needs nothing for zero', () => {
    assert.deepEqual(walkSupply(lines, 0), {
      takes: [],
      shortfall: 0,
      lastDate: null,
      confidence: null,
    });
  });
});
