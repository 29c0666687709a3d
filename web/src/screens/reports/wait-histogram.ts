/** A bin of the wait histogram: lines whose item waited, on average, [from, to) days. */
export interface WaitBin {
  label: string;
  lines: number;
}

const NICE_WIDTHS = [1, 2, 5, 7, 10, 14, 30, 60, 90];

/**
 * Lines binned by their item's mean wait. The report gives the waits per item (mean,
 * median, p90), not per line, so each item's lines count in the bin of its mean: a
 * histogram of how long the typical line of each item waited. Bins are a round width
 * (days, a week, a month) chosen so there are at most eight.
 */
export function waitHistogram(
  rows: readonly { lines: number; waitDaysMean: number | null }[],
): WaitBin[] {
  const measured = rows.filter((r) => r.waitDaysMean !== null && r.lines > 0);
  if (measured.length === 0) return [];
  const max = Math.max(...measured.map((r) => r.waitDaysMean!));
  const width = NICE_WIDTHS.find((w) => max / w < 8) ?? Math.ceil(max / 8);
  const count = Math.floor(max / width) + 1;
  const bins = Array.from({ length: count }, (_, i) => ({
    label: `${i * width}–${(i + 1) * width} d`,
    lines: 0,
  }));
  for (const row of measured) bins[Math.floor(row.waitDaysMean! / width)]!.lines += row.lines;
  return bins;
}
