import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { apiKey } from '../../api/query';
import { thisWeek } from './week';

/*
 * Today's reads: one small request per card, all in parallel, each counted from one page.
 * A page of 100 is enough to count what needs attention today; beyond that the card says
 * "100+" and the screen it links to pages through the rest.
 */
export const COUNT_PAGE = 100;

/** Alerts resolve silently (no event) when their cause goes away, so re-read now and then. */
const QUIET_REFRESH_MS = 60_000;

export function useOpenAlerts() {
  const query = { state: 'open', limit: COUNT_PAGE } as const;
  return useQuery({
    queryKey: apiKey('/v1/alerts', query),
    queryFn: () => unwrap(api.GET('/v1/alerts', { params: { query } })),
    refetchInterval: QUIET_REFRESH_MS,
  });
}

export function useWaitingLines(state: 'backordered' | 'unpromised') {
  const query = { state, limit: COUNT_PAGE };
  return useQuery({
    queryKey: apiKey('/v1/order-lines/waiting', query),
    queryFn: () => unwrap(api.GET('/v1/order-lines/waiting', { params: { query } })),
  });
}

export function usePurchaseOrdersDue() {
  const { from, to } = thisWeek();
  const query = { expectedFrom: from, expectedTo: to, limit: COUNT_PAGE };
  return useQuery({
    queryKey: apiKey('/v1/purchase-orders', query),
    queryFn: async () => {
      const page = await unwrap(api.GET('/v1/purchase-orders', { params: { query } }));
      // Drafts have dates but are not on order yet: nothing is due from them.
      return { ...page, items: page.items.filter((order) => order.state !== 'draft') };
    },
  });
}

/** Dead messages: every attempt failed, and only a person's Retry sends them again. */
export function useFailingMessages() {
  const query = { state: 'dead', limit: 20 } as const;
  return useQuery({
    queryKey: apiKey('/v1/messages', query),
    queryFn: () => unwrap(api.GET('/v1/messages', { params: { query } })),
    refetchInterval: QUIET_REFRESH_MS,
  });
}

/** "12", or "100+" when the page that counted them was full and more follow. */
export function countLabel(page: { items: unknown[]; nextCursor: string | null } | undefined) {
  if (page === undefined) return '…';
  return page.nextCursor === null ? String(page.items.length) : `${page.items.length}+`;
}
