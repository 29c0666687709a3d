import type { Generated } from 'kysely';
import type { Confidence } from '../../domain/item-rules.js';
import type { PurchaseOrderState } from '../../domain/purchase-order-lifecycle.js';

export interface PurchaseOrdersTable {
  id: Generated<number>;
  supplier_id: number;
  location_id: number;
  state: PurchaseOrderState;
  reference: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  confirmed_at: string | null;
  /** When it became received or cancelled. */
  closed_at: string | null;
}

/** open = max(0, ordered − received − cancelled): what the line still brings. */
export interface PurchaseOrderLinesTable {
  id: Generated<number>;
  purchase_order_id: number;
  item_id: number;
  quantity_ordered: number;
  quantity_received: number;
  quantity_cancelled: number;
  unit_cost_cents: number;
  expected_date: string;
  /** The date promised when the order was sent: on-time rate is measured against it. */
  first_expected_date: string | null;
  confidence: Confidence;
  /** Units backorders are pegged to; never more than the line still brings. */
  quantity_promised: Generated<number>;
  /** Received units sent back to the supplier (0015); never more than quantity_received. */
  quantity_returned: Generated<number>;
  /** When the last unit arrived (the line was fully received or closed). */
  completed_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Every change to a sent order, field by field: the delay history customers hear about. */
export interface PurchaseOrderChangesTable {
  id: Generated<number>;
  purchase_order_id: number;
  line_id: number | null;
  field: string;
  old_value: string | null;
  new_value: string | null;
  reason: string | null;
  actor: string;
  created_at: string;
}

export interface ReceiptsTable {
  id: Generated<number>;
  purchase_order_id: number;
  /** Client-supplied; posting it again replays `response`. */
  receipt_id: string;
  /** The request lines, normalised, to tell a replay from a reuse of the id. */
  request: string;
  response: string;
  actor: string;
  created_at: string;
}

export interface ReceiptLinesTable {
  receipt_pk: number;
  line_id: number;
  quantity: number;
  /** 1 when this receipt took the line past what was ordered. */
  over_received: number;
}
