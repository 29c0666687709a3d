import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** The first admin, created by the server from these (the auth contract's bootstrap). */
export const ADMIN_EMAIL = 'admin@e2e.stockroom.test';
export const ADMIN_PASSWORD = 'e2e-admin-Password-4821';
/** An admin API key for test setup and assertions through the API. */
export const ADMIN_KEY = 'sk_e2e_admin_key_0123456789abcdef0123';

export interface StockroomServer {
  baseURL: string;
  /** The server's log so far (stdout and stderr). */
  log(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment (STOCKROOM_SMTP_URL, limits…). */
  env?: Record<string, string>;
  /** Load the demo store (default true). */
  demo?: boolean;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node dist/cli/main.js serve --demo` on a fresh SQLite file and a free port, and
 * resolves once /health/ready answers 200. The build must exist (scripts/run-tests.mjs
 * builds it first).
 */
export async function startStockroom(options: StartOptions = {}): Promise<StockroomServer> {
  const dir = mkdtempSync(join(tmpdir(), 'stockroom-e2e-'));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const logFile = join(dir, 'server.log');
  const log = createWriteStream(logFile);
  const args = [join(REPO_ROOT, 'dist', 'cli', 'main.js'), 'serve'];
  if (options.demo !== false) args.push('--demo');
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dir, 'stockroom.sqlite')}`,
      STOCKROOM_BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
      STOCKROOM_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
      STOCKROOM_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      // The nightly refresh would add suggestions and alerts no test expects.
      STOCKROOM_REPLENISHMENT_HOUR: 'off',
      // Mails go out within a fraction of a second, so tests wait little for them.
      STOCKROOM_DISPATCH_INTERVAL_MS: '200',
      STOCKROOM_SHOP_URL: baseURL,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const readLog = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const server: StockroomServer = {
    baseURL,
    log: readLog,
    async stop() {
      await stopChild(child);
      log.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilReady(baseURL, child);
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\n--- server log ---\n${readLog().slice(-4000)}`);
  }
  return server;
}

async function waitUntilReady(baseURL: string, child: ChildProcess): Promise<void> {
  // The demo store's sales history takes a few seconds to load on a busy machine.
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`stockroom serve exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${baseURL}/health/ready`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`stockroom serve was not ready at ${baseURL} within 120 s`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}
