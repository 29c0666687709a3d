/**
 * A demand series: what customers asked for of one item at one location, day by day.
 * Dense (one entry per day from `start`), so models index by day without gaps.
 */
export interface DemandSeries {
  itemId: number;
  locationId: number;
  sku: string;
  location: string;
  /** ISO date (YYYY-MM-DD) of quantities[0]. */
  start: string;
  /** Units demanded per day: imported sales + Stockroom's own orders and lost demand. */
  quantities: number[];
  /**
   * True where the item was out of stock at the location for part of the day: sales then
   * show what could be sold, not what was wanted, so models must not learn from them.
   */
  censored: boolean[];
}
