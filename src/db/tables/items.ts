import type { Generated } from 'kysely';

export type ItemStatus = 'active' | 'discontinued';
export type BackorderPolicy = 'none' | 'incoming' | 'lead_time';

export interface ItemsTable {
  id: Generated<number>;
  sku: string;
  name: string;
  category: string;
  /** Money is kept in minor units (cents) so that sums never drift. */
  price_cents: number;
  status: ItemStatus;
  /** ISO date (YYYY-MM-DD) or null. */
  release_date: string | null;
  backorder_policy: BackorderPolicy;
  /** Under lead_time: at most this many units promised beyond incoming supply. */
  backorder_cap: number | null;
  low_stock_threshold: number;
  handling_days: number;
  /** 1: before release_date the item sells as a preorder, promised for that date. */
  preorders_enabled: Generated<number>;
  /** Target chance of not running out in a cycle; null: the ABC-class default (0009). */
  service_level: number | null;
  created_at: string;
  updated_at: string;
}

export interface ItemTagsTable {
  item_id: number;
  tag: string;
}

/**
 * Running totals of an item's promises (0012), moved with its pegs in one transaction.
 * No row reads as zero.
 */
export interface ItemPromisesTable {
  item_id: number;
  /** Units pegged to the supplier's lead time (pegs on no supply): what the cap counts. */
  lead_time_promised: number;
}
