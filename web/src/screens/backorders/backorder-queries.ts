import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { apiKey } from '../../api/query';
import type { BackorderFilters, WaitingLine } from './types';

/** Pages of the largest size the API allows; a queue longer than CAP lines is cut, and says so. */
const PAGE = 1000;
const CAP = 5000;

export interface WaitingResult {
  lines: WaitingLine[];
  /** More lines wait than were loaded (over CAP). */
  truncated: boolean;
}

/**
 * Every waiting line matching the filters, in queue order. One query key for all pages, so
 * a live event refetches the whole queue at once and groups never show half-old data.
 */
export function useWaiting(state: 'backordered' | 'unpromised', filters: BackorderFilters) {
  const base = { state, limit: PAGE, ...filters };
  return useQuery({
    queryKey: apiKey('/v1/order-lines/waiting', { ...base, all: true }),
    queryFn: async (): Promise<WaitingResult> => {
      const lines: WaitingLine[] = [];
      let cursor: string | undefined;
      do {
        const query = cursor === undefined ? base : { ...base, cursor };
        const page = await unwrap(api.GET('/v1/order-lines/waiting', { params: { query } }));
        lines.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined && lines.length < CAP);
      return { lines, truncated: cursor !== undefined };
    },
  });
}

export function useLocations() {
  return useQuery({
    queryKey: apiKey('/v1/locations'),
    queryFn: () => unwrap(api.GET('/v1/locations')),
    staleTime: 5 * 60_000,
  });
}
