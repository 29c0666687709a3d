/**
 * Which events a live-stream client asked for: public type names ("order.placed"), whole
 * families ("order.*") or everything, and optionally one channel.
 */
export interface EventFilter {
  /** Exact names and family prefixes ("order."); null: every type. */
  types: { exact: ReadonlySet<string>; prefixes: readonly string[] } | null;
  /** Only events of this channel (events concerning no channel are left out); null: all. */
  channel: string | null;
}

export interface FilteredEvent {
  type: string;
  channel: string | null;
}

export type ParsedTypes =
  | { ok: true; types: EventFilter['types'] }
  | { ok: false; unknown: string[] };

/**
 * Reads `order.placed,po.*`. A name must be one of `known`, and a family must contain at
 * least one of them: a misspelt filter would otherwise wait silently for events that never
 * come.
 */
export function parseEventTypes(spec: string, known: readonly string[]): ParsedTypes {
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (entries.length === 0 || entries.includes('*')) return { ok: true, types: null };
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const unknown: string[] = [];
  for (const entry of entries) {
    if (entry.endsWith('.*')) {
      const prefix = entry.slice(0, -1);
      if (known.some((type) => type.startsWith(prefix))) prefixes.push(prefix);
      else unknown.push(entry);
    } else if (known.includes(entry)) {
      exact.add(entry);
    } else {
      unknown.push(entry);
    }
  }
  return unknown.length > 0 ? { ok: false, unknown } : { ok: true, types: { exact, prefixes } };
}

export function matchesFilter(event: FilteredEvent, filter: EventFilter): boolean {
  if (filter.channel !== null && event.channel !== filter.channel) return false;
  const types = filter.types;
  if (types === null) return true;
  return types.exact.has(event.type) || types.prefixes.some((p) => event.type.startsWith(p));
}
