import type { FastifyBaseLogger } from 'fastify';
import { syncProjectedShortages } from '../../alerts/projected-shortages.js';
import type { AppContext } from '../../kernel/context.js';
import {
  type RefreshOutcome,
  refreshSuggestions,
} from '../../replenishment/refresh-suggestions.js';
import type { PeriodicJob } from './periodic.js';

const DAY_MS = 86_400_000;

export interface ReplenishmentRefresh {
  outcome: RefreshOutcome;
  alerts: { opened: number; resolved: number };
}

/**
 * The whole refresh: suggested purchase orders recomputed, then the shortage_ahead alerts
 * made to match the projected stock-outs. The nightly job, the CLI and the HTTP route all
 * run this, so they cannot drift apart.
 */
export async function refreshReplenishment(ctx: AppContext): Promise<ReplenishmentRefresh> {
  const outcome = await refreshSuggestions(ctx);
  return { outcome, alerts: await alertShortages(ctx, outcome) };
}

/** The alerts half, for the route (which runs the refresh itself). */
export const alertShortages = (ctx: AppContext, outcome: RefreshOutcome) =>
  syncProjectedShortages(ctx, outcome.shortages);

/** Milliseconds from `now` to the next `hour`:00 UTC (a full day when it is that instant). */
export function msUntilHour(now: Date, hour: number): number {
  const next = new Date(now);
  next.setUTCHours(hour, 0, 0, 0);
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next.getTime() - now.getTime();
}

/**
 * Nightly, at `hourUtc`: the refresh reads every series and forecasts each, so it runs
 * when the shop is quiet, and its answer is about days, not minutes.
 */
export function replenishmentJob(
  ctx: AppContext,
  hourUtc: number,
  log: FastifyBaseLogger,
): PeriodicJob {
  return {
    name: 'replenishment',
    intervalMs: DAY_MS,
    firstDelayMs: msUntilHour(ctx.clock.now(), hourUtc),
    run: async () => {
      const { outcome, alerts } = await refreshReplenishment(ctx);
      log.info(
        {
          suggestions: outcome.suggestions,
          lines: outcome.lines,
          shortages: outcome.shortages.length,
          ...alerts,
        },
        'replenishment suggestions refreshed',
      );
      return false;
    },
  };
}
