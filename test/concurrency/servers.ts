import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/ports.js';

/**
 * Real `stockroom serve` processes for the concurrency proof: the CLI from src/ run
 * through tsx (as test/cli/serve-process.test.ts does), so the processes run the code
 * under test even when dist/ is stale. Each one migrates (a no-op here), creates the
 * bootstrap admin key if the database has none, and listens on its own port.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Guards against a hung child, not a performance assertion. */
const STARTUP_LIMIT_MS = 60_000;
const SHUTDOWN_LIMIT_MS = 30_000;

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

export async function startServer(
  databaseUrl: string,
  adminKey: string,
  /** More environment for the child (transports, intervals). */
  extraEnv: Record<string, string> = {},
): Promise<ServerProcess> {
  const port = await freePort();
  // The test runner's own settings must not leak into the child.
  const {
    DATABASE_URL: _db,
    STOCKROOM_BOOTSTRAP_ADMIN_KEY: _key,
    NODE_TEST_CONTEXT: _ctx,
    NODE_OPTIONS: _opts,
    ...inherited
  } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    cwd: ROOT,
    env: {
      ...inherited,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      STOCKROOM_BOOTSTRAP_ADMIN_KEY: adminKey,
      LOG_LEVEL: 'warn',
      // The proof's load comes from one key and address: rate limits would refuse it.
      STOCKROOM_RATE_LIMIT_PER_KEY: '0',
      STOCKROOM_AUTH_FAILURE_LIMIT: '0',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start.\nstdout: ${out}\nstderr: ${err}`));
    }, STARTUP_LIMIT_MS);
    const check = () => {
      if (out.includes('Stockroom listening on')) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code ?? signal}) before listening.\n${out}\n${err}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    stderr: () => err,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), SHUTDOWN_LIMIT_MS);
      });
      const result = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (result === 'late') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
