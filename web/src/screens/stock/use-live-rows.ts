import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { LiveEvent, LiveEventType } from '../../live/event-stream';
import { useLiveEvent } from '../../live/live-context';
import type { StockFilters } from './filters';
import { rowKey, type StockPages, type StockRow, stockRowsKey } from './use-stock-rows';

/** Events after which an item's quantities or channel states may differ. */
const STOCK_EVENTS: readonly LiveEventType[] = [
  'availability.changed',
  'item.back_in_stock',
  'item.discontinued',
  'stock.low',
  'order.placed',
  'order.cancelled',
  'order.shipped',
  'order.picked_up',
  'po.sent',
  'po.cancelled',
  'po.line_changed',
  'po.received',
  'transfer.dispatched',
  'transfer.received',
];

const HIGHLIGHT_MS = 2500;
/** Events come in bursts (a receipt moves many lines): gather them before asking. */
const GATHER_MS = 150;

/** The SKUs an event's payload names: `sku`, or `lines[].sku` (docs/api.md, domain events). */
export function skusOf(data: unknown): string[] {
  if (data === null || typeof data !== 'object') return [];
  const found = new Set<string>();
  if ('sku' in data && typeof data.sku === 'string') found.add(data.sku);
  if ('lines' in data && Array.isArray(data.lines)) {
    for (const line of data.lines as unknown[]) {
      if (
        line !== null &&
        typeof line === 'object' &&
        'sku' in line &&
        typeof line.sku === 'string'
      )
        found.add(line.sku);
    }
  }
  return [...found];
}

const sameNumbers = (a: StockRow, b: StockRow) =>
  a.onHand === b.onHand &&
  a.reserved === b.reserved &&
  a.safetyStock === b.safetyStock &&
  a.incoming === b.incoming &&
  JSON.stringify(a.channels) === JSON.stringify(b.channels);

/**
 * Keeps loaded rows current from the event stream: the rows of each SKU an event names are
 * read again (one small request per SKU, only if it is on screen) and replaced in the query
 * cache, and the rows whose numbers changed are returned to be highlighted for a moment.
 */
export function useLiveRows(filters: StockFilters): ReadonlySet<string> {
  const queryClient = useQueryClient();
  const [flashing, setFlashing] = useState<ReadonlySet<string>>(new Set());
  const pending = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const key = stockRowsKey(filters);
  const keyRef = useRef(key);
  keyRef.current = key;

  const refresh = useCallback(
    async (skus: string[]) => {
      const queryKey = keyRef.current;
      const loaded = queryClient.getQueryData<StockPages>(queryKey);
      const onScreen = new Set(loaded?.pages.flatMap((p) => p.items.map((r) => r.sku)) ?? []);
      const wanted = skus.filter((sku) => onScreen.has(sku));
      if (wanted.length === 0) return;
      const fresh = new Map<string, StockRow>();
      await Promise.all(
        wanted.map(async (sku) => {
          const page = await unwrap(
            api.GET('/v1/stock/overview', {
              params: {
                query: {
                  sku,
                  ...(filters.location !== undefined && { location: filters.location }),
                  ...(filters.channel !== undefined && { channel: filters.channel }),
                  limit: 1000,
                },
              },
            }),
          );
          for (const row of page.items) fresh.set(rowKey(row), row);
        }),
      );
      const changed = new Set<string>();
      queryClient.setQueryData<StockPages>(queryKey, (old) =>
        old === undefined
          ? old
          : {
              ...old,
              pages: old.pages.map((page) => ({
                ...page,
                items: page.items.map((row) => {
                  const next = fresh.get(rowKey(row));
                  if (next === undefined || sameNumbers(row, next)) return row;
                  changed.add(rowKey(row));
                  return next;
                }),
              })),
            },
      );
      if (changed.size === 0) return;
      setFlashing((current) => new Set([...current, ...changed]));
      setTimeout(() => {
        setFlashing((current) => new Set([...current].filter((k) => !changed.has(k))));
      }, HIGHLIGHT_MS);
    },
    [queryClient, filters.location, filters.channel],
  );

  useLiveEvent(STOCK_EVENTS, (event: LiveEvent) => {
    for (const sku of skusOf(event.data)) pending.current.add(sku);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const skus = [...pending.current];
      pending.current.clear();
      // A failed refresh leaves the row as it was; the next event or a reload mends it.
      refresh(skus).catch(() => {});
    }, GATHER_MS);
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  return flashing;
}
