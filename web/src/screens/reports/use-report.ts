import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ApiPath, apiKey } from '../../api/query';

type Params = Record<string, string | number | undefined>;

/**
 * A report's query, keyed by its path and parameters: a new period or location is a new
 * key, so it is fetched (and the previous answer stays on screen, dimmed, until it lands).
 * Parameters settle for 300 ms first: typing a year into a date field passes through
 * years like 0002, and each would otherwise cost the server a report.
 */
export function useReport<Q extends Params, T>(
  path: ApiPath,
  query: Q,
  fetch: (query: Q, signal: AbortSignal) => Promise<T>,
  enabled = true,
) {
  const [settled] = useDebouncedValue(JSON.stringify(query), 300);
  const params = JSON.parse(settled) as Q;
  return useQuery({
    enabled,
    queryKey: apiKey(path, params),
    queryFn: ({ signal }) => fetch(params, signal),
    placeholderData: keepPreviousData,
    // Reports read months of history: a minute old is fresh enough, and each costs the server.
    staleTime: 60_000,
  });
}
