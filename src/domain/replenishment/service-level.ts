/**
 * Service-level targets: per item when set, else by ABC class (the items that carry most
 * of the value get the highest target, since a stock-out there loses the most).
 */

export type AbcClass = 'A' | 'B' | 'C';

/** Cycle service level per ABC class, when the item sets none of its own. */
export const DEFAULT_SERVICE_LEVELS: Readonly<Record<AbcClass, number>> = Object.freeze({
  A: 0.98,
  B: 0.95,
  C: 0.9,
});

/** Cumulative shares of total value that close class A and class B. */
export const ABC_BOUNDS = Object.freeze({ A: 0.8, B: 0.95 });

export function serviceLevelFor(input: {
  override: number | null;
  abcClass: AbcClass;
  defaults?: Readonly<Record<AbcClass, number>>;
}): number {
  return input.override ?? (input.defaults ?? DEFAULT_SERVICE_LEVELS)[input.abcClass];
}

/**
 * ABC classes by value (e.g. forecast units × unit cost over a period). Ranked by value,
 * highest first: a key is A while the keys ranked above it hold less than 80% of the
 * total (so the key that crosses 80% is still A), B while they hold less than 95%, C
 * after that. Keys with no value (≤ 0) are C. Equal values rank by key, so the answer does
 * not depend on the order of the input.
 */
export function abcClasses<K extends string | number>(
  values: ReadonlyMap<K, number>,
): Map<K, AbcClass> {
  const ranked = [...values.entries()].sort(
    ([ka, va], [kb, vb]) =>
      vb - va || (String(ka) < String(kb) ? -1 : String(ka) > String(kb) ? 1 : 0),
  );
  const total = ranked.reduce((sum, [, v]) => sum + Math.max(0, v), 0);
  const classes = new Map<K, AbcClass>();
  let above = 0;
  for (const [key, value] of ranked) {
    if (!(value > 0)) classes.set(key, 'C');
    else if (above < ABC_BOUNDS.A * total) classes.set(key, 'A');
    else if (above < ABC_BOUNDS.B * total) classes.set(key, 'B');
    else classes.set(key, 'C');
    above += Math.max(0, value);
  }
  return classes;
}
