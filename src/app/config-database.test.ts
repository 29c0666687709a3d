import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './config.js';

describe('STOCKROOM_GROUP_COMMIT', () => {
  it('is on with the defaults unless told otherwise', () => {
    assert.deepEqual(loadConfig({}).groupCommit, {});
    assert.deepEqual(loadConfig({ STOCKROOM_GROUP_COMMIT: 'on' }).groupCommit, {});
    assert.equal(loadConfig({ STOCKROOM_GROUP_COMMIT: 'OFF' }).groupCommit, 'off');
  });

  it('overrides each size on its own', () => {
    assert.deepEqual(
      loadConfig({
        STOCKROOM_GROUP_COMMIT_MAX_BATCH: '16',
        STOCKROOM_GROUP_COMMIT_IN_FLIGHT: '3',
      }).groupCommit,
      { maxBatch: 16, maxInFlight: 3 },
    );
    assert.deepEqual(loadConfig({ STOCKROOM_GROUP_COMMIT_MAX_WAIT_MS: '2' }).groupCommit, {
      maxWaitMs: 2,
    });
  });

  it('refuses values that cannot work', () => {
    for (const [name, value] of [
      ['STOCKROOM_GROUP_COMMIT', 'sometimes'],
      ['STOCKROOM_GROUP_COMMIT_MAX_BATCH', '0'],
      ['STOCKROOM_GROUP_COMMIT_MAX_BATCH', '2.5'],
      ['STOCKROOM_GROUP_COMMIT_MAX_WAIT_MS', '-1'],
      ['STOCKROOM_GROUP_COMMIT_IN_FLIGHT', 'many'],
    ] as const) {
      assert.throws(() => loadConfig({ [name]: value }), new RegExp(name), `${name}=${value}`);
    }
  });
});

describe('STOCKROOM_PG_NAMED_STATEMENTS', () => {
  it('is on unless turned off, and refuses anything but on or off', () => {
    assert.equal(loadConfig({}).databaseOptions.pgNamedStatements, true);
    assert.equal(
      loadConfig({ STOCKROOM_PG_NAMED_STATEMENTS: 'off' }).databaseOptions.pgNamedStatements,
      false,
    );
    assert.equal(
      loadConfig({ STOCKROOM_PG_NAMED_STATEMENTS: ' On ' }).databaseOptions.pgNamedStatements,
      true,
    );
    assert.throws(
      () => loadConfig({ STOCKROOM_PG_NAMED_STATEMENTS: 'yes' }),
      /STOCKROOM_PG_NAMED_STATEMENTS must be on or off/,
    );
  });
});
