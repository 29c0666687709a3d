import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './config.js';

describe('STOCKROOM_WEBHOOK_ALLOW_PRIVATE', () => {
  it('is off unless set to a true value', () => {
    for (const [value, allowed] of [
      [undefined, false],
      ['', false],
      ['false', false],
      ['0', false],
      ['no', false],
      ['true', true],
      ['TRUE', true],
      ['1', true],
      ['yes', true],
    ] as const) {
      const env = value === undefined ? {} : { STOCKROOM_WEBHOOK_ALLOW_PRIVATE: value };
      assert.equal(loadConfig(env).webhooks.allowPrivateTargets, allowed, String(value));
    }
  });

  it('refuses a value that is neither, rather than guessing about a security setting', () => {
    assert.throws(
      () => loadConfig({ STOCKROOM_WEBHOOK_ALLOW_PRIVATE: 'sometimes' }),
      /STOCKROOM_WEBHOOK_ALLOW_PRIVATE must be true or false, got sometimes/,
    );
  });
});
