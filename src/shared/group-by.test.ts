import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupBy } from './group-by.js';

describe('groupBy', () => {
  it('groups by key, keeping first-seen key order and each group in input order', () => {
    const groups = groupBy(['b1', 'a1', 'b2', 'c1', 'a2'], (s) => s[0]!);
    assert.deepEqual(
      [...groups],
      [
        ['b', ['b1', 'b2']],
        ['a', ['a1', 'a2']],
        ['c', ['c1']],
      ],
    );
  });

  it('has no groups for no values', () => {
    assert.equal(groupBy([], String).size, 0);
  });
});
