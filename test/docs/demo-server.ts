import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/ports.js';

/**
 * A fresh demo store as `npm start` serves it (`stockroom serve --demo` on an empty SQLite
 * file), run from src/ through tsx so the guides test the code in the tree, optionally
 * under a wrapper such as faketime.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Guards against a hung child, not a performance assertion. */
const STARTUP_LIMIT_MS = 60_000;

export interface DemoServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startDemoServer(options: {
  dbFile: string;
  adminKey: string;
  env: Record<string, string>;
  wrapper: string[];
}): Promise<DemoServer> {
  const port = await freePort();
  const command = [
    ...options.wrapper,
    process.execPath,
    '--import',
    'tsx',
    'src/cli/main.ts',
    'serve',
    '--demo',
  ];
  const child: ChildProcess = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: {
      ...options.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${options.dbFile}`,
      STOCKROOM_BOOTSTRAP_ADMIN_KEY: options.adminKey,
      // A guide's output must not change because a run crossed the nightly refresh's hour.
      STOCKROOM_REPLENISHMENT_HOUR: 'off',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // faketime forks and does not pass signals on: the group is what gets stopped.
    detached: true,
  });
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Already gone.
    }
  };
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal('SIGKILL');
      reject(new Error(`the demo server did not start:\n${out}`));
    }, STARTUP_LIMIT_MS);
    const check = () => {
      if (out.includes('Stockroom listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the demo server exited before listening:\n${out}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    async stop() {
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
