/** Best sellers and emerging items: ranking by volume, and growth against a prior period. */

export interface Volume {
  key: string;
  units: number;
  value: number;
}

/** Largest first by the chosen measure, ties by the other measure, then by key. */
export function topBy(rows: readonly Volume[], by: 'units' | 'value', limit: number): Volume[] {
  const other = by === 'units' ? 'value' : 'units';
  return [...rows]
    .filter((r) => r.units > 0)
    .sort((a, b) => b[by] - a[by] || b[other] - a[other] || compareText(a.key, b.key))
    .slice(0, limit);
}

export interface Growth {
  key: string;
  units: number;
  previousUnits: number;
  /** (units − previous) ÷ previous; null when nothing sold before (a new seller). */
  growth: number | null;
}

/**
 * Items whose units grew against the previous period. `minUnits` keeps out the noise of
 * small numbers (1 → 3 is +200 % and means nothing): an item needs that many units in the
 * current period. New sellers (nothing before) come first, largest first, then by growth.
 */
export function emerging(
  current: ReadonlyMap<string, number>,
  previous: ReadonlyMap<string, number>,
  minUnits: number,
  limit: number,
): Growth[] {
  const rows: Growth[] = [];
  for (const [key, units] of current) {
    const previousUnits = previous.get(key) ?? 0;
    if (units < minUnits || units <= previousUnits) continue;
    const growth = previousUnits === 0 ? null : (units - previousUnits) / previousUnits;
    rows.push({ key, units, previousUnits, growth });
  }
  return rows
    .sort(
      (a, b) => rank(b.growth) - rank(a.growth) || b.units - a.units || compareText(a.key, b.key),
    )
    .slice(0, limit);
}

const rank = (growth: number | null) => (growth === null ? Number.POSITIVE_INFINITY : growth);

/** Code-point order, the same on every machine (PostgreSQL collations differ). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
