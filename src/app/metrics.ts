import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { lookupBatchStats } from '../availability/availability.repository.js';
import type { AppContext } from '../kernel/context.js';
import type { GroupCommitStats } from '../kernel/group-commit/group-commit.js';
import {
  deadByKind,
  failedAttemptsByVia,
  pendingByKind,
} from '../messaging/outbox-metrics.repository.js';
import { countOrderEvents, countRefusedOrders } from '../orders/order-metrics.repository.js';

/**
 * GET /metrics in the Prometheus text format (admin key).
 *
 * Two kinds of figure. What this process saw (HTTP requests, the connection pool) lives
 * in a registry per app, so tests building many apps never mix their counts. What the
 * business did (orders, the outbox, failed deliveries) is read from the database at each
 * scrape: every process writes there, so all of them report the same totals, a restart
 * loses nothing, and there is no counter to forget in a new code path.
 */

/** What pg.Pool tells about its connections (PostgreSQL only). */
export interface PoolUsage {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

export interface MetricsOptions {
  pool?: PoolUsage | undefined;
  /**
   * The order batcher's running counts (src/kernel/group-commit/group-commit.ts): its
   * batches of orders, and its batches of refusals.
   */
  groupCommit?: { orders: GroupCommitStats; refusals: GroupCommitStats } | undefined;
}

/** Seconds; from a cached read (~1 ms) to a slow report or a stuck database. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Process metrics (CPU, memory, event-loop lag, GC) describe the process, not an app,
 * and prom-client's collector starts timers: one registry for them per process.
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export function installMetrics(
  app: FastifyInstance,
  ctx: AppContext,
  options: MetricsOptions = {},
): void {
  const registry = new Registry();
  const requests = new Counter({
    name: 'stockroom_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status code',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'stockroom_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its answer, by route pattern, method and status code',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const business = businessMetrics(registry, ctx);
  if (options.pool) poolMetrics(registry, options.pool);
  if (options.groupCommit) {
    const { orders, refusals } = options.groupCommit;
    groupCommitMetrics(registry, 'order', () => orders, {
      batches: 'Transactions that placed a batch of orders (this process)',
      requests:
        'Order requests gathered into batches (this process); divided by batches, the mean size',
      failed:
        'Batches that failed as a whole, whose orders were then placed one by one (this process)',
    });
    groupCommitMetrics(registry, 'refusal', () => refusals, {
      batches: 'Transactions that recorded a batch of refused orders (this process)',
      requests:
        'Refused orders gathered into batches (this process); divided by batches, the mean size',
      failed: 'Batches of refusals that failed as a whole, each then recorded alone (this process)',
    });
  }

  if (ctx.dbKind === 'postgres') {
    groupCommitMetrics(registry, 'lookup', () => lookupBatchStats(ctx.db), {
      batches: 'Statements that answered a batch of single-item look-ups (this process)',
      requests:
        'Single-item look-ups gathered into batches (this process); divided by batches, the mean size',
      failed: 'Batches of look-ups whose statement failed, failing each of them (this process)',
    });
  }

  app.addHook('onResponse', (request, reply, done) => {
    // The pattern (/v1/orders/:id), never the raw URL: ids and junk paths would make a
    // new series each. Requests that matched no route share one label.
    const labels = {
      route: request.routeOptions.url ?? 'unmatched',
      method: request.method,
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    latency.observe(labels, reply.elapsedTime / 1000);
    done();
  });

  app.get(
    '/metrics',
    // Admin only: the figures reveal trading volume. Documented in docs/operations.md.
    { config: { access: ['admin'] }, schema: { hide: true } },
    async (_request, reply) => {
      await business.refresh();
      // Both end their text with a newline, so they join into one exposition.
      const text = (await registry.metrics()) + (await processMetrics().metrics());
      return reply.type(registry.contentType).send(text);
    },
  );
}

function businessMetrics(registry: Registry, ctx: AppContext) {
  const registers = [registry];
  const placed = new Counter({
    name: 'stockroom_orders_placed_total',
    help: 'Orders placed, by channel (all processes; counted in the database)',
    labelNames: ['channel'] as const,
    registers,
  });
  const backordered = new Counter({
    name: 'stockroom_orders_backordered_total',
    help: 'Orders placed with at least one backordered line, by channel (counted in the database)',
    labelNames: ['channel'] as const,
    registers,
  });
  const refused = new Counter({
    name: 'stockroom_orders_refused_total',
    help: 'Orders refused (409 ORDER_REFUSED), each counted once however often retried (counted in the database)',
    registers,
  });
  const pending = new Gauge({
    name: 'stockroom_outbox_pending_messages',
    help: 'Messages and webhook deliveries waiting to be sent, by transport and kind',
    labelNames: ['transport', 'kind'] as const,
    registers,
  });
  const oldest = new Gauge({
    name: 'stockroom_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest message still waiting to be sent, by transport and kind',
    labelNames: ['transport', 'kind'] as const,
    registers,
  });
  const dead = new Gauge({
    name: 'stockroom_outbox_dead_letters',
    help: 'Messages that used up their attempts and will not be retried, by transport and kind',
    labelNames: ['transport', 'kind'] as const,
    registers,
  });
  const failures = new Counter({
    name: 'stockroom_dispatcher_failed_attempts_total',
    help: 'Failed delivery attempts by every dispatcher, by route taken (smtp, sms-http, webhook, log)',
    labelNames: ['via'] as const,
    registers,
  });

  return {
    /** Reads every database figure afresh; a series whose rows are gone disappears. */
    async refresh() {
      const [orderEvents, refusedCount, pendingRows, deadRows, failedRows] = await Promise.all([
        countOrderEvents(ctx.db),
        countRefusedOrders(ctx.db),
        pendingByKind(ctx.db),
        deadByKind(ctx.db),
        failedAttemptsByVia(ctx.db),
      ]);
      const now = ctx.clock.now().getTime();
      for (const metric of [placed, backordered, refused, pending, oldest, dead, failures])
        metric.reset();
      for (const row of orderEvents) {
        (row.type === 'order.placed' ? placed : backordered).inc(
          { channel: row.channel },
          row.count,
        );
      }
      refused.inc(refusedCount);
      for (const row of pendingRows) {
        const labels = { transport: row.transport, kind: row.kind };
        pending.set(labels, row.count);
        const since = row.oldest ? Date.parse(row.oldest) : Number.NaN;
        if (Number.isFinite(since)) oldest.set(labels, Math.max(0, (now - since) / 1000));
      }
      for (const row of deadRows) dead.set({ transport: row.transport, kind: row.kind }, row.count);
      for (const row of failedRows) failures.inc({ via: row.via }, row.count);
    },
  };
}

/** One of this process's group commits: read when scraped from its counts. */
function groupCommitMetrics(
  registry: Registry,
  kind: 'order' | 'refusal' | 'lookup',
  stats: () => GroupCommitStats | undefined,
  help: { batches: string; requests: string; failed: string },
) {
  const counter = (name: string, help: string, read: () => number) => {
    let reported = 0;
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.inc(read() - reported);
        reported = read();
      },
    });
  };
  counter(`stockroom_${kind}_batches_total`, help.batches, () => stats()?.batches ?? 0);
  counter(`stockroom_${kind}_batch_requests_total`, help.requests, () => stats()?.inputs ?? 0);
  counter(`stockroom_${kind}_batch_failures_total`, help.failed, () => stats()?.failed ?? 0);
}

/** Read when scraped: pg.Pool keeps these counts itself. */
function poolMetrics(registry: Registry, pool: PoolUsage) {
  new Gauge({
    name: 'stockroom_db_pool_connections',
    help: 'PostgreSQL pool connections: total open, idle, and requests waiting for one',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
}
