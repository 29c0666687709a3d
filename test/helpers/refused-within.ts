import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The status of the first request that is refused, or of the last try once `limitMs` has
 * passed (0: one request only). A hang guard, not a latency assertion: NOTIFY arrives
 * within a millisecond or so, later only on a machine too busy to schedule the listener.
 */
export async function refusedWithin(limitMs: number, request: () => Promise<number>) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const status = await request();
    if (status === 401 || Date.now() >= deadline) return status;
    await sleep(5);
  }
}
