import type { Generated } from 'kysely';
import type { Confidence } from '../../domain/item-rules.js';

export type PreferredChannel = 'email' | 'sms' | 'none';

export interface CustomersTable {
  id: Generated<number>;
  name: string;
  email: string | null;
  phone: string | null;
  preferred_channel: PreferredChannel;
  /** The channel whose keys may use this customer; null: staff only (0006). */
  channel_id: number | null;
  /** Messages are written in this language when there are templates for it (0013). */
  language: Generated<string>;
  created_at: string;
  updated_at: string;
}

/** An order's state is not stored: it follows from its lines (src/domain/order-state.ts). */
export interface OrdersTable {
  id: Generated<number>;
  channel_id: number;
  customer_id: number | null;
  /** The caller's own order number, if it sent one. */
  reference: string | null;
  /** Where the customer collects the order, if they said (0018). */
  pickup_location_id: number | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** quantity = allocated + backordered + fulfilled + cancelled, held by a CHECK. */
export interface OrderLinesTable {
  id: Generated<number>;
  order_id: number;
  line_no: number;
  item_id: number;
  quantity: number;
  accept_backorder: number;
  /** 1 when the item was not yet released when ordered: promised for its release date. */
  preorder: number;
  quantity_allocated: number;
  quantity_backordered: number;
  quantity_fulfilled: number;
  quantity_cancelled: number;
  /** Backordered units with no supply or lead-time promise behind them. */
  quantity_unpromised: number;
  /** Fulfilled units the customer sent back (0015); never more than quantity_fulfilled. */
  quantity_returned: Generated<number>;
  /** Staff priority in the item's queue (0019): `high` lines go before `normal` ones. */
  priority: Generated<'high' | 'normal'>;
  /** When the last waiting unit is promised for; null when nothing waits or it is unpromised. */
  promised_date: string | null;
  promise_confidence: Confidence | null;
  created_at: string;
  updated_at: string;
}

/** Units of a line held at a location: stock.reserved is the sum of these (invariant 3). */
export interface AllocationsTable {
  order_line_id: number;
  location_id: number;
  item_id: number;
  quantity: number;
}

/**
 * Backordered units promised from one supply: a purchase-order line, a transfer, or (both
 * ids null) the supplier's lead time. quantity_promised on the supply is the sum of these.
 */
export interface BackorderPegsTable {
  id: Generated<number>;
  order_line_id: number;
  item_id: number;
  location_id: number;
  purchase_order_line_id: number | null;
  transfer_id: number | null;
  quantity: number;
  /** When the supply is due (not yet plus handling days). */
  expected_date: string;
  confidence: Confidence;
}

export interface PromiseChangesTable {
  id: Generated<number>;
  order_line_id: number;
  old_date: string | null;
  new_date: string | null;
  old_confidence: string | null;
  new_confidence: string | null;
  reason: string;
  created_at: string;
}

/** An attempt to buy that was refused: the analytics count what could not be sold. */
export interface LostDemandTable {
  id: Generated<number>;
  item_id: number;
  channel_id: number;
  quantity: number;
  /** The availability state that refused it (out_of_stock, discontinued...). */
  state: string;
  available: number;
  created_at: string;
}

export interface IdempotencyKeysTable {
  /** Whose key it is (the API key id), so two clients never share a key by accident. */
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: string;
  created_at: string;
}

export type FulfilmentKind = 'shipment' | 'pickup';

export interface FulfilmentsTable {
  id: Generated<number>;
  order_id: number;
  /** Client-supplied; posting it again replays the first result. */
  fulfilment_id: string;
  kind: FulfilmentKind;
  request: string;
  actor: string;
  created_at: string;
}

export interface FulfilmentLinesTable {
  fulfilment_pk: number;
  order_line_id: number;
  location_id: number;
  quantity: number;
}

export type ItemLinkKind = 'substitute' | 'replacement';

/** Staff-chosen alternatives: shown before any found by category and tags. */
export interface ItemLinksTable {
  item_id: number;
  linked_item_id: number;
  kind: ItemLinkKind;
  created_at: string;
}

/** A staff decision on a line left with no date; the latest replaces the one before. */
export interface WaitingDecisionsTable {
  order_line_id: number;
  decision: 'keep_waiting';
  note: string | null;
  actor: string;
  decided_at: string;
}
