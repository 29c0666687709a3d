/**
 * When an item at a location is projected to run out, from what is there, what is
 * promised, what is coming and the daily forecast.
 */

import { addDays } from '../../shared/dates.js';

export interface Receipt {
  /** ISO date the supply is expected. */
  date: string;
  quantity: number;
}

export interface StockoutInput {
  /** ISO date; the forecast starts the day after. */
  today: string;
  onHand: number;
  reserved: number;
  backordered: number;
  incoming: readonly Receipt[];
  /** Expected demand per day from tomorrow; its length is the horizon. */
  dailyForecast: readonly number[];
}

export interface StockoutProjection {
  /** First date on which projected available stock is below zero; null within the horizon. */
  stockoutDate: string | null;
  /** First receipt after the stock-out date (null if none within the horizon). */
  nextReceiptDate: string | null;
  /**
   * Units of demand not covered from the stock-out date until that receipt arrives (or
   * to the end of the horizon when none does), whole units rounded up; 0 with no stock-out.
   */
  unitsShort: number;
}

/**
 * Walks day by day. Available today = on hand − reserved − backordered (units promised
 * or owed are not there to sell). Each day, receipts dated that day arrive before the
 * day's demand is taken. Receipts already overdue are assumed to arrive tomorrow, the
 * earliest they still can; receipts after the horizon are ignored. If backorders already
 * exceed what is free, the stock-out is today.
 */
export function projectStockout(input: StockoutInput): StockoutProjection {
  const { today, dailyForecast } = input;
  const horizon = dailyForecast.length;
  const byDay = new Array<number>(horizon).fill(0);
  for (const receipt of input.incoming) {
    const offset = Math.max(0, daysAfter(today, receipt.date) - 1);
    if (offset < horizon) byDay[offset]! += receipt.quantity;
  }
  let available = input.onHand - input.reserved - input.backordered;
  let stockoutDay: number | null = available < 0 ? -1 : null;
  for (let day = 0; day < horizon; day++) {
    if (stockoutDay !== null && byDay[day]! > 0) {
      return {
        stockoutDate: addDays(today, stockoutDay + 1),
        nextReceiptDate: addDays(today, day + 1),
        unitsShort: short(available),
      };
    }
    available += byDay[day]! - dailyForecast[day]!;
    if (stockoutDay === null && available < 0) stockoutDay = day;
  }
  if (stockoutDay === null) return { stockoutDate: null, nextReceiptDate: null, unitsShort: 0 };
  return {
    stockoutDate: addDays(today, stockoutDay + 1),
    nextReceiptDate: null,
    unitsShort: short(available),
  };
}

function short(available: number): number {
  return available < 0 ? Math.ceil(-available) : 0;
}

function daysAfter(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
