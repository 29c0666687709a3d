#!/usr/bin/env node
// Runs the whole test suite on SQLite and, when PostgreSQL can be reached, on PostgreSQL
// too, in a database created for this run and dropped after it; then the staff app's
// end-to-end specs (web/e2e) in Chromium against a real server, building it first if
// dist/ lacks it. `--no-e2e`, or naming .ts files to run, skips them.
//
// PostgreSQL is found through TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432.
// With CI=true an unreachable PostgreSQL fails the run; elsewhere its half is skipped
// with a notice. Extra arguments are passed to `node --test` (e.g. a file to run alone).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function testFiles() {
  const files = [];
  for (const root of ['src', 'test']) {
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.test.ts'))
        files.push(join(entry.parentPath ?? entry.path, entry.name));
    }
  }
  return files.sort();
}

async function createRunDatabase() {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    return { error };
  }
  const name = `stockroom_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

async function dropRunDatabase(name) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`drop database if exists ${name} with (force)`);
  await client.end();
}

const env = { ...process.env };
// Servers the tests start must not run the nightly replenishment refresh if a run crosses
// its hour: it would add suggestions and alerts the tests do not expect. Tests of the job
// call it directly.
env.STOCKROOM_REPLENISHMENT_HOUR ??= 'off';
const run = await createRunDatabase();
if (run.error) {
  const message = `PostgreSQL at ${adminUrl.replace(/:[^:@/]*@/, ':***@')} is unreachable (${run.error.message})`;
  if (ci) {
    console.error(`FAIL: ${message}; CI requires PostgreSQL.`);
    process.exit(1);
  }
  console.warn(
    `\nNOTICE: ${message}.\nNOTICE: the PostgreSQL half of the suite is SKIPPED; only SQLite runs.\n`,
  );
  delete env.STOCKROOM_TEST_POSTGRES_URL;
} else {
  console.log(`PostgreSQL tests use the fresh database ${run.name}`);
  env.STOCKROOM_TEST_POSTGRES_URL = run.url;
}

const args = process.argv.slice(2).filter((a) => a !== '--no-e2e');
const singleFiles = args.some((a) => a.endsWith('.ts'));
const e2e = !process.argv.includes('--no-e2e') && !singleFiles;
const files = singleFiles ? [] : testFiles();
// The usual reporter (spec on a terminal, TAP otherwise), then the slowest files; a
// caller's own --test-reporter replaces both.
const reporters = args.some((a) => a.startsWith('--test-reporter'))
  ? []
  : [
      `--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`,
      '--test-reporter-destination=stdout',
      `--test-reporter=${join(import.meta.dirname, 'slowest-files-reporter.mjs')}`,
      '--test-reporter-destination=stdout',
    ];
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...reporters, ...args, ...files],
  { stdio: 'inherit', env },
);
if (run.name) await dropRunDatabase(run.name);
const nodeStatus = result.status ?? 1;
if (!e2e) process.exit(nodeStatus);
// The end-to-end half runs even after node failures, so one run reports both.
const e2eStatus = runEndToEnd();
process.exit(nodeStatus !== 0 ? nodeStatus : e2eStatus);

/** The Playwright specs; they start `node dist/cli/main.js serve`, so the build must exist. */
function runEndToEnd() {
  if (buildIsStale()) {
    console.log('\nBuilding the server and the staff app for the end-to-end tests');
    const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', env });
    if (build.status !== 0) return build.status ?? 1;
  }
  console.log('\nEnd-to-end tests (web/e2e) in Chromium');
  const e2eRun = spawnSync('npx', ['playwright', 'test', '-c', 'web/e2e/playwright.config.ts'], {
    stdio: 'inherit',
    env,
  });
  return e2eRun.status ?? 1;
}

/** A missing build, or sources changed since it was made: testing it would test old code. */
function buildIsStale() {
  const built = ['dist/web/index.html', 'dist/cli/main.js'];
  if (!built.every((file) => existsSync(file))) return true;
  const builtAt = Math.min(...built.map((file) => statSync(file).mtimeMs));
  for (const root of ['src', 'web/src', 'clients']) {
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      const path = join(entry.parentPath ?? entry.path, entry.name);
      if (entry.isFile() && statSync(path).mtimeMs > builtAt) return true;
    }
  }
  return false;
}
