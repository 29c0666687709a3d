import type { Generated } from 'kysely';
import type { TransferState } from '../../domain/transfer-lifecycle.js';

/** One row per item × location. CHECK constraints hold 0 <= reserved <= on_hand. */
export interface StockTable {
  item_id: number;
  location_id: number;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  /**
   * The change the last update made to on_hand. A count sets on_hand to an absolute
   * value; computing `:counted - on_hand` inside the same UPDATE (right-hand sides see
   * the old row on both engines) gives the ledger its delta without a read-then-write.
   */
  last_delta: number;
  updated_at: string;
}

export type LedgerEntryType =
  | 'receipt'
  | 'sale'
  | 'adjustment'
  | 'count'
  | 'transfer_out'
  | 'transfer_in'
  | 'return'
  | 'damage';

/** Append-only: on_hand of an item × location always equals the sum of its quantities. */
export interface StockLedgerTable {
  id: Generated<number>;
  item_id: number;
  location_id: number;
  type: LedgerEntryType;
  quantity: number;
  on_hand_after: number;
  reason: string;
  reference: string | null;
  actor: string;
  created_at: string;
}

export type { TransferState };

/**
 * A move between locations. Immediate moves are 'completed' at once; dispatched ones
 * leave the source when sent and count as incoming at the destination until received.
 */
export interface TransfersTable {
  id: Generated<number>;
  item_id: number;
  from_location_id: number;
  to_location_id: number;
  quantity: number;
  quantity_received: number;
  state: TransferState;
  expected_date: string | null;
  reason: string;
  reference: string | null;
  actor: string;
  created_at: string;
  received_at: string | null;
  /** Units backorders are pegged to; never more than are still in transit. */
  quantity_promised: Generated<number>;
}

export interface TransferReceiptsTable {
  id: Generated<number>;
  transfer_id: number;
  receipt_id: string;
  quantity: number;
  actor: string;
  created_at: string;
}
