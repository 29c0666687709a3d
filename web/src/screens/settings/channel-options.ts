import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { apiKey } from '../../api/query';

/** Every channel and location (a store has tens, not thousands): for pickers and lists. */
export function useChannels() {
  return useQuery({
    queryKey: apiKey('/v1/channels', { limit: 1000 }),
    queryFn: () => unwrap(api.GET('/v1/channels', { params: { query: { limit: 1000 } } })),
  });
}

export function useLocations() {
  return useQuery({
    queryKey: apiKey('/v1/locations', { limit: 1000 }),
    queryFn: () => unwrap(api.GET('/v1/locations', { params: { query: { limit: 1000 } } })),
  });
}
