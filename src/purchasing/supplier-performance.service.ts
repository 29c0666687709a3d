import { computePerformance, type LineRecord } from '../domain/supplier-performance.js';
import type { AppContext } from '../kernel/context.js';
import { isoDate } from '../shared/dates.js';
import type { SentLineRow } from './supplier-performance.repository.js';
import * as repo from './supplier-performance.repository.js';
import type { SupplierRow } from './suppliers.repository.js';
import { listAllSuppliers } from './suppliers.repository.js';
import type { SupplierPerformance } from './suppliers.schemas.js';
import { requireSupplier } from './suppliers.service.js';

function toRecord(row: SentLineRow): LineRecord {
  return {
    ordered: row.quantity_ordered,
    // Units sent back were not delivered, as far as the fill rate is concerned.
    received: row.quantity_received - row.quantity_returned,
    cancelled: row.quantity_cancelled,
    sentAt: row.sent_at,
    // Sending records the first promised date; a line without one (written before that
    // rule, or by hand) is measured against the date it carries now.
    firstExpectedDate: row.first_expected_date ?? row.expected_date,
    completedAt: row.completed_at,
    lastReceivedAt: row.last_received_at,
  };
}

async function performanceOf(
  ctx: AppContext,
  supplier: SupplierRow,
  today: string,
): Promise<SupplierPerformance> {
  const rows = await repo.listSentLines(ctx.db, supplier.id);
  const bySku = new Map<string, LineRecord[]>();
  for (const row of rows) {
    const records = bySku.get(row.sku) ?? [];
    records.push(toRecord(row));
    bySku.set(row.sku, records);
  }
  return {
    supplier: supplier.code,
    overall: computePerformance(rows.map(toRecord), today),
    // Sorted here rather than in SQL: PostgreSQL's collation may order SKUs differently.
    items: [...bySku]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([sku, records]) => ({ sku, ...computePerformance(records, today) })),
  };
}

/** Today as the performance figures see it: lines still open after it are late. */
const todayOf = (ctx: AppContext) => isoDate(ctx.clock.now());

export async function getSupplierPerformance(
  ctx: AppContext,
  code: string,
): Promise<SupplierPerformance> {
  return performanceOf(ctx, await requireSupplier(ctx.db, code), todayOf(ctx));
}

/** Every supplier's performance, in the order they were created (the CLI report). */
export async function listSupplierPerformance(ctx: AppContext): Promise<SupplierPerformance[]> {
  const today = todayOf(ctx);
  const result: SupplierPerformance[] = [];
  for (const supplier of await listAllSuppliers(ctx.db)) {
    result.push(await performanceOf(ctx, supplier, today));
  }
  return result;
}
