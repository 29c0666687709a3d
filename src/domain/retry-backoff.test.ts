import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { afterFailure } from './retry-backoff.js';

const policy = { maxAttempts: 5, baseSeconds: 30, maxSeconds: 300 };

describe('afterFailure', () => {
  it('doubles the delay with each attempt, from the base', () => {
    const delays = [1, 2, 3, 4].map((n) => afterFailure(n, policy, false, 0.5));
    assert.deepEqual(delays, [
      { retry: true, delaySeconds: 30 },
      { retry: true, delaySeconds: 60 },
      { retry: true, delaySeconds: 120 },
      { retry: true, delaySeconds: 240 },
    ]);
  });

  it('never waits longer than the ceiling', () => {
    const wide = { ...policy, maxAttempts: 20 };
    assert.deepEqual(afterFailure(10, wide, false, 0.5), { retry: true, delaySeconds: 300 });
  });

  it('spreads retries by ±20% so failures together do not return together', () => {
    assert.deepEqual(afterFailure(1, policy, false, 0), { retry: true, delaySeconds: 24 });
    const high = afterFailure(1, policy, false, 0.999_999);
    assert.ok(high.retry && high.delaySeconds > 35.99 && high.delaySeconds < 36);
  });

  it('gives up after the last attempt: a dead letter', () => {
    assert.deepEqual(afterFailure(5, policy, false, 0.5), { retry: false });
    assert.deepEqual(afterFailure(6, policy, false, 0.5), { retry: false });
  });

  it('does not retry a permanent failure (a rejected address, a template that cannot render)', () => {
    assert.deepEqual(afterFailure(1, policy, true, 0.5), { retry: false });
  });
});
