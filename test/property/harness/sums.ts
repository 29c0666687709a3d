/** Grouping and summing rows read back, for the invariant checks. */

export const sumOf = (rows: readonly { quantity: number }[]) =>
  rows.reduce((sum, r) => sum + r.quantity, 0);

export function sumBy<T>(
  rows: readonly T[],
  key: (row: T) => string | number,
  value: (row: T) => number,
): Map<string | number, number> {
  const sums = new Map<string | number, number>();
  for (const row of rows) sums.set(key(row), (sums.get(key(row)) ?? 0) + value(row));
  return sums;
}

export { groupBy } from '../../../src/shared/group-by.js';
