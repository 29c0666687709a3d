import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startDemoServer } from './demo-server.js';
import { guideSteps } from './guide-blocks.js';
import { compareOutput, placeholderNames } from './output-match.js';
import { startShell } from './shell-session.js';

/**
 * The guides in docs/guides, and the README's tour, run as written: each on a fresh demo store (a real server
 * process), its ```sh blocks in order in one bash session, each block's output compared
 * with the block shown after it (rules in output-match.ts). A guide that drifts from the
 * code fails here.
 *
 * The guides compute their dates from today, as the demo store does from the day it is
 * loaded; to prove no date is baked in, every guide runs a second time 30 days ahead.
 * libfaketime does that: FAKETIME with LD_PRELOAD shifts the wall clock of the server
 * process (node's Date, so the demo store's dates and every timestamp) and of the guide's
 * shell and everything it starts (GNU date, node one-liners) by the same offset. Both are
 * checked below before the guides run. .ci/run installs it; elsewhere, without faketime,
 * that half is skipped with a notice (a failure when CI=true).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN_KEY = 'sr_guide_admin_key_0123456789abcdef';
/** What a reader types in place of these; the guides say so. */
const READER_URL = 'http://127.0.0.1:3000';
const READER_KEY = '<YOUR-ADMIN-KEY>';
/** Guards against a hung block, not a performance assertion (the guides wait up to 30 s). */
const BLOCK_LIMIT_MS = 120_000;
const SHIFT_DAYS = 30;
const ci = process.env.CI === 'true' || process.env.CI === '1';

/** Each guide (the README's tour is one) with the settings it asks the reader to start with. */
const GUIDES_AND_SETTINGS: Array<[string, Record<string, string>]> = [
  ['README.md', {}],
  ['docs/guides/stock.md', {}],
  ['docs/guides/purchasing.md', {}],
  ['docs/guides/orders-and-promising.md', {}],
  ['docs/guides/reordering.md', {}],
  ['docs/guides/customer-messages.md', { STOCKROOM_WEBHOOK_ALLOW_PRIVATE: 'true' }],
  ['docs/guides/shop-sync.md', {}],
];

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** The test runner's environment, without what would configure the server or the shell. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (name.startsWith('STOCKROOM_') || name === 'DATABASE_URL' || name.startsWith('NODE_'))
      continue;
    env[name] = value;
  }
  return env;
}

async function runGuide(file: string, settings: Record<string, string>, wrapper: string[]) {
  const markdown = readFileSync(join(ROOT, file), 'utf8');
  const steps = guideSteps(markdown);
  assert.ok(steps.length > 0, `${file} has no \`\`\`sh blocks`);
  const work = mkdtempSync(join(tmpdir(), 'stockroom-guide-'));
  const server = await startDemoServer({
    dbFile: join(work, 'stockroom.db'),
    adminKey: ADMIN_KEY,
    env: { ...cleanEnv(), ...settings },
    wrapper,
  });
  const shell = startShell({
    cwd: work,
    env: {
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: work,
      LANG: 'C.UTF-8',
    },
    wrapper,
  });
  try {
    if (wrapper.length > 0) {
      const shellDay = await shell.run('date -u +%F', [], BLOCK_LIMIT_MS);
      assert.equal(shellDay.output.trim(), isoDay(SHIFT_DAYS), 'faketime shifts the shell');
      const response = await fetch(`${server.url}/v1/purchase-orders/1`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      const order = (await response.json()) as { createdAt: string };
      assert.equal(order.createdAt.slice(0, 10), isoDay(SHIFT_DAYS), 'faketime shifts the server');
    }
    for (const step of steps) {
      const code = step.code.replaceAll(READER_URL, server.url).replaceAll(READER_KEY, ADMIN_KEY);
      const names = step.expected === null ? [] : placeholderNames(step.expected.text);
      const result = await shell.run(code, names, BLOCK_LIMIT_MS);
      const where = `${file}:${step.line}`;
      assert.equal(
        result.status,
        0,
        `${where}: the block exited ${result.status}:\n${result.output}`,
      );
      if (step.expected === null) {
        assert.equal(
          result.output.trim(),
          '',
          `${where}: the block printed what the guide does not show`,
        );
        continue;
      }
      const comparison = compareOutput(
        step.expected.kind,
        step.expected.text,
        result.output,
        result.values,
      );
      if (!comparison.ok) {
        assert.fail(
          `${where}: the output differs from the guide's (line ${step.expected.line})\n` +
            `--- shown (compacted; placeholders: ${JSON.stringify(result.values)})\n${comparison.expected}\n` +
            `--- printed\n${comparison.actual}\n`,
        );
      }
    }
  } catch (error) {
    if (error instanceof Error) error.message += `\n--- server output\n${server.output()}`;
    throw error;
  } finally {
    shell.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const hasFaketime = spawnSync('faketime', ['-f', '+0d', 'true']).status === 0;

// Within one clock the guides run side by side (each has its own server, shell and folder;
// most of their time is spent waiting for servers and deliveries); the two clocks run one
// after the other, since the customer messages guide's webhook receiver takes a fixed port.
describe('the guides in docs/guides and the README tour, today', { concurrency: true }, () => {
  for (const [file, settings] of GUIDES_AND_SETTINGS) {
    it(`${file} runs as written`, async () => {
      await runGuide(file, settings, []);
    });
  }
});

describe(`the guides in docs/guides and the README tour, ${SHIFT_DAYS} days from now`, {
  concurrency: true,
  skip: !hasFaketime && !ci && 'faketime is not installed (apt-get install faketime)',
}, () => {
  for (const [file, settings] of GUIDES_AND_SETTINGS) {
    it(`${file} runs as written`, async () => {
      assert.ok(hasFaketime, 'CI needs faketime for the shifted-clock pass of the guides');
      await runGuide(file, settings, ['faketime', '-f', `+${SHIFT_DAYS}d`]);
    });
  }
});
