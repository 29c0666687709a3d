/** Why, by whom and when the queue of an item changes: written on every row it touches. */
export interface QueueChange {
  reason: string;
  actor: string;
  now: string;
}

/** Slices of a list small enough for one statement's bound parameters on both engines. */
export function chunks<T>(list: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
