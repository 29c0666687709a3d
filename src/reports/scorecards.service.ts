import { compareText } from '../domain/reports/growth.js';
import type { AppContext } from '../kernel/context.js';
import { listSupplierPerformance } from '../purchasing/supplier-performance.service.js';
import { isoDate } from '../shared/dates.js';
import { fromCents } from '../shared/money.js';
import { openPurchaseLines } from './purchasing-facts.repository.js';
import type { ScorecardRow } from './reports.schemas.js';

/**
 * One row per supplier: lead time, on-time and fill rates as the supplier-performance
 * service measures them (over every order ever sent), and what is open with them now.
 */
export async function supplierScorecards(ctx: AppContext, supplier?: string) {
  const today = isoDate(ctx.clock.now());
  const open = new Map<string, { value: number; lines: number; late: number }>();
  for (const line of await openPurchaseLines(ctx.db)) {
    const units = Math.max(
      0,
      line.quantity_ordered - line.quantity_received - line.quantity_cancelled,
    );
    if (units === 0) continue;
    const sums = open.get(line.supplier) ?? { value: 0, lines: 0, late: 0 };
    sums.value += units * line.unit_cost_cents;
    sums.lines += 1;
    if (line.expected_date < today) sums.late += 1;
    open.set(line.supplier, sums);
  }
  const rows: ScorecardRow[] = [];
  for (const performance of await listSupplierPerformance(ctx)) {
    if (supplier !== undefined && performance.supplier !== supplier) continue;
    const sums = open.get(performance.supplier) ?? { value: 0, lines: 0, late: 0 };
    const overall = performance.overall;
    rows.push({
      supplier: performance.supplier,
      linesSent: overall.lines,
      leadTimeMeanDays: overall.leadTimeDays?.mean ?? null,
      leadTimeStdDevDays: overall.leadTimeDays?.stdDev ?? null,
      onTimeRate: overall.onTimeRate,
      fillRate: overall.fillRate,
      openLines: sums.lines,
      openValue: fromCents(sums.value),
      linesLateNow: sums.late,
    });
  }
  rows.sort((a, b) => compareText(a.supplier, b.supplier));
  return { asOf: today, rows };
}
