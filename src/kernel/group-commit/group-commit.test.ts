import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GroupCommit } from './group-commit.js';

/** A run that records each batch and answers every input doubled, after a turn. */
function recorder(fail?: (inputs: readonly number[]) => boolean) {
  const batches: number[][] = [];
  const run = async (inputs: readonly number[]) => {
    batches.push([...inputs]);
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (fail?.(inputs)) throw new Error(`batch ${inputs.join(',')} failed`);
    return inputs.map((n) => n * 2);
  };
  return { batches, run };
}

describe('group commit', () => {
  it('answers each request, in batches no larger than maxBatch, in arrival order', async () => {
    const { batches, run } = recorder();
    const group = new GroupCommit(run, { maxBatch: 4, maxWaitMs: 0, maxInFlight: 1 });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, n) => group.submit(n)));
    assert.deepEqual(answers, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    assert.deepEqual(batches, [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    assert.deepEqual(group.stats, { batches: 3, inputs: 10, largest: 4, failed: 0 });
  });

  it('starts a lone request on the next turn instead of waiting for company', async () => {
    const { batches, run } = recorder();
    const group = new GroupCommit(run, { maxBatch: 64, maxWaitMs: 0, maxInFlight: 1 });
    assert.equal(await group.submit(21), 42);
    assert.equal(await group.submit(1), 2);
    assert.deepEqual(batches, [[21], [1]]);
  });

  it('gathers what arrives while a batch is written into the next one', async () => {
    const { batches, run } = recorder();
    const group = new GroupCommit(run, { maxBatch: 64, maxWaitMs: 0, maxInFlight: 1 });
    const first = group.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((n) => group.submit(n));
    await Promise.all([first, ...later]);
    assert.deepEqual(batches, [[1], [2, 3, 4]]);
  });

  it('runs up to maxInFlight batches at once', async () => {
    let running = 0;
    let most = 0;
    const group = new GroupCommit(
      async (inputs: readonly number[]) => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return inputs;
      },
      { maxBatch: 2, maxWaitMs: 0, maxInFlight: 2 },
    );
    await Promise.all(Array.from({ length: 12 }, (_, n) => group.submit(n)));
    assert.equal(most, 2);
  });

  it('fails the requests of a failed batch and no others', async () => {
    const { run } = recorder((inputs) => inputs.includes(5));
    const group = new GroupCommit(run, { maxBatch: 4, maxWaitMs: 0, maxInFlight: 1 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, n) => group.submit(n)));
    assert.deepEqual(
      results.map((r) => r.status),
      [...Array(4).fill('fulfilled'), ...Array(4).fill('rejected'), 'fulfilled', 'fulfilled'],
    );
  });

  it('answers a failed batch with the fallback when there is one', async () => {
    const { run } = recorder((inputs) => inputs.includes(1));
    const group = new GroupCommit(run, { maxBatch: 2, maxWaitMs: 0, maxInFlight: 1 }, (inputs) =>
      inputs.map(() => -1),
    );
    const answers = await Promise.all([0, 1, 2, 3].map((n) => group.submit(n)));
    assert.deepEqual(answers, [-1, -1, 4, 6]);
    assert.equal(group.stats.failed, 1);
  });

  it('waits maxWaitMs for company when told to', async () => {
    const { batches, run } = recorder();
    const group = new GroupCommit(run, { maxBatch: 64, maxWaitMs: 20, maxInFlight: 1 });
    const first = group.submit(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await Promise.all([first, group.submit(2)]);
    assert.deepEqual(batches, [[1, 2]]);
  });

  it('reports when drained', async () => {
    const { run } = recorder();
    const group = new GroupCommit(run, { maxBatch: 2, maxWaitMs: 0, maxInFlight: 1 });
    let answered = 0;
    for (let n = 0; n < 5; n++) void group.submit(n).then(() => answered++);
    await group.drained();
    assert.equal(answered, 5);
    await group.drained();
  });

  it('refuses settings that cannot work', () => {
    const run = async (inputs: readonly number[]) => inputs;
    assert.throws(
      () => new GroupCommit(run, { maxBatch: 0, maxWaitMs: 0, maxInFlight: 1 }),
      RangeError,
    );
    assert.throws(
      () => new GroupCommit(run, { maxBatch: 8, maxWaitMs: -1, maxInFlight: 1 }),
      RangeError,
    );
    assert.throws(
      () => new GroupCommit(run, { maxBatch: 8, maxWaitMs: 0, maxInFlight: 0.5 }),
      RangeError,
    );
  });
});
