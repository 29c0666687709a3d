import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import type * as keys from '../../src/access/keys.schemas.js';
import { authenticate } from '../../src/access/keys.service.js';
import { signIn } from '../../src/access/sessions.service.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedDemo } from '../../src/demo/seed-demo.js';
import type { AppContext } from '../../src/kernel/context.js';
import { fixedClock } from '../../src/shared/clock.js';
import type { Body } from '../helpers/responses.js';

/**
 * The `stockroom` command run as users run it, as a child process. SQLite files only:
 * the CLI calls the same use cases as the server through the same openDatabase, and that
 * database behaviour is tested on both engines by the route and property tests.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Kills a hung command; not a performance assertion. */
const COMMAND_LIMIT_MS = 60_000;

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * A fresh database file for one test and a way to run `stockroom` on it. When the test
 * ends, any command still running is killed and the directory removed.
 */
function session(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'stockroom-cli-'));
  const file = join(dir, 's.db');
  const children = new Set<ChildProcess>();
  t.after(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  function run(...args: string[]): Promise<Result> {
    return runWithInput(undefined, ...args);
  }

  function runWithInput(input: string | undefined, ...args: string[]): Promise<Result> {
    const {
      DATABASE_URL: _db,
      STOCKROOM_BOOTSTRAP_ADMIN_KEY: _key,
      NODE_TEST_CONTEXT: _ctx,
      ...inherited
    } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...inherited, DATABASE_URL: `file:${file}`, LOG_LEVEL: 'warn' },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: COMMAND_LIMIT_MS,
    });
    children.add(child);
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => {
        children.delete(child);
        resolve({ code, signal, stdout, stderr });
      });
    });
  }

  /** Runs a command that must succeed and parses its JSON output. */
  async function json<T>(...args: string[]): Promise<T> {
    const result = await run(...args);
    assert.equal(result.code, 0, `stockroom ${args.join(' ')}: ${result.stderr}`);
    try {
      return JSON.parse(result.stdout) as T;
    } catch {
      throw new Error(`stockroom ${args.join(' ')} printed no JSON: ${result.stdout}`);
    }
  }

  return { file, run, runWithInput, json };
}

type KeyView = Body<typeof keys.ApiKey>;

/** Opens the file in-process, as the server would, for set-up and checks. */
async function withDatabase<T>(dbFile: string, run: (ctx: AppContext) => Promise<T>): Promise<T> {
  const database = openDatabase(`file:${dbFile}`);
  try {
    await migrateToLatest(database.db);
    return await run({
      db: database.db,
      dbKind: database.kind,
      clock: fixedClock('2026-11-26T10:00:00.000Z'),
    });
  } finally {
    await database.close();
  }
}

