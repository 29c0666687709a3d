import type { WaitingLine } from './types';

export interface QueueGroup {
  key: string;
  sku: string;
  name: string;
  location: string;
  /** Lines in queue order, each with its place in the item's whole queue (1 is next). */
  lines: { line: WaitingLine; place: number }[];
  units: number;
}

/**
 * Groups waiting lines by item × location, keeping queue order inside each group. A line
 * waiting at two locations (supply due at both) is listed under each. The place is counted
 * over the item's whole queue, as arrivals serve it, not per location.
 */
export function groupByItemAndLocation(lines: readonly WaitingLine[]): QueueGroup[] {
  const places = new Map<string, number>();
  const groups = new Map<string, QueueGroup>();
  for (const line of lines) {
    const place = (places.get(line.sku) ?? 0) + 1;
    places.set(line.sku, place);
    const locations = line.locations.length > 0 ? line.locations : ['—'];
    for (const location of locations) {
      const key = `${line.sku}@${location}`;
      let group = groups.get(key);
      if (group === undefined) {
        group = { key, sku: line.sku, name: line.name, location, lines: [], units: 0 };
        groups.set(key, group);
      }
      group.lines.push({ line, place });
      group.units += line.backordered;
    }
  }
  return [...groups.values()].sort(
    (a, b) => a.sku.localeCompare(b.sku) || a.location.localeCompare(b.location),
  );
}

/** Whole days since the order was placed ("today", "1 day", "12 days"). */
export function ageOf(orderedAt: string, now: Date = new Date()): string {
  const days = Math.floor((now.getTime() - new Date(orderedAt).getTime()) / 86_400_000);
  if (days <= 0) return 'today';
  return days === 1 ? '1 day' : `${days} days`;
}

export function orderLabel(line: WaitingLine): string {
  return line.reference ?? `#${line.orderId}`;
}
