/** Days of cover and the stock beyond a target cover: money tied up on the shelf. */

export interface Cover {
  /** On hand ÷ average daily demand; null when nothing was demanded (cover is endless). */
  daysOfCover: number | null;
  /** Units beyond what `thresholdDays` of demand would use up. */
  excessUnits: number;
}

export function coverOf(onHand: number, averageDaily: number, thresholdDays: number): Cover {
  if (averageDaily <= 0) return { daysOfCover: null, excessUnits: Math.max(0, onHand) };
  // Rounded up: the units the threshold needs are whole units, none of them excess.
  const needed = Math.ceil(averageDaily * thresholdDays - 1e-9);
  return { daysOfCover: onHand / averageDaily, excessUnits: Math.max(0, onHand - needed) };
}
