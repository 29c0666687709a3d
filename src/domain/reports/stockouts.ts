/**
 * Stock-out days and episodes of one item at one location, from its ledger: each movement
 * leaves `onHandAfter`, and the level carries across days without movements.
 */

export interface LevelChange {
  /** ISO date (YYYY-MM-DD) of the movement. */
  day: string;
  onHandAfter: number;
}

export interface StockoutSpan {
  /** Days of the period on which on hand was 0 at any moment. */
  daysOut: number;
  /** Times the level reached 0 in the period, counting a period that opens at 0 as one. */
  episodes: number;
}

/**
 * `openingLevel` is on hand when the period starts (the last movement before it), or null
 * when the item had never moved there: it was not stocked at the location yet, so the days
 * before its first movement are not stock-outs. `changes` are the period's movements in
 * the order they happened; `from` and `to` are ISO dates, both included.
 */
export function stockoutSpan(
  openingLevel: number | null,
  changes: readonly LevelChange[],
  from: string,
  to: string,
): StockoutSpan {
  let level = openingLevel;
  let episodes = level === 0 ? 1 : 0;
  let daysOut = 0;
  let next = 0;
  for (let day = from; day <= to; day = nextDay(day)) {
    let out = level === 0;
    while (next < changes.length && changes[next]!.day <= day) {
      const after = changes[next]!.onHandAfter;
      if (after <= 0 && level !== 0) episodes += 1;
      if (after <= 0) out = true;
      level = after;
      next += 1;
    }
    if (out) daysOut += 1;
  }
  return { daysOut, episodes };
}

function nextDay(day: string): string {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + 1);
  return at.toISOString().slice(0, 10);
}
