import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { operations } from '../../../../clients/stockroom-api';
import type { AvailabilityState } from '../../components';

/** The overview's query parameters the screen sets (everything but paging). */
export type OverviewQuery = NonNullable<operations['listStockOverview']['parameters']['query']>;

export interface StockFilters {
  q?: string;
  state?: AvailabilityState;
  channel?: string;
  location?: string;
  category?: string;
  supplier?: string;
}

const KEYS = ['q', 'state', 'channel', 'location', 'category', 'supplier'] as const;
type FilterKey = (typeof KEYS)[number];

const STATES: readonly AvailabilityState[] = [
  'in_stock',
  'low_stock',
  'backorder',
  'preorder',
  'out_of_stock',
  'discontinued',
];

const isState = (value: string): value is AvailabilityState =>
  (STATES as readonly string[]).includes(value);

/**
 * The filters live in the URL, so a filtered view is a link staff can share or bookmark;
 * a value the API would refuse (an unknown state) is dropped rather than sent.
 */
export function useStockFilters(): [StockFilters, (key: FilterKey, value: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => {
    const result: StockFilters = {};
    for (const key of KEYS) {
      const value = params.get(key)?.trim();
      if (!value) continue;
      if (key === 'state') {
        if (isState(value)) result.state = value;
      } else {
        result[key] = value;
      }
    }
    return result;
  }, [params]);
  const setFilter = useCallback(
    (key: FilterKey, value: string | null) => {
      // From the address bar, not the render's params: a debounced search lands after other
      // filters changed, and must not put back the URL it was typed against.
      const next = new URLSearchParams(window.location.search);
      if (value === null || value.trim() === '') next.delete(key);
      else next.set(key, value);
      if (next.toString() === new URLSearchParams(window.location.search).toString()) return;
      setParams(next, { replace: key === 'q' });
    },
    [setParams],
  );
  return [filters, setFilter];
}

export { STATES };

/** The same filters as the CSV export's query string. */
export function csvHref(filters: StockFilters): string {
  const search = new URLSearchParams();
  for (const key of KEYS) {
    const value = filters[key];
    if (value !== undefined) search.set(key, value);
  }
  const text = search.toString();
  return `/v1/stock/overview.csv${text ? `?${text}` : ''}`;
}
