import { type InfiniteData, type QueryKey, useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type { components } from '../../../../clients/stockroom-api';
import { api, unwrap } from '../../api/client';
import type { StockFilters } from './filters';

export type StockRow = components['schemas']['StockOverviewRow'];
export interface StockPage {
  items: StockRow[];
  nextCursor: string | null;
}
export type StockPages = InfiniteData<StockPage, string | undefined>;

/** Rows per request: a few screens' worth, so scrolling rarely waits on the network. */
const PAGE_SIZE = 500;
/** A state filter can answer short pages; keep loading until a screen is filled. */
const FILL = 60;

/*
 * Not keyed by the '/v1/stock' path: the shell's live invalidation refetches every query
 * under it on any stock event, which for a long-scrolled list means hundreds of pages. The
 * screen patches the rows an event touches instead (use-live-rows.ts).
 */
export const stockRowsKey = (filters: StockFilters): QueryKey => [
  'stock-screen',
  '/v1/stock/overview',
  filters,
];

export function rowKey(row: Pick<StockRow, 'sku' | 'location'>): string {
  return `${row.sku}@${row.location}`;
}

export function useStockRows(filters: StockFilters) {
  const query = useInfiniteQuery({
    queryKey: stockRowsKey(filters),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/v1/stock/overview', {
          params: {
            query: {
              ...filters,
              limit: PAGE_SIZE,
              ...(pageParam !== undefined && { cursor: pageParam }),
            },
          },
          signal,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: StockPage) => last.nextCursor ?? undefined,
    // Refetching means every page loaded so far, one after another; the event stream keeps
    // the rows current instead.
    refetchOnWindowFocus: false,
  });
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isError } = query;
  useEffect(() => {
    if (rows.length < FILL && hasNextPage && !isFetchingNextPage && !isError) void fetchNextPage();
  }, [rows.length, hasNextPage, isFetchingNextPage, isError, fetchNextPage]);
  const loadMore = () => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  };
  return { ...query, rows, loadMore };
}
