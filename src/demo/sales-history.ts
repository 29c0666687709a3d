import { addDays } from '../shared/dates.js';
import { random } from './random.js';

/**
 * Half a year of daily sales for the demo store, so that forecasts, reorder suggestions
 * and reports have something to learn from on a fresh `npm start`. Made up, but shaped
 * like retail: each item has its own rate, stores sell more at weekends, categories peak
 * in their season, and counts are Poisson around that. A generator of its own (not the
 * catalogue's) keeps the rest of the demo store byte-for-byte as the guides show it.
 */

export const DEMO_HISTORY_DAYS = 182;

/** When each category sells best (month 0–11) and how much above its average. */
const SEASON: Record<string, { peakMonth: number; amplitude: number }> = {
  kitchen: { peakMonth: 11, amplitude: 0.2 },
  bathroom: { peakMonth: 0, amplitude: 0.1 },
  garden: { peakMonth: 5, amplitude: 0.6 },
  lighting: { peakMonth: 11, amplitude: 0.4 },
  bedding: { peakMonth: 10, amplitude: 0.25 },
  tools: { peakMonth: 4, amplitude: 0.2 },
  electronics: { peakMonth: 11, amplitude: 0.35 },
  stationery: { peakMonth: 8, amplitude: 0.45 },
  pets: { peakMonth: 6, amplitude: 0.05 },
};

/** Sunday first, as Date.getUTCDay counts. */
const STORE_WEEK = [1.3, 0.8, 0.8, 0.85, 0.9, 1.05, 1.6];
const WAREHOUSE_WEEK = [0.9, 1.25, 1.1, 1.0, 1.0, 0.95, 0.8];

export interface HistoryItem {
  itemId: number;
  category: string;
  /** Items not yet released have no history. */
  released: boolean;
}

export interface HistoryLocation {
  locationId: number;
  kind: 'warehouse' | 'store';
  /** Relative size: the busiest location is 1. */
  weight: number;
}

export interface HistoryRow {
  itemId: number;
  locationId: number;
  day: string;
  quantity: number;
}

/** The DEMO_HISTORY_DAYS days before `today`, oldest first, one row per item × location × day. */
export function* demoSalesHistory(
  items: readonly HistoryItem[],
  locations: readonly HistoryLocation[],
  today: string,
): Generator<HistoryRow> {
  const rand = random(20261205);
  const first = addDays(today, -DEMO_HISTORY_DAYS);
  for (const item of items) {
    // Most items sell a unit or two a day; a few are best sellers.
    const rate = 0.3 + 4 * rand() ** 3;
    const season = SEASON[item.category] ?? { peakMonth: 0, amplitude: 0 };
    for (const location of locations) {
      if (!item.released) continue;
      const week = location.kind === 'store' ? STORE_WEEK : WAREHOUSE_WEEK;
      for (let d = 0; d < DEMO_HISTORY_DAYS; d++) {
        const day = addDays(first, d);
        const at = new Date(`${day}T00:00:00Z`);
        const monthsFromPeak = at.getUTCMonth() + at.getUTCDate() / 31 - season.peakMonth;
        const seasonal = 1 + season.amplitude * Math.cos((2 * Math.PI * monthsFromPeak) / 12);
        const mean = rate * location.weight * week[at.getUTCDay()]! * seasonal;
        yield {
          itemId: item.itemId,
          locationId: location.locationId,
          day,
          quantity: poisson(mean, rand),
        };
      }
    }
  }
}

/** Knuth's method: exact, and fast enough for the small means drawn here. */
function poisson(mean: number, rand: () => number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k += 1;
    p *= rand();
  }
  return k;
}
