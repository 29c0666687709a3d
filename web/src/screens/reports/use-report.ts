import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ApiPath, apiKey } from '../../api/query';

/**
 * A report's query, keyed by its path and parameters: a new period or location is a new
 * key, so it is fetched (and the previous answer stays on screen, dimmed, until it lands).
 */
export function useReport<T>(
  path: ApiPath,
  query: Record<string, string | number | undefined>,
  fetch: (signal: AbortSignal) => Promise<T>,
  enabled = true,
) {
  return useQuery({
    enabled,
    queryKey: apiKey(path, query),
    queryFn: ({ signal }) => fetch(signal),
    placeholderData: keepPreviousData,
    // Reports read months of history: a minute old is fresh enough, and each costs the server.
    staleTime: 60_000,
  });
}
