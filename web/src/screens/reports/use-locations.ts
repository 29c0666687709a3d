import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { apiKey } from '../../api/query';

/** Every location (a shop has a handful), for the filters. */
export function useLocations() {
  return useQuery({
    queryKey: apiKey('/v1/locations', { limit: 200 }),
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET('/v1/locations', { params: { query: { limit: 200 } }, signal }))).items,
    staleTime: 5 * 60_000,
  });
}
