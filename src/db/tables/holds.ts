import type { Generated } from 'kysely';

export type HoldStatus = 'active' | 'released' | 'expired' | 'converted';

/** Stock a cart or checkout keeps for a while (src/holds/). */
export interface HoldsTable {
  id: Generated<number>;
  channel_id: number;
  reference: string | null;
  status: HoldStatus;
  /** ISO timestamp; past it the hold counts for nothing, swept or not. */
  expires_at: string;
  /** The order it became, once converted. */
  order_id: number | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** Units of a hold's line at one location; a line taken from two locations has two rows. */
export interface HoldLinesTable {
  id: Generated<number>;
  hold_id: number;
  line_no: number;
  item_id: number;
  location_id: number;
  quantity: number;
  /** Units still reserved for the hold: quantity while it is active, 0 after. */
  held: number;
  /** The hold's expires_at, copied so availability needs no join. */
  expires_at: string;
}
