import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { abcClasses, DEFAULT_SERVICE_LEVELS, serviceLevelFor } from './service-level.js';

describe('serviceLevelFor', () => {
  it('the item’s own target wins; else the class default', () => {
    assert.equal(serviceLevelFor({ override: 0.97, abcClass: 'C' }), 0.97);
    assert.equal(serviceLevelFor({ override: null, abcClass: 'A' }), 0.98);
    assert.equal(serviceLevelFor({ override: null, abcClass: 'B' }), 0.95);
    assert.equal(serviceLevelFor({ override: null, abcClass: 'C' }), 0.9);
    assert.deepEqual(DEFAULT_SERVICE_LEVELS, { A: 0.98, B: 0.95, C: 0.9 });
  });
});

describe('abcClasses', () => {
  it('A up to 80% of the value, B the next 15%, C the rest', () => {
    // total 100; above each: a 0, b 50, c 80, d 90, e 96
    const classes = abcClasses(
      new Map([
        ['e', 4],
        ['c', 10],
        ['a', 50],
        ['d', 6],
        ['b', 30],
      ]),
    );
    assert.deepEqual(Object.fromEntries(classes), { a: 'A', b: 'A', c: 'B', d: 'B', e: 'C' });
  });

  it('the key that crosses a boundary stays in the higher class', () => {
    // above: x 0, y 70 (< 80, so A), z 90 (< 95, B)
    const classes = abcClasses(
      new Map([
        ['x', 70],
        ['y', 20],
        ['z', 10],
      ]),
    );
    assert.deepEqual(Object.fromEntries(classes), { x: 'A', y: 'A', z: 'B' });
  });

  it('keys with no value are C; equal values rank by key; nothing at all is empty', () => {
    const classes = abcClasses(
      new Map([
        [2, 10],
        [1, 10],
        [3, 0],
      ]),
    );
    // 1 first (above 0 → A), 2 next (above 10 of 20 → A), 3 has nothing → C
    assert.deepEqual([...classes.entries()].sort(), [
      [1, 'A'],
      [2, 'A'],
      [3, 'C'],
    ]);
    assert.equal(abcClasses(new Map()).size, 0);
  });
});
