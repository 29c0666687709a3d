/**
 * The days "this week" covers for purchase orders due: today and the six after it, as UTC
 * calendar days, the way the API compares expected dates.
 */
export function thisWeek(now: Date = new Date()): { from: string; to: string } {
  const day = (offset: number) =>
    new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  return { from: day(0), to: day(6) };
}
