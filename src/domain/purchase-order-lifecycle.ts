/**
 * The purchase-order state machine (DESIGN section 6):
 *
 *   draft ──send──▶ sent ──confirm──▶ confirmed
 *     │               │                   │
 *     └──cancel──▶ cancelled ◀──cancel────┘
 *
 *   sent | confirmed | partially_received ──receipt──▶ partially_received | received
 *
 * Receipts and line changes move an order to partially_received or received by what
 * is still open; nothing leaves received or cancelled.
 */

export type PurchaseOrderState =
  | 'draft'
  | 'sent'
  | 'confirmed'
  | 'partially_received'
  | 'received'
  | 'cancelled';

export type PurchaseOrderAction = 'send' | 'confirm' | 'cancel';

const TRANSITIONS: Record<
  PurchaseOrderState,
  Partial<Record<PurchaseOrderAction, PurchaseOrderState>>
> = {
  draft: { send: 'sent', cancel: 'cancelled' },
  sent: { confirm: 'confirmed', cancel: 'cancelled' },
  confirmed: { cancel: 'cancelled' },
  // Part of it has arrived: close the open lines short instead of cancelling the order.
  partially_received: {},
  received: {},
  cancelled: {},
};

/** The state an action leads to, or null if the action is not allowed from `state`. */
export function nextState(
  state: PurchaseOrderState,
  action: PurchaseOrderAction,
): PurchaseOrderState | null {
  return TRANSITIONS[state][action] ?? null;
}

/** The states from which `action` is allowed, for error messages. */
export function statesAllowing(action: PurchaseOrderAction): PurchaseOrderState[] {
  return (Object.keys(TRANSITIONS) as PurchaseOrderState[]).filter((s) => TRANSITIONS[s][action]);
}

export const RECEIVABLE_STATES: readonly PurchaseOrderState[] = [
  'sent',
  'confirmed',
  'partially_received',
];

/** Orders whose open lines count as incoming supply. A draft is not a commitment yet. */
export const OPEN_STATES: readonly PurchaseOrderState[] = RECEIVABLE_STATES;

/**
 * Where an order stands once its lines have changed (a receipt, a line closed short):
 * nothing open → received if anything arrived, else cancelled; something open →
 * partially_received if anything arrived, else unchanged.
 */
export function stateAfterLines(
  state: PurchaseOrderState,
  lines: readonly { open: number; received: number }[],
): PurchaseOrderState {
  const anyReceived = lines.some((l) => l.received > 0);
  const anyOpen = lines.some((l) => l.open > 0);
  if (!anyOpen) return anyReceived ? 'received' : 'cancelled';
  return anyReceived ? 'partially_received' : state;
}
