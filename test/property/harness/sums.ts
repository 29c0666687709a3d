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

export function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
