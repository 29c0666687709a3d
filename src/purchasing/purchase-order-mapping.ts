import { openQuantity } from '../domain/supply.js';
import { fromCents } from '../shared/money.js';
import type { ChangeRow, LineRow, PurchaseOrderRow } from './purchase-orders.repository.js';
import type { Change, PurchaseOrder, PurchaseOrderLine } from './purchase-orders.schemas.js';

/** What a line will still bring: ordered, less what arrived and what was cancelled. */
export const openLine = (row: LineRow) =>
  openQuantity({
    ordered: row.quantity_ordered,
    received: row.quantity_received,
    cancelled: row.quantity_cancelled,
  });

export function toLine(row: LineRow): PurchaseOrderLine {
  return {
    id: row.id,
    sku: row.sku,
    quantity: row.quantity_ordered,
    received: row.quantity_received,
    cancelled: row.quantity_cancelled,
    open: openLine(row),
    overReceived: row.quantity_received > row.quantity_ordered,
    unitCost: fromCents(row.unit_cost_cents),
    expectedDate: row.expected_date,
    firstExpectedDate: row.first_expected_date,
    confidence: row.confidence,
    completedAt: row.completed_at,
  };
}

export function toPurchaseOrder(row: PurchaseOrderRow, lines: LineRow[]): PurchaseOrder {
  const mapped = lines.map(toLine);
  const sum = (pick: (l: PurchaseOrderLine) => number) =>
    mapped.reduce((total, l) => total + pick(l), 0);
  return {
    id: row.id,
    supplier: row.supplier,
    location: row.location,
    state: row.state,
    reference: row.reference,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
    confirmedAt: row.confirmed_at,
    closedAt: row.closed_at,
    lines: mapped,
    totals: {
      ordered: sum((l) => l.quantity),
      received: sum((l) => l.received),
      cancelled: sum((l) => l.cancelled),
      open: sum((l) => l.open),
      cost: fromCents(
        lines.reduce(
          (c, l) => c + (l.quantity_ordered - l.quantity_cancelled) * l.unit_cost_cents,
          0,
        ),
      ),
    },
  };
}

export function toChange(row: ChangeRow): Change {
  return {
    id: row.id,
    line: row.line_id,
    field: row.field,
    oldValue: row.old_value,
    newValue: row.new_value,
    reason: row.reason,
    actor: row.actor,
    at: row.created_at,
  };
}
