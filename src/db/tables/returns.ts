import type { Generated } from 'kysely';

export type ReturnDisposition = 'restock' | 'damaged';

/** Units a customer sent back against a fulfilled order line, and what became of them. */
export interface OrderReturnsTable {
  id: Generated<number>;
  order_id: number;
  order_line_id: number;
  /** Where the units came back to (restocked there, or written off there). */
  location_id: number;
  quantity: number;
  disposition: ReturnDisposition;
  reason: string;
  actor: string;
  created_at: string;
}

/** Units sent back to the supplier against a received purchase-order line. */
export interface SupplierReturnsTable {
  id: Generated<number>;
  purchase_order_id: number;
  line_id: number;
  /** Where the units left from. */
  location_id: number;
  quantity: number;
  reason: string;
  actor: string;
  created_at: string;
}
