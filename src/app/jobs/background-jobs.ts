import type { FastifyBaseLogger } from 'fastify';
import { sweepAlerts } from '../../alerts/alerts-sweep.js';
import { watchAvailability } from '../../availability/availability-watcher.js';
import { isConnectionLoss, isDatabaseBusy } from '../../db/errors.js';
import type { AppContext } from '../../kernel/context.js';
import { sweepLapsedHolds } from '../../kernel/holds/release-holds.js';
import { type Dispatcher, dispatchOnce } from '../../messaging/dispatcher.js';
import { repromiseOverdue } from '../../orders/overdue.service.js';
import { runDueWaves } from '../../subscriptions/due-waves.js';
import type { Config } from '../config.js';
import { type PeriodicJob, type RunningJobs, startJobs } from './periodic.js';
import { replenishmentJob } from './replenishment-job.js';

/**
 * The work a server process does besides answering requests. Every job is safe to run in
 * several processes on one PostgreSQL at once (claims skip locked rows; conditional
 * updates decide who acts), so scaling out needs no leader election.
 */
export function startBackgroundJobs(
  ctx: AppContext,
  config: Pick<
    Config,
    | 'dispatch'
    | 'watchIntervalMs'
    | 'alertIntervalMinutes'
    | 'repromiseIntervalMinutes'
    | 'replenishmentHourUtc'
  >,
  dispatcher: Dispatcher,
  log: FastifyBaseLogger,
): RunningJobs {
  const jobs: PeriodicJob[] = [];
  if (config.dispatch.intervalMs > 0) {
    jobs.push({
      name: 'dispatch',
      intervalMs: config.dispatch.intervalMs,
      firstDelayMs: 0,
      run: async () => {
        const result = await dispatchOnce(ctx, dispatcher);
        if (result.dead > 0) log.warn({ ...result }, 'messages became dead letters');
        return result.claimed === config.dispatch.batchSize;
      },
    });
  }
  if (config.watchIntervalMs > 0) jobs.push(watchJob(ctx, config.watchIntervalMs, log));
  if (config.alertIntervalMinutes > 0) {
    jobs.push(alertsJob(ctx, config.alertIntervalMinutes * 60_000, log));
  }
  if (config.repromiseIntervalMinutes > 0) {
    jobs.push({
      name: 'overdue',
      intervalMs: config.repromiseIntervalMinutes * 60_000,
      firstDelayMs: 1_000,
      run: async () => {
        const { items } = await repromiseOverdue(ctx);
        if (items > 0) log.info({ items }, 're-promised backorders resting on overdue supply');
        return false;
      },
    });
  }
  jobs.push(holdsJob(ctx, log));
  if (config.replenishmentHourUtc !== null) {
    jobs.push(replenishmentJob(ctx, config.replenishmentHourUtc, log));
  }
  return startJobs(jobs, {
    onError(job, error, failures) {
      if (isConnectionLoss(error) || isDatabaseBusy(error)) {
        // An outage: one line when it starts, without the stack; the job backs off and
        // tries again, and says so when it works again.
        if (failures === 1) {
          log.warn(
            { job, reason: (error as Error).message },
            `${job} job: database unavailable; retrying with backoff`,
          );
        }
        return;
      }
      log.error({ err: error, job, failures }, `${job} job failed`);
    },
    onRecovered(job, failures) {
      log.info({ job, failures }, `${job} job: database back; resumed`);
    },
  });
}

/** Availability changes into snapshots, events and their reactions; then the due waves. */
function watchJob(ctx: AppContext, intervalMs: number, log: FastifyBaseLogger): PeriodicJob {
  return {
    name: 'watch',
    intervalMs,
    firstDelayMs: 0,
    run: async () => {
      const watched = await watchAvailability(ctx);
      const waves = await runDueWaves(ctx);
      if (watched.notified + waves.notified > 0) {
        log.info({ notified: watched.notified + waves.notified }, 'notified subscribers');
      }
      // Changes keep coming while stock moves: go again until a pass finds none.
      return watched.items > 0;
    },
  };
}

/**
 * Lapsed checkout holds give their units back. Reads already leave them out and writers
 * free them lazily, so the sweep only keeps stock.reserved honest; every 10 s is plenty.
 */
function holdsJob(ctx: AppContext, log: FastifyBaseLogger): PeriodicJob {
  const batch = 100;
  return {
    name: 'holds',
    intervalMs: 10_000,
    firstDelayMs: 1_500,
    run: async () => {
      const expired = await sweepLapsedHolds(ctx, batch);
      if (expired > 0) log.info({ expired }, 'released expired holds');
      return expired === batch;
    },
  };
}

function alertsJob(ctx: AppContext, intervalMs: number, log: FastifyBaseLogger): PeriodicJob {
  return {
    name: 'alerts',
    intervalMs,
    firstDelayMs: 2_000,
    run: async () => {
      const { opened, resolved } = await sweepAlerts(ctx);
      if (opened + resolved > 0) log.info({ opened, resolved }, 'staff alerts swept');
      return false;
    },
  };
}
