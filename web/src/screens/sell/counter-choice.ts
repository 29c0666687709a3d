import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { apiKey } from '../../api/query';

/**
 * Which till this is: the channel it sells on and the store it stands in. Remembered in
 * localStorage, because a counter machine stays in one store; the first time it picks
 * the first point-of-sale channel and that channel's first location.
 */

const STORAGE_KEY = 'stockroom.sell.counter';

export interface Counter {
  channel: string;
  location: string;
}

export interface CounterOption {
  code: string;
  name: string;
  kind: string;
  locations: { code: string; name: string }[];
}

function remembered(): Partial<Counter> {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    const parsed: unknown = raw === null ? {} : JSON.parse(raw);
    if (parsed === null || typeof parsed !== 'object') return {};
    const { channel, location } = parsed as Record<string, unknown>;
    return {
      ...(typeof channel === 'string' ? { channel } : {}),
      ...(typeof location === 'string' ? { location } : {}),
    };
  } catch {
    // Unreadable (private mode, corrupted): choose again.
    return {};
  }
}

export function useCounter() {
  const channels = useQuery({
    queryKey: apiKey('/v1/channels', { limit: 100 }),
    queryFn: () => unwrap(api.GET('/v1/channels', { params: { query: { limit: 100 } } })),
  });
  const locations = useQuery({
    queryKey: apiKey('/v1/locations', { limit: 100 }),
    queryFn: () => unwrap(api.GET('/v1/locations', { params: { query: { limit: 100 } } })),
  });
  const [choice, setChoice] = useState<Partial<Counter>>(remembered);

  const names = new Map((locations.data?.items ?? []).map((l) => [l.code, l.name]));
  const options: CounterOption[] = (channels.data?.items ?? []).map((c) => ({
    code: c.code,
    name: c.name,
    kind: c.kind,
    locations: c.locations.map((code) => ({ code, name: names.get(code) ?? code })),
  }));
  const channel =
    options.find((o) => o.code === choice.channel) ??
    options.find((o) => o.kind === 'pos') ??
    options[0];
  const location =
    channel?.locations.find((l) => l.code === choice.location) ?? channel?.locations[0];
  const counter: Counter | undefined =
    channel && location ? { channel: channel.code, location: location.code } : undefined;

  return {
    counter,
    options,
    channel,
    loading: channels.isPending || locations.isPending,
    error: channels.error ?? locations.error,
    choose: (next: Partial<Counter>) => {
      const chosen = { ...counter, ...next };
      localStorage.setItem(STORAGE_KEY, JSON.stringify(chosen));
      setChoice(chosen);
    },
  };
}
