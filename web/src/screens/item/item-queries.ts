import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { components } from '../../../../clients/stockroom-api';
import { api, unwrap } from '../../api/client';
import { apiKey } from '../../api/query';

/*
 * Every read of the item screen, keyed by the path it reads (src/api/query.ts), so the
 * shell's live invalidation and the actions' `invalidates` refresh the right parts.
 */

export type Item = components['schemas']['Item'];
export type StockLevel = components['schemas']['StockLevel'];
export type ItemAvailability = components['schemas']['ItemAvailability'];
export type Supply = components['schemas']['Supply'];
export type SupplyLine = Supply['lines'][number];
export type Forecast = components['schemas']['Forecast'];

/** Locations and channels are a handful in any store: one page of 1000 holds them all. */
const ALL = 1000;

export function useItem(sku: string) {
  return useQuery({
    queryKey: apiKey('/v1/items/{sku}', { sku }),
    queryFn: () => unwrap(api.GET('/v1/items/{sku}', { params: { path: { sku } } })),
  });
}

export function useStockLevels(sku: string) {
  return useQuery({
    queryKey: apiKey('/v1/stock', { sku }),
    queryFn: () => unwrap(api.GET('/v1/stock', { params: { query: { sku, limit: ALL } } })),
  });
}

export function useLocations() {
  return useQuery({
    queryKey: apiKey('/v1/locations', { limit: ALL }),
    queryFn: () => unwrap(api.GET('/v1/locations', { params: { query: { limit: ALL } } })),
    staleTime: 60_000,
  });
}

export function useChannels() {
  return useQuery({
    queryKey: apiKey('/v1/channels', { limit: ALL }),
    queryFn: () => unwrap(api.GET('/v1/channels', { params: { query: { limit: ALL } } })),
    staleTime: 60_000,
  });
}

export function useChannelAvailability(sku: string, channel: string) {
  return useQuery({
    queryKey: apiKey('/v1/availability/{sku}', { sku, channel }),
    queryFn: () =>
      unwrap(api.GET('/v1/availability/{sku}', { params: { path: { sku }, query: { channel } } })),
  });
}

export function useSupply(sku: string) {
  return useQuery({
    queryKey: apiKey('/v1/supply', { sku }),
    queryFn: () => unwrap(api.GET('/v1/supply', { params: { query: { sku } } })),
  });
}

export const LEDGER_PAGE = 20;

/** The ledger newest first, a page at a time ("Show older" fetches the next). */
export function useLedger(sku: string) {
  return useInfiniteQuery({
    queryKey: apiKey('/v1/stock/ledger', { sku }),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/stock/ledger', {
          params: {
            query: {
              sku,
              limit: LEDGER_PAGE,
              ...(pageParam !== undefined && { cursor: pageParam }),
            },
          },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/**
 * The item's queue: `backordered` counts every waiting unit, dated or not (unpromised ones
 * are a part of it), so this state lists every line still waiting, in placement order.
 */
export function useWaitingLines(sku: string) {
  return useInfiniteQuery({
    queryKey: apiKey('/v1/order-lines/waiting', { sku, state: 'backordered' }),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/order-lines/waiting', {
          params: {
            query: {
              sku,
              state: 'backordered',
              limit: 50,
              ...(pageParam !== undefined && { cursor: pageParam }),
            },
          },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function usePromiseChanges(orderId: number, enabled: boolean) {
  return useQuery({
    queryKey: apiKey('/v1/orders/{id}/promise-changes', { id: orderId }),
    queryFn: () =>
      unwrap(api.GET('/v1/orders/{id}/promise-changes', { params: { path: { id: orderId } } })),
    enabled,
  });
}

export function useAlternatives(sku: string, channel: string | undefined) {
  return useQuery({
    queryKey: apiKey('/v1/items/{sku}/alternatives', { sku, channel }),
    queryFn: () =>
      unwrap(
        api.GET('/v1/items/{sku}/alternatives', {
          params: { path: { sku }, query: { channel: channel ?? '', limit: 10 } },
        }),
      ),
    enabled: channel !== undefined,
    placeholderData: keepPreviousData,
  });
}

export function useItemLinks(sku: string) {
  return useQuery({
    queryKey: apiKey('/v1/items/{sku}/links', { sku }),
    queryFn: () => unwrap(api.GET('/v1/items/{sku}/links', { params: { path: { sku } } })),
  });
}

export function useWaitingSubscribers(sku: string) {
  return useQuery({
    queryKey: apiKey('/v1/subscriptions', { sku, state: 'waiting' }),
    queryFn: () =>
      unwrap(
        api.GET('/v1/subscriptions', {
          params: { query: { sku, state: 'waiting', limit: 100 } },
        }),
      ),
  });
}

/** Eight weeks of history before four weeks of forecast: enough to see the weekly shape. */
export const HISTORY_DAYS = 56;
export const HORIZON_DAYS = 28;

export function useForecast(sku: string, location: string | undefined) {
  return useQuery({
    queryKey: apiKey('/v1/forecasts/{sku}', { sku, location }),
    queryFn: () =>
      unwrap(
        api.GET('/v1/forecasts/{sku}', {
          params: {
            path: { sku },
            query: { location: location ?? '', horizon: HORIZON_DAYS, history: HISTORY_DAYS },
          },
        }),
      ),
    enabled: location !== undefined,
    // The forecast is a backtest over months of history: no need to redo it on every focus.
    staleTime: 5 * 60_000,
    retry: false,
  });
}
