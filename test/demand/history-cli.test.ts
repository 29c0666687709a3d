import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import SqliteDatabase from 'better-sqlite3';

/**
 * `stockroom history import` run as users run it, as a child process on a SQLite file
 * (the use case under it is tested on both engines in history-import.test.ts).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Kills a hung command; not a performance assertion. */
const COMMAND_LIMIT_MS = 60_000;

function session(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'stockroom-history-cli-'));
  const database = join(dir, 's.db');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  function run(
    ...args: string[]
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const { DATABASE_URL: _db, NODE_TEST_CONTEXT: _ctx, ...inherited } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...inherited, DATABASE_URL: `file:${database}`, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: COMMAND_LIMIT_MS,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  }
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const count = () => {
    const db = new SqliteDatabase(database, { readonly: true });
    try {
      return db
        .prepare('select count(*) as n, sum(quantity) as units from sales_history')
        .get() as {
        n: number;
        units: number | null;
      };
    } finally {
      db.close();
    }
  };
  return { run, file, count };
}

const MAPPING = 'location=store,sku=item,quantity=sales';
const GOOD = 'date,store,item,sales\n2016-01-01,1,1,5\n2016-01-02,1,1,6\n2016-01-01,2,1,7\n';

describe('stockroom history import (process)', () => {
  it('imports a gzip file with mapped columns, creating what is missing, and prints one summary line', async (t) => {
    const { run, file, count } = session(t);
    // Named .csv, but gzip inside: recognised by its bytes.
    const path = file('sales.csv', gzipSync(GOOD));
    const first = await run('history', 'import', path, '--columns', MAPPING, '--create-missing');
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /^Imported 3 rows \(1 items, 2 locations, days 2016-01-01…2016-01-02\) in \d+\.\d s; created 1 items and 2 locations\n$/,
    );
    // Not a terminal: no progress bar.
    assert.equal(first.stderr, '');
    const again = await run('history', 'import', path, '--columns', MAPPING);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(count(), { n: 3, units: 18 });
  });

  it('exits 1 listing each bad row by line, and imports nothing', async (t) => {
    const { run, file, count } = session(t);
    const path = file(
      'bad.csv',
      'date,store,item,sales\n2016-01-01,1,1,5\n2016-02-30,1,1,6\n2016-01-03,1,1,-1\n2016-01-04,1,1\n',
    );
    const result = await run('history', 'import', path, '--columns', MAPPING, '--create-missing');
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      [
        `${path}:3: date: "2016-02-30" is not a real date (YYYY-MM-DD)`,
        `${path}:4: sales: "-1" is not a whole number from 0 to 1000000000`,
        `${path}:5: row: The row has 3 fields; the header has 4`,
        'stockroom: IMPORT_INVALID: 3 problems in 4 rows; nothing was imported',
        '',
      ].join('\n'),
    );
    assert.deepEqual(count(), { n: 0, units: null });
    const unknown = await run('history', 'import', file('ok.csv', GOOD), '--columns', MAPPING);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /ok\.csv:2: item: No item has SKU "1"/);
    const missing = await run('history', 'import', join(ROOT, 'no-such-file.csv'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /FILE_UNREADABLE: Cannot read .*ENOENT/);
  });
});
