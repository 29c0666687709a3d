import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { AppContext } from '../../src/kernel/context.js';
import { fixedClock } from '../../src/shared/clock.js';
import { addDays } from '../../src/shared/dates.js';
import { insertItem, insertWorld } from '../helpers/factories.js';

/**
 * `stockroom forecast export` run as a user runs it, on a SQLite file holding 8 weeks of
 * history for three item × location series (the export's queries and forecasts are the
 * route's, tested on both engines in test/routes/forecasts.routes.test.ts).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const COMMAND_LIMIT_MS = 60_000;
const FIRST = '2026-09-28';
const LAST = '2026-11-22';
const SERIES = [
  ['KET', 'W1'],
  ['KET', 'S1'],
  ['MUG', 'S1'],
] as const;

async function withHistory(t: TestContext): Promise<{ dir: string; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'stockroom-forecast-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 's.db');
  const database = openDatabase(`file:${file}`);
  try {
    await migrateToLatest(database.db);
    const ctx: AppContext = {
      db: database.db,
      dbKind: database.kind,
      clock: fixedClock('2026-11-26T10:00:00.000Z'),
    };
    await insertWorld(ctx);
    await insertItem(ctx, { sku: 'KET' });
    await insertItem(ctx, { sku: 'MUG' });
    for (const [sku, code] of SERIES) {
      const item = await ctx.db
        .selectFrom('items')
        .select('id')
        .where('sku', '=', sku)
        .executeTakeFirstOrThrow();
      const location = await ctx.db
        .selectFrom('locations')
        .select('id')
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      await ctx.db
        .insertInto('sales_history')
        .values(
          Array.from({ length: 56 }, (_, d) => ({
            item_id: item.id,
            location_id: location.id,
            day: addDays(FIRST, d),
            quantity: 3 + ((d * 5) % 7),
          })),
        )
        .execute();
    }
  } finally {
    await database.close();
  }
  return { dir, file };
}

function run(
  file: string,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { DATABASE_URL: _db, NODE_TEST_CONTEXT: _ctx, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...inherited, DATABASE_URL: `file:${file}`, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: COMMAND_LIMIT_MS,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function rows(csv: string): string[][] {
  return csv
    .trimEnd()
    .split('\n')
    .map((line) => line.split(','));
}

describe('stockroom forecast export', { concurrency: 2 }, () => {
  it('writes one row per series and day from the day after the history, to stdout', async (t) => {
    const { file } = await withHistory(t);
    const result = await run(file, 'forecast', 'export', '--horizon', '5');
    assert.equal(result.code, 0, result.stderr);
    const [header, ...body] = rows(result.stdout);
    assert.deepEqual(header, ['date', 'location', 'sku', 'forecast', 'lower', 'upper']);
    assert.equal(body.length, SERIES.length * 5);
    for (const [sku, code] of SERIES) {
      const dates = body.filter((r) => r[2] === sku && r[1] === code).map((r) => r[0]);
      assert.deepEqual(
        dates,
        [1, 2, 3, 4, 5].map((h) => addDays(LAST, h)),
      );
    }
    for (const [, , , forecast, lower, upper] of body) {
      assert.ok(Number(lower) <= Number(forecast) && Number(forecast) <= Number(upper));
    }
  });

  it('starts at --from and writes to --output', async (t) => {
    const { dir, file } = await withHistory(t);
    const output = join(dir, 'forecast.csv');
    const result = await run(
      file,
      'forecast',
      'export',
      '--horizon',
      '3',
      '--from',
      '2026-11-15',
      '--output',
      output,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    const [header, ...body] = rows(readFileSync(output, 'utf8'));
    assert.equal(header!.join(','), 'date,location,sku,forecast,lower,upper');
    assert.equal(body.length, SERIES.length * 3);
    assert.deepEqual(
      [...new Set(body.map((r) => r[0]))],
      ['2026-11-15', '2026-11-16', '2026-11-17'],
    );
  });

  it('refuses a horizon outside 1..365', async (t) => {
    const { file } = await withHistory(t);
    for (const horizon of ['0', '366', 'x']) {
      const result = await run(file, 'forecast', 'export', '--horizon', horizon);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /horizon/);
    }
  });
});
