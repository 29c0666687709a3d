import { Worker } from 'node:worker_threads';

/** One request the load client sends, over and over in turn. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export interface LoadResult {
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
        });
      },
    );
  });
}
