import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { fixedClock } from '../../src/shared/clock.js';
import { isoDate } from '../../src/shared/dates.js';
import { insertReplenishmentWorld } from '../replenishment/world.js';

/**
 * `stockroom replenishment refresh` as the cron or an operator runs it, as a child
 * process on a SQLite file (the use case itself is tested on both engines). The command
 * plans from the real today, so the shop's history is laid out up to yesterday.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const COMMAND_LIMIT_MS = 60_000;

describe('stockroom replenishment refresh', () => {
  it('writes the suggestions and raises the projected shortage alert', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'stockroom-cli-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const url = `file:${join(dir, 's.db')}`;
    const now = new Date();
    const today = isoDate(now);
    const database = openDatabase(url);
    try {
      await migrateToLatest(database.db);
      const ctx = { db: database.db, dbKind: database.kind, clock: fixedClock(now.toISOString()) };
      await insertReplenishmentWorld(ctx, today);
    } finally {
      await database.close();
    }

    const { DATABASE_URL: _db, NODE_TEST_CONTEXT: _ctx, ...inherited } = process.env;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'replenishment', 'refresh'],
      {
        cwd: ROOT,
        env: { ...inherited, DATABASE_URL: url, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: COMMAND_LIMIT_MS,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    assert.equal(code, 0, stderr);
    const summary = JSON.parse(stdout) as {
      today: string;
      suggestions: number;
      lines: number;
      projectedShortages: { sku: string; location: string }[];
      alerts: { opened: number; resolved: number };
    };
    assert.equal(summary.today, today);
    assert.equal(summary.suggestions, 1);
    assert.equal(summary.lines, 2);
    assert.deepEqual(
      summary.projectedShortages.map((s) => `${s.sku}@${s.location}`),
      ['KET-01@W1'],
    );
    assert.deepEqual(summary.alerts, { opened: 1, resolved: 0 });

    const check = openDatabase(url);
    try {
      const alerts = await check.db
        .selectFrom('staff_alerts')
        .select(['kind', 'subject'])
        .where('resolved_at', 'is', null)
        .execute();
      assert.deepEqual(alerts, [{ kind: 'shortage_ahead', subject: 'item:KET-01@W1' }]);
    } finally {
      await check.close();
    }
  });
});
