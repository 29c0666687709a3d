import type { AppContext } from '../kernel/context.js';
import { GroupCommit, type GroupCommitSettings } from '../kernel/group-commit/group-commit.js';
import { type BatchAnswer, type PendingOrder, placeBatch } from './place-batch.js';
import { recordRefusals } from './record-refusals.js';
import type { RefusalBatcher } from './refuse-order.js';

/**
 * Concurrent placements of one process, written in batches: the orders
 * (src/orders/place-batch.ts), then the refusals among them, which a batch answers but
 * records apart (src/orders/record-refusals.ts) once their alternatives are read, so that
 * those reads never hold the orders' locks.
 */
export interface OrderBatcher {
  orders: GroupCommit<PendingOrder, BatchAnswer>;
  refusals: RefusalBatcher;
}

/**
 * Defaults measured with `npm run bench:orders` (bench/README.md). SQLite has one
 * connection, so one batch at a time; on PostgreSQL a second batch is assessed while the
 * first waits on the network.
 */
export function defaultGroupCommit(kind: AppContext['dbKind']): GroupCommitSettings {
  return kind === 'sqlite'
    ? { maxBatch: 64, maxWaitMs: 0, maxInFlight: 1 }
    : { maxBatch: 64, maxWaitMs: 0, maxInFlight: 2 };
}

/**
 * A batch that fails as a whole (a deadlock with another process, a dropped connection)
 * answers nobody: each of its orders is then placed alone, and each of its refusals
 * recorded alone, which answers it or fails it on its own.
 */
export function orderBatcher(ctx: AppContext, settings: GroupCommitSettings): OrderBatcher {
  return {
    orders: new GroupCommit(
      (orders) => placeBatch(ctx, orders),
      settings,
      (orders) => orders.map(() => undefined),
    ),
    refusals: new GroupCommit(
      (refusals) => recordRefusals(ctx, refusals),
      settings,
      (refusals) => refusals.map(() => undefined),
    ),
  };
}

/** The running counts of both group commits, for /metrics. */
export function batcherStats(batcher: OrderBatcher | undefined) {
  return batcher && { orders: batcher.orders.stats, refusals: batcher.refusals.stats };
}

/** Resolves once no order or refusal is waiting or being written (for shutting down). */
export async function drained(batcher: OrderBatcher): Promise<void> {
  await batcher.orders.drained();
  await batcher.refusals.drained();
}
