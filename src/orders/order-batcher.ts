import type { AppContext } from '../kernel/context.js';
import { GroupCommit, type GroupCommitSettings } from '../kernel/group-commit/group-commit.js';
import { type BatchAnswer, type PendingOrder, placeBatch } from './place-batch.js';

/** Concurrent placements of one process, written in batches (src/orders/place-batch.ts). */
export type OrderBatcher = GroupCommit<PendingOrder, BatchAnswer>;

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
 * answers nobody: each of its orders is then placed alone, which answers it or fails it
 * on its own.
 */
export function orderBatcher(ctx: AppContext, settings: GroupCommitSettings): OrderBatcher {
  return new GroupCommit(
    (orders) => placeBatch(ctx, orders),
    settings,
    (orders) => orders.map(() => undefined),
  );
}
