import { type BackorderedLine, summariseWaits } from '../domain/reports/backorder-waits.js';
import { compareText } from '../domain/reports/growth.js';
import type { AppContext } from '../kernel/context.js';
import { fromCents } from '../shared/money.js';
import {
  backorderedEvents,
  linesPlacedBetween,
  lostUnits,
  promiseChangesBetween,
} from './order-history.repository.js';
import { periodOf, type ReportScope } from './report-scope.js';
import type { BackorderWaitRow, LostDemandRow } from './reports.schemas.js';

/** Refused units and what they would have brought in at today's price, per item and channel. */
export async function lostDemandReport(ctx: AppContext, scope: ReportScope, limit: number) {
  const rows: LostDemandRow[] = (await lostUnits(ctx.db, scope)).map((r) => ({
    sku: r.sku,
    name: r.name,
    category: r.category,
    channel: r.channel,
    units: r.units,
    value: fromCents(r.units * r.price_cents),
  }));
  rows.sort(
    (a, b) =>
      b.value - a.value ||
      b.units - a.units ||
      compareText(a.sku, b.sku) ||
      compareText(a.channel, b.channel),
  );
  const totals = {
    units: rows.reduce((sum, r) => sum + r.units, 0),
    value: fromCents(rows.reduce((sum, r) => sum + Math.round(r.value * 100), 0)),
  };
  return { ...periodOf(scope), totals, rows: rows.slice(0, limit) };
}

interface EventLine {
  line: number;
  backordered: number;
  promisedDate: string | null;
}

/**
 * The lines backordered when their order was placed, with the date first promised: the
 * `order.backordered` event keeps it (a later fill clears the line's own promise), and a
 * line placed without a date takes the first one a re-plan gave it.
 */
async function backorderedLines(ctx: AppContext, scope: ReportScope) {
  const firstPromise = new Map<string, string | null>();
  for (const event of await backorderedEvents(ctx.db, scope)) {
    const orderId = event.subject.replace(/^order:/, '');
    const payload = JSON.parse(event.payload) as { lines?: EventLine[] };
    for (const line of payload.lines ?? [])
      if (line.backordered > 0) firstPromise.set(`${orderId}/${line.line}`, line.promisedDate);
  }
  const lines = (await linesPlacedBetween(ctx.db, scope)).filter((l) =>
    firstPromise.has(`${l.order_id}/${l.line_no}`),
  );
  const laterPromise = new Map<number, string>();
  for (const change of await promiseChangesBetween(ctx.db, scope)) {
    const first = change.old_date ?? change.new_date;
    if (first !== null && !laterPromise.has(change.order_line_id))
      laterPromise.set(change.order_line_id, first);
  }
  return lines.map((l) => {
    const waiting = l.quantity_backordered + l.quantity_allocated > 0;
    const record: BackorderedLine = {
      placedAt: l.placed_at,
      firstPromisedDate:
        firstPromise.get(`${l.order_id}/${l.line_no}`) ?? laterPromise.get(l.id) ?? null,
      deliveredAt: !waiting && l.quantity_fulfilled > 0 ? l.last_shipped_at : null,
      stillWaiting: waiting,
    };
    return { line: l, record };
  });
}

/** Per item, most lines first, with the period's total as a row of its own. */
export async function backorderWaitReport(ctx: AppContext, scope: ReportScope, limit: number) {
  const now = ctx.clock.now().toISOString();
  const byItem = new Map<string, { name: string; category: string; records: BackorderedLine[] }>();
  const all: BackorderedLine[] = [];
  for (const { line, record } of await backorderedLines(ctx, scope)) {
    const item = byItem.get(line.sku) ?? { name: line.name, category: line.category, records: [] };
    item.records.push(record);
    byItem.set(line.sku, item);
    all.push(record);
  }
  const rows: BackorderWaitRow[] = [...byItem].map(([sku, item]) => ({
    sku,
    name: item.name,
    category: item.category,
    ...waitFigures(summariseWaits(item.records, now)),
  }));
  rows.sort((a, b) => b.lines - a.lines || compareText(a.sku, b.sku));
  const totals = waitFigures(summariseWaits(all, now));
  return { ...periodOf(scope), totals, rows: rows.slice(0, limit) };
}

function waitFigures(s: ReturnType<typeof summariseWaits>) {
  return {
    lines: s.lines,
    waiting: s.waiting,
    waitDaysMean: s.waitDays?.mean ?? null,
    waitDaysMedian: s.waitDays?.median ?? null,
    waitDaysP90: s.waitDays?.p90 ?? null,
    promisesMeasured: s.promisesMeasured,
    onTimeRate: s.onTimeRate,
    meanDaysLate: s.meanDaysLate,
  };
}
