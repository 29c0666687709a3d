/**
 * Supplier performance from purchase-order history (DESIGN section 6): lead time mean
 * and spread, on-time rate against the first promised date, and fill rate.
 */

export interface LineRecord {
  ordered: number;
  received: number;
  cancelled: number;
  /** When the order was sent (ISO timestamp). */
  sentAt: string;
  /** The expected date promised when it was sent (ISO date). */
  firstExpectedDate: string;
  /** When nothing more was open: last unit received or remainder closed (ISO timestamp). */
  completedAt: string | null;
  /** When the last unit so far arrived (ISO timestamp), if any did. */
  lastReceivedAt: string | null;
}

export interface Performance {
  /** Lines considered (sent at some point). */
  lines: number;
  leadTimeDays: { mean: number; stdDev: number; samples: number } | null;
  /** Share of due lines delivered in full by their first promised date. */
  onTimeRate: number | null;
  onTimeSamples: number;
  /** Units received (up to what was ordered) ÷ units ordered, over finished lines. */
  fillRate: number | null;
}

const DAY_MS = 86_400_000;
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

function daysBetween(fromIso: string, toIso: string): number {
  return (Date.parse(toIso) - Date.parse(fromIso)) / DAY_MS;
}

/**
 * `today` (ISO date) decides which unfinished lines are already late: a line still open
 * after its first promised date counts as late; one not yet due is left out.
 */
export function computePerformance(records: readonly LineRecord[], today: string): Performance {
  const leadTimes: number[] = [];
  let onTime = 0;
  let due = 0;
  let filled = 0;
  let ordered = 0;

  for (const r of records) {
    const delivered = r.completedAt !== null && r.lastReceivedAt !== null;
    // Lead time: sent → last unit in, for lines that were delivered and are finished.
    // (Orders we cancelled ourselves are left out before this point, by the caller.)
    if (delivered) leadTimes.push(daysBetween(r.sentAt, r.lastReceivedAt!));
    // On time: everything that came (a line closed short included) had come by the first
    // promised date; what did not come at all shows in the fill rate instead.
    const deliveredOnDate = delivered && r.lastReceivedAt!.slice(0, 10) <= r.firstExpectedDate;
    if (delivered || r.firstExpectedDate < today) {
      due += 1;
      if (deliveredOnDate) onTime += 1;
    }
    // Fill rate: only over finished lines, and an over-receipt counts as 100 %.
    if (r.completedAt !== null) {
      ordered += r.ordered;
      filled += Math.min(r.received, r.ordered);
    }
  }

  return {
    lines: records.length,
    leadTimeDays: leadTimes.length === 0 ? null : spread(leadTimes),
    onTimeRate: due === 0 ? null : round(onTime / due, 4),
    onTimeSamples: due,
    fillRate: ordered === 0 ? null : round(filled / ordered, 4),
  };
}

/** Mean and sample standard deviation (n − 1), in days to one decimal. */
function spread(values: readonly number[]) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance =
    values.length < 2
      ? 0
      : values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean: round(mean, 1), stdDev: round(Math.sqrt(variance), 1), samples: values.length };
}
