import { dayNumber, dayOfWeek, yearMonth } from '../src/domain/forecasting/calendar-days.js';
import type { SeriesHistory } from '../src/domain/forecasting/types.js';

/**
 * The reference: series mean × day-of-week factor × month factor × latest year's
 * level, the factors being global averages over all series relative to the overall mean.
 */
export function globalCalendarBaseline(
  histories: readonly SeriesHistory[],
  horizon: number,
): number[][] {
  const dowSum = new Array(7).fill(0);
  const dowCount = new Array(7).fill(0);
  const monthSum = new Array(12).fill(0);
  const monthCount = new Array(12).fill(0);
  const yearSum = new Map<number, number>();
  const yearCount = new Map<number, number>();
  let sum = 0;
  let count = 0;
  let lastYear = 0;
  for (const h of histories) {
    const start = dayNumber(h.start);
    h.quantities.forEach((q, t) => {
      const day = start + t;
      const { year, month } = yearMonth(day);
      dowSum[dayOfWeek(day)] += q;
      dowCount[dayOfWeek(day)]++;
      monthSum[month] += q;
      monthCount[month]++;
      yearSum.set(year, (yearSum.get(year) ?? 0) + q);
      yearCount.set(year, (yearCount.get(year) ?? 0) + 1);
      sum += q;
      count++;
      lastYear = Math.max(lastYear, year);
    });
  }
  const mean = sum / count;
  const yearLevel = yearSum.get(lastYear)! / yearCount.get(lastYear)! / mean;
  return histories.map((h) => {
    const seriesMean = h.quantities.reduce((a, b) => a + b, 0) / h.quantities.length;
    const from = dayNumber(h.start) + h.quantities.length;
    return Array.from({ length: horizon }, (_, k) => {
      const day = from + k;
      const { month } = yearMonth(day);
      return (
        seriesMean *
        (dowSum[dayOfWeek(day)] / dowCount[dayOfWeek(day)] / mean) *
        (monthSum[month] / monthCount[month] / mean) *
        yearLevel
      );
    });
  });
}
