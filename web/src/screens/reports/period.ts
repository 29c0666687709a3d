import { useSearchParams } from 'react-router';

/** A report's period: ISO dates, both included. Empty means "the API's default". */
export interface Period {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

/** Today as the API counts days (UTC), not the browser's local day. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The last 30 days, today included: a month of trading, short enough to see change. */
export function lastDays(days = 30, today = todayUtc()): Period {
  return { from: addDays(today, 1 - days), to: today };
}

/**
 * The period and location live in the address (?from=&to=&location=), so a report can be
 * bookmarked or sent to a colleague, and switching tabs keeps them. `fallback` is what a
 * report shows before the user picks: the last 30 days, or (seasonality) all history.
 */
export function useReportParams(fallback: Period) {
  const [params, setParams] = useSearchParams();
  const period: Period = {
    from: params.get('from') ?? fallback.from,
    to: params.get('to') ?? fallback.to,
  };
  const location = params.get('location') ?? '';
  const update = (changes: Partial<Period & { location: string }>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        // An explicit empty value is kept: it means "the API's default", unlike a missing one.
        for (const [key, value] of Object.entries(changes)) next.set(key, value);
        if (changes.location === '') next.delete('location');
        return next;
      },
      { replace: true },
    );
  return { period, location, update };
}

/** Query parameters for the API: empty values left out so its defaults apply. */
export function compact<T extends Record<string, string | number | undefined>>(query: T): T {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out as T;
}
