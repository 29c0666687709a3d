import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AvailabilityState } from './availability.js';
import {
  type ChannelPicture,
  decideTransition,
  isLowStock,
  isPhysicallyAvailable,
  type LowStockRule,
  nextWaveAt,
  type Transition,
  waveSize,
} from './notify-waves.js';

const at = (state: AvailabilityState, available: number): ChannelPicture => ({ state, available });
const active: LowStockRule = { threshold: 2, active: true, released: true };

describe('isPhysicallyAvailable', () => {
  const table: [string, ChannelPicture, boolean][] = [
    ['in stock', at('in_stock', 5), true],
    ['low stock', at('low_stock', 1), true],
    ['backorder: purchasable, nothing on the shelf', at('backorder', 0), false],
    ['preorder with units held for the release', at('preorder', 4), false],
    ['out of stock', at('out_of_stock', 0), false],
    ['unreleased, not sold as a preorder, units in the back', at('out_of_stock', 3), false],
    ['discontinued and sold out', at('discontinued', 0), false],
    ['a sellable state with no units (never decided, but never true)', at('in_stock', 0), false],
  ];
  for (const [name, picture, expected] of table) {
    it(`${name}: ${expected}`, () => assert.equal(isPhysicallyAvailable(picture), expected));
  }
});

describe('waveSize', () => {
  const table: [number, number, number][] = [
    // available, multiple, size
    [0, 1, 0],
    [-3, 2, 0],
    [1, 1, 1],
    [2, 1, 2],
    [2, 2, 4],
    [3, 1.5, 4],
    [1, 0.5, 1],
    [5, 0.5, 2],
    [7, 0, 1],
    [10, 3, 30],
  ];
  for (const [available, multiple, size] of table) {
    it(`${available} back × ${multiple} → ${size}`, () =>
      assert.equal(waveSize(available, multiple), size));
  }
});

describe('isLowStock', () => {
  const table: [string, ChannelPicture, LowStockRule, boolean][] = [
    ['above the threshold', at('in_stock', 3), active, false],
    ['at the threshold', at('low_stock', 2), active, true],
    ['below it', at('low_stock', 1), active, true],
    ['none left, backorders possible', at('backorder', 0), active, true],
    [
      'none left with a threshold of 0',
      at('out_of_stock', 0),
      { threshold: 0, active: true, released: true },
      true,
    ],
    [
      'one left with a threshold of 0',
      at('low_stock', 1),
      { threshold: 0, active: true, released: true },
      false,
    ],
    [
      'a discontinued item',
      at('discontinued', 0),
      { threshold: 2, active: false, released: true },
      false,
    ],
    [
      'before its release date',
      at('out_of_stock', 0),
      { threshold: 2, active: true, released: false },
      false,
    ],
    ['a preorder', at('preorder', 0), active, false],
    [
      'selling through a discontinued item',
      at('low_stock', 1),
      { threshold: 2, active: false, released: true },
      false,
    ],
  ];
  for (const [name, picture, rule, expected] of table) {
    it(`${name}: ${expected}`, () => assert.equal(isLowStock(picture, rule), expected));
  }
});

describe('decideTransition', () => {
  const none: Transition = { changed: false, backInStock: false, low: false, recovered: false };
  const table: [
    string,
    ChannelPicture | null,
    ChannelPicture,
    LowStockRule,
    boolean,
    Partial<Transition>,
  ][] = [
    // name, previous, current, rule, low alert open, what differs from `none`
    ['first sight, plenty', null, at('in_stock', 9), active, false, {}],
    ['first sight, low', null, at('low_stock', 1), active, false, { low: true }],
    ['first sight, low, alert already open', null, at('low_stock', 1), active, true, {}],
    ['nothing moved', at('in_stock', 9), at('in_stock', 9), active, false, {}],
    [
      'fewer units, still plenty',
      at('in_stock', 9),
      at('in_stock', 5),
      active,
      false,
      { changed: true },
    ],
    [
      'out of stock → in stock',
      at('out_of_stock', 0),
      at('in_stock', 5),
      active,
      true,
      {
        changed: true,
        backInStock: true,
        recovered: true,
      },
    ],
    [
      'backorder → low stock',
      at('backorder', 0),
      at('low_stock', 2),
      active,
      true,
      {
        changed: true,
        backInStock: true,
      },
    ],
    [
      'out of stock → backorder: purchasable, not back in stock',
      at('out_of_stock', 0),
      at('backorder', 0),
      active,
      true,
      {
        changed: true,
      },
    ],
    [
      'out of stock → preorder with units held',
      at('out_of_stock', 0),
      at('preorder', 5),
      active,
      true,
      {
        changed: true,
        recovered: true,
      },
    ],
    [
      'preorder → in stock on release',
      at('preorder', 5),
      at('in_stock', 5),
      active,
      false,
      {
        changed: true,
        backInStock: true,
      },
    ],
    [
      'low → more units, still low',
      at('low_stock', 2),
      at('low_stock', 1),
      active,
      true,
      {
        changed: true,
      },
    ],
    [
      'in stock → low: entering',
      at('in_stock', 3),
      at('low_stock', 2),
      active,
      false,
      {
        changed: true,
        low: true,
      },
    ],
    [
      'in stock → sold out: entering',
      at('in_stock', 3),
      at('backorder', 0),
      active,
      false,
      {
        changed: true,
        low: true,
      },
    ],
    [
      'low → in stock: recovered',
      at('low_stock', 1),
      at('in_stock', 10),
      active,
      true,
      {
        changed: true,
        recovered: true,
      },
    ],
    [
      'low → discontinued: resolved, nobody reorders it',
      at('low_stock', 1),
      at('discontinued', 0),
      { threshold: 2, active: false, released: true },
      true,
      {
        changed: true,
        recovered: true,
      },
    ],
    [
      'low, but the alert was closed by hand: raised again',
      at('low_stock', 2),
      at('low_stock', 1),
      active,
      false,
      {
        changed: true,
        low: true,
      },
    ],
    [
      'threshold raised over the shelf: in_stock → low_stock at the same units',
      at('in_stock', 3),
      at('low_stock', 3),
      { threshold: 5, active: true, released: true },
      false,
      {
        changed: true,
        low: true,
      },
    ],
  ];
  for (const [name, previous, current, rule, open, differs] of table) {
    it(name, () => {
      assert.deepEqual(decideTransition(previous, current, rule, open), { ...none, ...differs });
    });
  }
});

describe('nextWaveAt', () => {
  it('is the delay later while people wait', () => {
    assert.equal(nextWaveAt('2026-11-26T10:00:00.000Z', 60, true), '2026-11-26T11:00:00.000Z');
    assert.equal(nextWaveAt('2026-11-26T23:30:00.000Z', 45, true), '2026-11-27T00:15:00.000Z');
  });
  it('is never when nobody waits', () => {
    assert.equal(nextWaveAt('2026-11-26T10:00:00.000Z', 60, false), null);
  });
});
