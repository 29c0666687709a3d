/**
 * Seasonality per category: each calendar month's average daily units ÷ the average over
 * the whole range. 1.2 means the month sells 20 % above the category's usual day.
 */

export interface MonthIndex {
  /** 1–12. */
  month: number;
  /** Days of this calendar month inside the range, across all years. */
  days: number;
  units: number;
  averageDailyUnits: number;
  index: number | null;
}

/** Days of each calendar month (index 0 = January) between two ISO dates, both included. */
export function daysPerMonth(from: string, to: string): number[] {
  const days = new Array<number>(12).fill(0);
  const at = new Date(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  while (at.getTime() <= end) {
    days[at.getUTCMonth()]! += 1;
    at.setUTCDate(at.getUTCDate() + 1);
  }
  return days;
}

/**
 * `unitsByMonth[m]` are the units sold in calendar month m + 1 over the range; months the
 * range does not touch are left out. Zero units overall gives null indices (no scale).
 */
export function monthlyIndex(unitsByMonth: readonly number[], daysByMonth: readonly number[]) {
  const totalDays = daysByMonth.reduce((a, b) => a + b, 0);
  const totalUnits = unitsByMonth.reduce((a, b) => a + b, 0);
  const overall = totalDays === 0 ? 0 : totalUnits / totalDays;
  const rows: MonthIndex[] = [];
  for (let m = 0; m < 12; m += 1) {
    const days = daysByMonth[m] ?? 0;
    if (days === 0) continue;
    const units = unitsByMonth[m] ?? 0;
    const averageDailyUnits = units / days;
    rows.push({
      month: m + 1,
      days,
      units,
      averageDailyUnits,
      index: overall === 0 ? null : averageDailyUnits / overall,
    });
  }
  return rows;
}
