import type { Confidence } from './item-rules.js';

/** A line's promise: when its waiting units reach the customer, and how sure that is. */
export interface LineDate {
  date: string | null;
  confidence: Confidence | null;
}

/**
 * The promise of a line that had units waiting (or none) once more units wait on it (an
 * increase backordering part): one date covers every waiting unit, so the later of the
 * two, estimated if either is. A line with units waiting undated stays undated: the
 * re-plan that finds them supply dates the line. `added.date` is null only when the new
 * units could not be dated either.
 */
export function promiseAfterGrowth(
  current: LineDate,
  currentUnpromised: number,
  added: LineDate,
): LineDate {
  if (currentUnpromised > 0 || added.date === null) return { date: null, confidence: null };
  if (current.date === null) return added;
  // ISO dates: the later sorts last.
  const date = [current.date, added.date].sort().at(-1)!;
  const estimated = current.confidence === 'estimated' || added.confidence === 'estimated';
  return { date, confidence: estimated ? 'estimated' : 'confirmed' };
}
