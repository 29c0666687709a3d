import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffMs, startJobs } from '../../src/app/jobs/periodic.js';

/**
 * A background job whose database is gone must neither stop nor spin: failures in a row
 * back off (1 s doubling to 30 s, never below the job's own interval), each is reported
 * with its count so the caller can log once per outage, and the first success after them
 * is reported as a recovery and restores the normal pace. No database is involved: this
 * is the scheduler alone (the outage itself is exercised in test/concurrency/).
 */
describe('periodic jobs during an outage', () => {
  it('backs off from a second, doubling, up to half a minute, never below the interval', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffMs(50, n)),
      [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000],
    );
    assert.equal(backoffMs(300_000, 1), 300_000);
  });

  it('reports failures in a row, waits between them, and reports the recovery', async () => {
    const runs: number[] = [];
    const errors: number[] = [];
    const recovered: number[] = [];
    let fail = 2;
    const jobs = startJobs(
      [
        {
          name: 'flaky',
          intervalMs: 10,
          firstDelayMs: 0,
          run: async () => {
            runs.push(Date.now());
            if (fail > 0) {
              fail -= 1;
              throw new Error('Connection terminated unexpectedly');
            }
            return false;
          },
        },
      ],
      {
        onError: (_job, _error, failures) => errors.push(failures),
        onRecovered: (_job, failures) => recovered.push(failures),
      },
    );
    // The 10 ms job is poked meanwhile: a poke must not cut the backoff short.
    await sleep(100);
    jobs.poke('flaky');
    for (let waited = 0; recovered.length === 0; waited += 100) {
      assert.ok(waited < 10_000, 'the job never ran again after failing');
      await sleep(100);
    }
    await jobs.stop();
    assert.deepEqual(errors, [1, 2]);
    assert.deepEqual(recovered, [2]);
    // The gaps after the failures are the backoff: 1 s, then 2 s. A timer counts from the
    // event loop's cached time, which a busy loop leaves stale, so it may fire a little
    // early by the wall clock (one CI run saw it): a margin of 100 ms, far above the gap a
    // poke cutting the backoff short would leave.
    assert.ok(runs[1]! - runs[0]! >= 900, `first gap ${runs[1]! - runs[0]!} ms`);
    assert.ok(runs[2]! - runs[1]! >= 1_900, `second gap ${runs[2]! - runs[1]!} ms`);
  });
});