// Each command starts a Node process; two tests at a time keep the file quick.
describe('stockroom CLI', { concurrency: 2 }, () => {
  it('migrate applies the migrations, then reports the database up to date', async (t) => {
    const cli = session(t);
    const file = cli.file;
    const first = await cli.run('migrate');
    assert.equal(first.code, 0, first.stderr);
    // Every numbered file in src/db/migrations, in order: a migration written but not
    // registered in migrate.ts would be missing here.
    const files = readdirSync(fileURLToPath(new URL('../../src/db/migrations/', import.meta.url)))
      .filter((name) => /^\d{4}_\w+\.ts$/.test(name))
      .map((name) => name.replace(/\.ts$/, ''))
      .sort();
    assert.ok(files.length >= 8);
    assert.equal(first.stdout, `Applied: ${files.join(', ')}\n`);
    const second = await cli.run('migrate');
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, `file:${file} is up to date\n`);
  });

  it('keys create prints the secret once; list omits secrets; revoke stops the key', async (t) => {
    const cli = session(t);
    const file = cli.file;
    const created = await cli.json<{ key: string; apiKey: KeyView }>(
      'keys',
      'create',
      '--name',
      'x',
      '--role',
      'staff',
    );
    assert.match(created.key, /^sr_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.apiKey.name, 'x');
    assert.equal(created.apiKey.role, 'staff');
    assert.equal(created.apiKey.channel, null);
    assert.equal(created.apiKey.revokedAt, null);
    assert.ok(created.key.startsWith(created.apiKey.prefix), JSON.stringify(created));
    const principal = await withDatabase(file, (ctx) => authenticate(ctx, created.key));
    assert.equal(principal?.role, 'staff', 'the printed key authenticates');

    const listed = await cli.run('keys', 'list');
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(listed.stdout.includes(created.key), false, 'the secret is never listed');
    assert.deepEqual(JSON.parse(listed.stdout), [created.apiKey]);

    const revoked = await cli.json<KeyView>('keys', 'revoke', String(created.apiKey.id));
    assert.equal(revoked.id, created.apiKey.id);
    assert.notEqual(revoked.revokedAt, null);
    assert.equal(
      await withDatabase(file, (ctx) => authenticate(ctx, created.key)),
      null,
      'a revoked key no longer authenticates',
    );
    assert.deepEqual(await cli.json<KeyView[]>('keys', 'list'), []);
    assert.deepEqual(await cli.json<KeyView[]>('keys', 'list', '--all'), [revoked]);
  });

  it('keys revoke refuses an unknown id and a malformed one', async (t) => {
    const cli = session(t);
    const unknown = await cli.run('keys', 'revoke', '999');
    assert.equal(unknown.code, 1, unknown.stdout);
    assert.match(unknown.stderr, /KEY_NOT_FOUND/);
    const malformed = await cli.run('keys', 'revoke', 'abc');
    assert.notEqual(malformed.code, 0);
    assert.match(malformed.stderr, /positive whole number/);
  });

  it('keys create --role channel without --channel exits non-zero with CHANNEL_SCOPE_MISMATCH', async (t) => {
    const cli = session(t);
    const file = cli.file;
    const result = await cli.run('keys', 'create', '--name', 'shop', '--role', 'channel');
    assert.notEqual(result.code, 0, result.stdout);
    assert.match(result.stderr, /CHANNEL_SCOPE_MISMATCH/);
    assert.equal(result.stdout, '', 'no key printed');
    const keys = await withDatabase(file, (ctx) =>
      ctx.db.selectFrom('api_keys').select('id').execute(),
    );
    assert.deepEqual(keys, [], 'no key stored');
  });

  it('users create makes a staff user who can sign in; the password comes from stdin or is printed once', async (t) => {
    const cli = session(t);
    const generated = await cli.json<{ user: { email: string; role: string }; password: string }>(
      'users',
      'create',
      '--email',
      'Owner@Shop.test',
      '--name',
      'Owner',
      '--role',
      'admin',
    );
    assert.equal(generated.user.email, 'owner@shop.test');
    assert.equal(generated.user.role, 'admin');
    const opened = await withDatabase(cli.file, (ctx) =>
      signIn(ctx, { email: 'owner@shop.test', password: generated.password }, '127.0.0.1'),
    );
    assert.equal(opened.session.user.role, 'admin');

    const piped = await cli.runWithInput(
      'a long secret phrase\n',
      'users',
      'create',
      '--email',
      'clerk@shop.test',
      '--name',
      'Clerk',
      '--password-stdin',
    );
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(
      piped.stdout.includes('a long secret phrase'),
      false,
      'a given password is not echoed',
    );
    const clerk = await withDatabase(cli.file, (ctx) =>
      signIn(ctx, { email: 'clerk@shop.test', password: 'a long secret phrase' }, '127.0.0.1'),
    );
    assert.equal(clerk.session.user.role, 'staff');

    const short = await cli.runWithInput(
      'short\n',
      'users',
      'create',
      '--email',
      'x@shop.test',
      '--name',
      'X',
      '--password-stdin',
    );
    assert.equal(short.code, 1);
    assert.match(short.stderr, /PASSWORD_TOO_SHORT/);
    const taken = await cli.run('users', 'create', '--email', 'CLERK@shop.test', '--name', 'Again');
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /USER_EXISTS/);
    const badEmail = await cli.run('users', 'create', '--email', 'nobody', '--name', 'N');
    assert.notEqual(badEmail.code, 0);
    assert.match(badEmail.stderr, /not an email address/);
    const listed = await cli.json<{ email: string }[]>('users', 'list');
    assert.deepEqual(
      listed.map((u) => u.email),
      ['owner@shop.test', 'clerk@shop.test'],
    );
  });

  it('seed --demo loads the demo store once and refuses a second time with NOT_EMPTY', async (t) => {
    const cli = session(t);
    const file = cli.file;
    const summary = await cli.json<{ items: number; locations: number; stockRows: number }>(
      'seed',
      '--demo',
    );
    assert.ok(summary.items > 0 && summary.locations > 0, JSON.stringify(summary));
    const items = await withDatabase(file, (ctx) =>
      ctx.db
        .selectFrom('items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    );
    assert.equal(Number(items.n), summary.items);

    const again = await cli.run('seed', '--demo');
    assert.equal(again.code, 1, again.stdout);
    assert.match(again.stderr, /NOT_EMPTY/);
    const after = await withDatabase(file, (ctx) =>
      ctx.db
        .selectFrom('items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    );
    assert.equal(Number(after.n), summary.items, 'nothing added the second time');
  });

  it('audit exits 0 on a consistent ledger and 1 with the drift after a stock row is corrupted', async (t) => {
    const cli = session(t);
    const file = cli.file;
    await withDatabase(file, (ctx) => seedDemo(ctx, { actor: 'test', itemsPerProduct: 1 }));
    const clean = await cli.json<{ ok: boolean; checkedRows: number; drift: unknown[] }>('audit');
    assert.equal(clean.ok, true);
    assert.ok(clean.checkedRows > 0);
    assert.deepEqual(clean.drift, []);

    // A write that bypasses the ledger, as a hand-edited database would have.
    const sqlite = new SqliteDatabase(file);
    const victim = sqlite
      .prepare(
        `select i.sku, l.code, s.item_id, s.location_id, s.on_hand from stock s
         join items i on i.id = s.item_id join locations l on l.id = s.location_id
         order by s.item_id, s.location_id limit 1`,
      )
      .get() as {
      sku: string;
      code: string;
      item_id: number;
      location_id: number;
      on_hand: number;
    };
    sqlite
      .prepare('update stock set on_hand = on_hand + 7 where item_id = ? and location_id = ?')
      .run(victim.item_id, victim.location_id);
    sqlite.close();

    const drifted = await cli.run('audit');
    assert.equal(drifted.code, 1, drifted.stderr);
    const report = JSON.parse(drifted.stdout) as { ok: boolean; drift: unknown[] };
    assert.equal(report.ok, false);
    assert.deepEqual(report.drift, [
      {
        sku: victim.sku,
        location: victim.code,
        onHand: victim.on_hand + 7,
        ledgerTotal: victim.on_hand,
        difference: 7,
      },
    ]);
  });
});
