import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IdGaps } from './id-gaps.js';

describe('IdGaps', () => {
  it('remembers the ids skipped before and between the rows read', () => {
    const gaps = new IdGaps(10_000);
    gaps.noteRead(3, [5, 6, 9], 0);
    assert.deepEqual(gaps.pending(), [4, 7, 8]);
    gaps.noteRead(9, [10, 11], 0);
    assert.deepEqual(gaps.pending(), [4, 7, 8]);
  });

  it('forgets an id once found', () => {
    const gaps = new IdGaps(10_000);
    gaps.noteRead(0, [3], 0);
    gaps.delete(1);
    assert.equal(gaps.has(1), false);
    assert.deepEqual(gaps.pending(), [2]);
  });

  it('lets ids go after the window, returning them', () => {
    const gaps = new IdGaps(1_000);
    gaps.noteRead(0, [2], 0);
    gaps.noteRead(2, [4], 500);
    assert.deepEqual(gaps.expire(999), []);
    assert.deepEqual(gaps.expire(1_000), [1]);
    assert.deepEqual(gaps.pending(), [3]);
    assert.deepEqual(gaps.expire(1_500), [3]);
    assert.equal(gaps.size, 0);
  });

  it('keeps at most `max` ids, the newest', () => {
    const gaps = new IdGaps(1_000, 3);
    gaps.noteRead(0, [1_000_000], 0);
    assert.deepEqual(gaps.pending(), [999_997, 999_998, 999_999]);
    gaps.noteRead(1_000_000, [1_000_002], 0);
    assert.deepEqual(gaps.pending(), [999_998, 999_999, 1_000_001]);
  });
});
