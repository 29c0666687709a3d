/** Summary statistics for the reports: plain numbers in, plain numbers out. */

export const roundTo = (value: number, places: number): number =>
  Math.round(value * 10 ** places) / 10 ** places;

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/**
 * The p-th percentile (0 ≤ p ≤ 1) by linear interpolation between the closest ranks (the
 * method spreadsheets and numpy use by default), so the median of [1, 2, 3, 4] is 2.5 and
 * a p90 over few samples moves smoothly instead of jumping to the maximum.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (rank - lower);
}

export const median = (values: readonly number[]): number | null => percentile(values, 0.5);

/** Whole and fractional days between two ISO timestamps. */
export function daysBetween(fromIso: string, toIso: string): number {
  return (Date.parse(toIso) - Date.parse(fromIso)) / 86_400_000;
}

/** Days from one ISO date to another (negative when `to` is earlier). */
export function calendarDaysBetween(from: string, to: string): number {
  return Math.round(daysBetween(`${from}T00:00:00Z`, `${to}T00:00:00Z`));
}
