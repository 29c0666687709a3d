import { createContext, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import type { LiveEvent, LiveEventStream, LiveEventType, LiveStatus } from './event-stream';

export const LiveContext = createContext<LiveEventStream | undefined>(undefined);

function useStream(): LiveEventStream {
  const stream = useContext(LiveContext);
  if (stream === undefined) throw new Error('live hooks need a LiveProvider above them');
  return stream;
}

/**
 * Calls `handler` for each live event of the given types ('*' for all). The latest
 * handler is used without resubscribing, so an inline arrow function is fine.
 */
export function useLiveEvent<TData = unknown>(
  types: readonly LiveEventType[] | '*',
  handler: (event: LiveEvent<TData>) => void,
): void {
  const stream = useStream();
  const latest = useRef(handler);
  latest.current = handler;
  const key = types === '*' ? '*' : [...types].sort().join(',');
  useEffect(() => {
    const wanted = key === '*' ? undefined : new Set(key.split(','));
    return stream.subscribe((event) => {
      if (wanted === undefined || wanted.has(event.type)) latest.current(event as LiveEvent<TData>);
    });
  }, [stream, key]);
}

export function useLiveStatus(): LiveStatus {
  const stream = useStream();
  return useSyncExternalStore(
    (listener) => stream.onStatus(listener),
    () => stream.status,
  );
}
