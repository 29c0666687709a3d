import { requireChannel } from '../catalogue/channels.service.js';
import { requireLocation } from '../catalogue/locations.service.js';
import type { AppContext } from '../kernel/context.js';
import { requireSupplier } from '../purchasing/suppliers.service.js';
import { addDays, isoDate } from '../shared/dates.js';
import { BadRequestError, NotFoundError } from '../shared/errors.js';
import type { ReportFilter } from './report-filters.js';
import { categoryExists } from './sales.repository.js';

/** The period and filters every report shares: defaults, checks and codes turned into ids. */

export const DEFAULT_PERIOD_DAYS = 90;
/** Ten years: longer periods say nothing more and only make the day-by-day walks slow. */
export const MAX_PERIOD_DAYS = 3660;

export interface ScopeQuery {
  from?: string;
  to?: string;
  location?: string;
  category?: string;
  supplier?: string;
  channel?: string;
}

export interface ReportScope extends ReportFilter {
  /** Last day included (ISO date). */
  to: string;
  /** Days in the period, both ends included. */
  days: number;
  today: string;
}

/**
 * `to` defaults to today (the context's clock), and a later `to` is cut back to today:
 * days that have not happened have no stock-outs or sales to report, and counting them
 * would dilute every rate. `from` defaults to 90 days ending on `to`. A
 * period that ends before it starts, or spans more than ten years, is a 400; unknown
 * codes are the 404s their own routes give.
 */
export async function resolveScope(ctx: AppContext, query: ScopeQuery): Promise<ReportScope> {
  const today = isoDate(ctx.clock.now());
  const to = query.to === undefined || query.to > today ? today : query.to;
  const from = query.from ?? addDays(to, 1 - DEFAULT_PERIOD_DAYS);
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
  checkOrder(from, to);
  if (days > MAX_PERIOD_DAYS)
    throw new BadRequestError(
      'PERIOD_TOO_LONG',
      `A report covers at most ${MAX_PERIOD_DAYS} days`,
      {
        from,
        to,
        days,
        maxDays: MAX_PERIOD_DAYS,
      },
    );
  return { from, to, until: addDays(to, 1), days, today, ...(await resolveFilters(ctx, query)) };
}

/** The location, category, supplier and channel codes of a query as ids; unknown ones are 404s. */
export async function resolveFilters(
  ctx: AppContext,
  query: ScopeQuery,
): Promise<Pick<ReportFilter, 'locationId' | 'category' | 'supplierId' | 'channelId'>> {
  const filters: Pick<ReportFilter, 'locationId' | 'category' | 'supplierId' | 'channelId'> = {};
  if (query.location !== undefined)
    filters.locationId = (await requireLocation(ctx.db, query.location)).id;
  if (query.category !== undefined) {
    if (!(await categoryExists(ctx.db, query.category)))
      throw new NotFoundError('CATEGORY_NOT_FOUND', `No item has category ${query.category}`, {
        category: query.category,
      });
    filters.category = query.category;
  }
  if (query.supplier !== undefined)
    filters.supplierId = (await requireSupplier(ctx.db, query.supplier)).id;
  if (query.channel !== undefined)
    filters.channelId = (await requireChannel(ctx.db, query.channel)).id;
  return filters;
}

/** A period ending before it starts is a 400, whichever report it is for. */
export function checkOrder(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && to !== undefined && from > to)
    throw new BadRequestError('INVALID_PERIOD', `from (${from}) is after to (${to})`, { from, to });
}

/** The period a report states it covers. */
export const periodOf = (scope: ReportScope) => ({ from: scope.from, to: scope.to });
