import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Worker } from 'node:worker_threads';
import { type CpuCost, cpuWindow } from './server-cpu.js';

/** One request the load client sends, over and over in turn. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

/** Per request: this process's CPU is the server's and the load client's thread's. */
export interface LoadResult extends CpuCost {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/**
 * Sends the requests in turn, `concurrency` at a time, for `seconds`, from a worker thread
 * (bench/http-load-worker.mjs) so that the client's work is not on the server's event
 * loop; every answer must have the expected status. The same client measures the bare
 * Fastify ceiling.
 */
export function load(options: {
  base: string;
  requests: readonly LoadRequest[];
  headers: Record<string, string>;
  concurrency: number;
  seconds: number;
  /** The status every answer must have (200 unless given). */
  expectStatus?: number;
  /** Each request gets `Idempotency-Key: <prefix><n>`, a fresh key every time. */
  idempotencyKeyPrefix?: string;
}): Promise<LoadResult> {
  return profiled(options.requests[0]?.path ?? 'load', () => run(options));
}

function run(options: Parameters<typeof load>[0]): Promise<LoadResult> {
  const cost = cpuWindow();
  const worker = new Worker(new URL('./http-load-worker.mjs', import.meta.url), {
    workerData: options,
  });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once(
      'message',
      ({ latencies, elapsed }: { latencies: Float64Array; elapsed: number }) => {
        const sorted = [...latencies].sort((a, b) => a - b);
        const pct = (p: number) =>
          sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
        resolve({
          requests: sorted.length,
          perSecond: sorted.length / elapsed,
          p50: pct(0.5),
          p99: pct(0.99),
          ...cost(sorted.length),
        });
      },
    );
  });
}

let profiles = 0;

/**
 * With BENCH_CPU_PROFILE=<dir>, a CPU profile of this (the server's) thread while each
 * load runs, written as <dir>/<n>-<path>.cpuprofile for Chrome DevTools or a script:
 * the profile bench/README.md's "where the time goes" tables are read from.
 */
async function profiled<T>(label: string, measure: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return measure();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await measure();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    const name = label.replace(/[^a-z0-9]+/gi, '-').slice(0, 40);
    writeFileSync(`${dir}/${++profiles}${name}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
}
