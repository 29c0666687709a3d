import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AlternativeItem,
  compareLinks,
  type LinkedItem,
  priceBandCents,
  rankAlternatives,
  sharedTags,
  withinPriceBand,
} from './alternatives.js';

let nextId = 100;
function item(sku: string, overrides: Partial<AlternativeItem> = {}): AlternativeItem {
  return {
    id: nextId++,
    sku,
    category: 'kitchen',
    priceCents: 4000,
    tags: ['electric', 'kettle'],
    ...overrides,
  };
}

const kettle = item('KET-01', { id: 1 });

function link(
  linked: AlternativeItem,
  kind: LinkedItem<AlternativeItem>['kind'],
  createdAt = '2026-11-26T10:00:00.000Z',
): LinkedItem<AlternativeItem> {
  return { item: linked, kind, createdAt };
}

const ranked = (
  links: readonly LinkedItem<AlternativeItem>[],
  candidates: readonly AlternativeItem[],
  subject: AlternativeItem = kettle,
) =>
  rankAlternatives({ item: subject, links, candidates }).map(
    (r) => `${r.item.sku}:${r.reason}:${r.sharedTags.join('+')}`,
  );

describe('withinPriceBand and priceBandCents', () => {
  const table: [string, number, number, boolean][] = [
    ['the same price', 4000, 4000, true],
    ['exactly 30% above', 4000, 5200, true],
    ['one cent more than 30% above', 4000, 5201, false],
    ['exactly 30% below', 4000, 2800, true],
    ['one cent more than 30% below', 4000, 2799, false],
    ['a free item against a free item', 0, 0, true],
    ['anything priced against a free item', 0, 1, false],
    ['an odd price: 30% of 3.33 is 0.999', 333, 432, true],
    ['an odd price, just outside', 333, 433, false],
  ];
  for (const [name, itemCents, candidateCents, expected] of table) {
    it(`${name}: ${expected}`, () => {
      assert.equal(withinPriceBand(itemCents, candidateCents), expected);
      const { min, max } = priceBandCents(itemCents);
      assert.equal(candidateCents >= min && candidateCents <= max, expected, `${min}..${max}`);
    });
  }
});

describe('sharedTags', () => {
  it('is the sorted intersection, each tag once', () => {
    assert.deepEqual(sharedTags(['b', 'a', 'c'], ['c', 'x', 'a', 'a']), ['a', 'c']);
    assert.deepEqual(sharedTags([], ['a']), []);
    assert.deepEqual(sharedTags(['a'], []), []);
  });
});

describe('compareLinks', () => {
  it('puts replacements before substitutes, then earlier links, then SKU', () => {
    const links = [
      { kind: 'substitute' as const, createdAt: '2026-01-01T00:00:00.000Z', sku: 'A' },
      { kind: 'replacement' as const, createdAt: '2026-01-03T00:00:00.000Z', sku: 'B' },
      { kind: 'replacement' as const, createdAt: '2026-01-02T00:00:00.000Z', sku: 'C' },
      { kind: 'substitute' as const, createdAt: '2026-01-01T00:00:00.000Z', sku: 'D' },
    ].sort(compareLinks);
    assert.deepEqual(
      links.map((l) => l.sku),
      ['C', 'B', 'A', 'D'],
    );
  });
});

describe('rankAlternatives', () => {
  it('offers nothing when there are no links and no candidates', () => {
    assert.deepEqual(ranked([], []), []);
  });

  it('puts linked items first: replacements, then substitutes, each in link order', () => {
    const sub1 = item('SUB-1', { category: 'other', priceCents: 99_999, tags: [] });
    const sub2 = item('SUB-2');
    const rep = item('REP-1', { tags: ['kettle'] });
    const similar = item('SIM-1');
    assert.deepEqual(
      ranked(
        [
          link(sub2, 'substitute', '2026-11-26T10:00:02.000Z'),
          link(sub1, 'substitute', '2026-11-26T10:00:01.000Z'),
          link(rep, 'replacement', '2026-11-26T10:00:03.000Z'),
        ],
        [similar],
      ),
      [
        'REP-1:replacement:kettle',
        'SUB-1:substitute:',
        'SUB-2:substitute:electric+kettle',
        'SIM-1:similar:electric+kettle',
      ],
    );
  });

  it('ignores category, tags and price for linked items', () => {
    const far = item('FAR', { category: 'garden', priceCents: 1, tags: ['spade'] });
    assert.deepEqual(ranked([link(far, 'substitute')], []), ['FAR:substitute:']);
  });

  it('ranks similar items by shared tags, then price distance, then SKU', () => {
    const candidates = [
      item('ONE-FAR', { tags: ['electric'], priceCents: 5000 }),
      item('ONE-NEAR', { tags: ['kettle'], priceCents: 4100 }),
      item('TWO-FAR', { tags: ['kettle', 'electric', 'steel'], priceCents: 3000 }),
      item('TWO-NEAR', { tags: ['electric', 'kettle'], priceCents: 3900 }),
      item('TIE-B', { tags: ['electric'], priceCents: 4500 }),
      item('TIE-A', { tags: ['electric'], priceCents: 3500 }),
    ];
    assert.deepEqual(ranked([], candidates), [
      'TWO-NEAR:similar:electric+kettle',
      'TWO-FAR:similar:electric+kettle',
      'ONE-NEAR:similar:kettle',
      'TIE-A:similar:electric',
      'TIE-B:similar:electric',
      'ONE-FAR:similar:electric',
    ]);
  });

  const excluded: [string, Partial<AlternativeItem>][] = [
    ['another category', { category: 'bathroom' }],
    ['no tag in common', { tags: ['toaster'] }],
    ['no tags at all', { tags: [] }],
    ['a price more than 30% above', { priceCents: 5201 }],
    ['a price more than 30% below', { priceCents: 2799 }],
  ];
  for (const [what, overrides] of excluded) {
    it(`leaves out a candidate with ${what}`, () => {
      assert.deepEqual(ranked([], [item('OUT', overrides), item('IN')]), [
        'IN:similar:electric+kettle',
      ]);
    });
  }

  it('keeps candidates on the edges of the price band', () => {
    assert.deepEqual(
      ranked([], [item('HIGH', { priceCents: 5200 }), item('LOW', { priceCents: 2800 })]),
      ['HIGH:similar:electric+kettle', 'LOW:similar:electric+kettle'],
    );
  });

  it('never offers the item itself, as a link or as a candidate', () => {
    assert.deepEqual(ranked([link(kettle, 'replacement')], [kettle]), []);
  });

  it('offers a linked item once, as linked, even when it is also similar', () => {
    const both = item('BOTH');
    assert.deepEqual(ranked([link(both, 'substitute')], [both, both]), [
      'BOTH:substitute:electric+kettle',
    ]);
  });

  it('finds nothing similar for an item without tags', () => {
    const bare = item('BARE', { tags: [] });
    assert.deepEqual(ranked([], [item('SIM')], bare), []);
  });

  it('carries the caller’s fields through', () => {
    const rich = { ...item('RICH'), name: 'Rich kettle' };
    const [first] = rankAlternatives({ item: kettle, links: [], candidates: [rich] });
    assert.equal(first?.item.name, 'Rich kettle');
  });
});
