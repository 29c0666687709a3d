import {
  calendarDaysBetween,
  daysBetween,
  mean,
  median,
  percentile,
  roundTo,
} from './statistics.js';

/** A line that had units backordered when it was placed. */
export interface BackorderedLine {
  /** When the order was placed (ISO timestamp). */
  placedAt: string;
  /** The first date the customer was promised (ISO date); null if it never had one. */
  firstPromisedDate: string | null;
  /** When its last unit left (ISO timestamp); null while units still wait or when cancelled. */
  deliveredAt: string | null;
  /** Units still waiting or reserved but not yet shipped. */
  stillWaiting: boolean;
}

export interface WaitSummary {
  lines: number;
  /** Lines not yet delivered. */
  waiting: number;
  waitDays: { mean: number; median: number; p90: number } | null;
  /** Lines delivered, or overdue, measured against their first promised date. */
  promisesMeasured: number;
  /** Share of measured lines delivered by their first promised date. */
  onTimeRate: number | null;
  /** Mean days past the first promised date over the late lines (to today for open ones). */
  meanDaysLate: number | null;
}

/**
 * Waiting time runs from placing to the last shipment, or to `now` for lines still waiting;
 * a line cancelled before anything shipped has no wait to measure. Promise accuracy follows
 * the supplier on-time rule: a delivered line counts, an open one only once its first
 * promised date has passed (it is late whatever happens next).
 */
export function summariseWaits(lines: readonly BackorderedLine[], now: string): WaitSummary {
  const today = now.slice(0, 10);
  const waits: number[] = [];
  const lateDays: number[] = [];
  let measured = 0;
  let onTime = 0;
  for (const line of lines) {
    const end = line.deliveredAt ?? (line.stillWaiting ? now : null);
    if (end !== null) waits.push(daysBetween(line.placedAt, end));
    const promised = line.firstPromisedDate;
    if (promised === null || end === null) continue;
    const endDay = end.slice(0, 10);
    if (line.deliveredAt === null && promised >= today) continue;
    measured += 1;
    if (line.deliveredAt !== null && endDay <= promised) onTime += 1;
    else lateDays.push(calendarDaysBetween(promised, endDay));
  }
  return {
    lines: lines.length,
    waiting: lines.filter((l) => l.deliveredAt === null && l.stillWaiting).length,
    waitDays:
      waits.length === 0
        ? null
        : {
            mean: roundTo(mean(waits)!, 1),
            median: roundTo(median(waits)!, 1),
            p90: roundTo(percentile(waits, 0.9)!, 1),
          },
    promisesMeasured: measured,
    onTimeRate: measured === 0 ? null : roundTo(onTime / measured, 4),
    meanDaysLate: lateDays.length === 0 ? null : roundTo(mean(lateDays)!, 1),
  };
}
