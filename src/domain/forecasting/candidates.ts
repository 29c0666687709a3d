import { type CalendarProfile, calendarForecast, fitCalendarProfile } from './calendar-profile.js';
import { croston, sba, tsb } from './intermittent.js';
import type { PointForecaster, Training } from './model.js';
import { naive, seasonalNaive } from './naive.js';
import { holtWinters, sesAuto } from './smoothing.js';

/**
 * A candidate forecasts series `index` of a group from its (possibly cut) training data.
 * Most look at the one series only; the pooled calendar model looks up the shape fitted to
 * the whole group on the same data cut.
 */
export interface Candidate {
  method: string;
  forecast(index: number, training: Training, horizon: number): number[];
}

export const SINGLE_SERIES_METHODS: Record<string, PointForecaster> = {
  naive,
  seasonal_naive_weekly: seasonalNaive(7),
  seasonal_naive_yearly: seasonalNaive(364),
  ses: sesAuto,
  holt_winters: holtWinters,
  croston: croston(0.1),
  sba: sba(0.1),
  tsb: tsb(0.1, 0.1),
};

export const POOLED_METHOD = 'calendar_profile_pooled';
export const OWN_CALENDAR_METHOD = 'calendar_profile';

export const FORECAST_METHODS = [
  ...Object.keys(SINGLE_SERIES_METHODS),
  OWN_CALENDAR_METHOD,
  POOLED_METHOD,
] as const;

function ownCalendar(training: Training, horizon: number): number[] {
  const cut = training.startDay + training.values.length;
  return calendarForecast(fitCalendarProfile([training], cut), 0, cut, horizon);
}

/** The candidates for a group: the pooled one only when there is something to pool. */
export function candidatesFor(
  group: readonly Training[],
  methods?: readonly string[],
): Candidate[] {
  const wanted = (method: string) => methods == null || methods.includes(method);
  const list: Candidate[] = Object.entries(SINGLE_SERIES_METHODS)
    .filter(([method]) => wanted(method))
    .map(([method, model]) => ({ method, forecast: (_i, training, h) => model(training, h) }));
  if (wanted(OWN_CALENDAR_METHOD)) {
    list.push({
      method: OWN_CALENDAR_METHOD,
      forecast: (_i, training, h) => ownCalendar(training, h),
    });
  }
  if (group.length > 1 && wanted(POOLED_METHOD)) list.push(pooledCandidate(group));
  return list;
}

function pooledCandidate(group: readonly Training[]): Candidate {
  const profiles = new Map<number, CalendarProfile>();
  return {
    method: POOLED_METHOD,
    forecast(index, training, horizon) {
      const cut = training.startDay + training.values.length;
      let profile = profiles.get(cut);
      if (profile == null) {
        profile = fitCalendarProfile(group, cut);
        profiles.set(cut, profile);
      }
      return calendarForecast(profile, index, cut, horizon);
    },
  };
}
