import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { apiKey } from '../../api/query';

export interface Option {
  value: string;
  label: string;
}

/*
 * The choices the filters offer. A store has a handful of channels, locations and
 * suppliers, so one page of each (limit 1000) is all of them.
 */
const ALL = { limit: 1000 } as const;

export function useFilterOptions() {
  const channels = useQuery({
    queryKey: apiKey('/v1/channels', ALL),
    queryFn: () => unwrap(api.GET('/v1/channels', { params: { query: ALL } })),
    staleTime: 60_000,
  });
  const locations = useQuery({
    queryKey: apiKey('/v1/locations', ALL),
    queryFn: () => unwrap(api.GET('/v1/locations', { params: { query: ALL } })),
    staleTime: 60_000,
  });
  const suppliers = useQuery({
    queryKey: apiKey('/v1/suppliers', ALL),
    queryFn: () => unwrap(api.GET('/v1/suppliers', { params: { query: ALL } })),
    staleTime: 60_000,
  });
  const categories = useQuery({
    queryKey: apiKey('/v1/categories'),
    queryFn: () => unwrap(api.GET('/v1/categories')),
    staleTime: 60_000,
  });
  const named = (rows: { code: string; name: string }[] | undefined): Option[] =>
    (rows ?? []).map((row) => ({ value: row.code, label: `${row.name} (${row.code})` }));
  return {
    channels: channels.data?.items ?? [],
    channelOptions: named(channels.data?.items),
    locationOptions: named(locations.data?.items),
    supplierOptions: named(suppliers.data?.items),
    categoryOptions: (categories.data?.items ?? []).map((c) => ({
      value: c.category,
      label: c.category,
    })),
    error: channels.error ?? locations.error ?? suppliers.error ?? categories.error,
  };
}
