import { formatDate, formatQuantity } from '../../components/format';

/** How many bars a ranked chart draws: beyond that labels collide; the table has the rest. */
export const TOP_BARS = 15;

/** "Kettle (KET-01)", or with a location "Kettle (KET-01) at S1". */
export function itemLabel(row: { sku: string; name: string }, location?: string): string {
  const item = `${row.name} (${row.sku})`;
  return location === undefined ? item : `${item} at ${location}`;
}

export function percent(value: number | null): string {
  return value === null ? '—' : `${formatQuantity(Math.round(value * 1000) / 10)}%`;
}

export function daysText(value: number | null): string {
  return value === null ? '—' : `${formatQuantity(Math.round(value * 10) / 10)} d`;
}

/** "A, B and C" */
export function listText(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** "6 Nov 2026 – 5 Dec 2026" in the browser's locale. */
export function periodText(from: string | null, to: string | null): string {
  return `${formatDate(from)} – ${formatDate(to)}`;
}

/** "1 item", "3 items". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
