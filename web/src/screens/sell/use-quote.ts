import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { apiKey } from '../../api/query';
import { useLiveEvent } from '../../live/live-context';
import type { Counter } from './counter-choice';

export interface Asked {
  sku: string;
  quantity: number;
}

/**
 * The quote for what is on the counter, asked without accepting a backorder (the
 * customer has not agreed yet). Reserving nothing, it is refetched whenever something
 * could change the answer: the item's stock or availability, and any supply moving.
 */
export function useQuote(counter: Counter | undefined, asked: Asked | undefined) {
  const body =
    counter && asked
      ? {
          channel: counter.channel,
          location: counter.location,
          lines: [{ sku: asked.sku, quantity: asked.quantity }],
        }
      : undefined;
  const quote = useQuery({
    queryKey: apiKey('/v1/orders/quote', body),
    queryFn: () => unwrap(api.POST('/v1/orders/quote', { body: body! })),
    enabled: body !== undefined,
    retry: false,
    // A quote goes stale only by events (below), never by the clock or a refocus.
    staleTime: Number.POSITIVE_INFINITY,
  });
  useLiveEvent('*', (event) => {
    if (!asked) return;
    const data = event.data as { sku?: unknown } | null;
    const aboutItem = event.subject === `item:${asked.sku}` || data?.sku === asked.sku;
    const supply = event.type.startsWith('po.') || event.type.startsWith('transfer.');
    if (aboutItem || supply) void quote.refetch();
  });
  return quote;
}
