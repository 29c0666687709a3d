import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { LiveEventStream } from './event-stream';
import { invalidateFor } from './invalidation';
import { LiveContext } from './live-context';

/**
 * Opens the app's one event stream while mounted (inside the signed-in layout, so it
 * closes on sign-out) and refetches the queries each event makes stale.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [stream] = useState(() => new LiveEventStream());
  useEffect(() => {
    const unsubscribe = stream.subscribe((event) => void invalidateFor(queryClient, event));
    stream.start();
    return () => {
      unsubscribe();
      stream.stop();
    };
  }, [stream, queryClient]);
  return <LiveContext.Provider value={stream}>{children}</LiveContext.Provider>;
}
