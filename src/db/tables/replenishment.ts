import type { Generated } from 'kysely';

/** Units sold per item × location × day, imported from outside (0009). */
export interface SalesHistoryTable {
  item_id: number;
  location_id: number;
  /** ISO date (YYYY-MM-DD). */
  day: string;
  quantity: number;
}

/** The forecasting method a series' rolling-origin backtest chose, and its error. */
export interface ForecastSelectionsTable {
  item_id: number;
  location_id: number;
  method: string;
  backtest_smape: number | null;
  backtest_rmsse: number | null;
  history_from: string;
  history_through: string;
  computed_at: string;
}

export type SuggestionState = 'open' | 'ordered' | 'dismissed';

/** What to buy from one supplier for one location; 'ordered' once made a draft PO. */
export interface PurchaseSuggestionsTable {
  id: Generated<number>;
  supplier_id: number;
  location_id: number;
  state: SuggestionState;
  purchase_order_id: number | null;
  /** The last day to send the order so that it arrives before the first stock-out. */
  order_by_date: string | null;
  /** When an order sent today would arrive (today + the supplier's lead time). */
  arrival_date: string;
  created_at: string;
  updated_at: string;
}

export interface PurchaseSuggestionLinesTable {
  suggestion_id: number;
  item_id: number;
  quantity: number;
  reorder_point: number;
  order_up_to: number;
  /** on hand − reserved + incoming − backordered, when the suggestion was made. */
  inventory_position: number;
  projected_stockout_date: string | null;
  backorders_waiting: number;
  reason: string;
  unit_cost_cents: number;
}
