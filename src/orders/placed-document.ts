import type { AssessedLine } from './assessed-line.js';
import { orderState, toLine } from './order-document.js';
import type { LineRow, PegDetailRow } from './orders.repository.js';
import type { Order, PlaceOrderBody } from './orders.schemas.js';

/** An order line as inserted, before the database gave it an id. */
export type InsertedLine = Omit<
  LineRow,
  'id' | 'sku' | 'release_date' | 'quantity_returned' | 'priority'
>;

export interface PlacedOrder {
  orderId: number;
  channel: string;
  input: PlaceOrderBody;
  customer: Order['customer'];
  assessed: readonly AssessedLine[];
  lineValues: readonly InsertedLine[];
  lineIds: ReadonlyMap<number, number>;
  homeLocation: string;
  now: string;
}

/**
 * The placed order as GET /v1/orders/{id} would show it, built from what was just written
 * instead of read back: the same toLine mapping, fed the rows as inserted.
 */
export function placedDocument(placed: PlacedOrder): Order {
  const { input, now } = placed;
  const lines = placed.assessed.map((line, index) => placedLine(placed, line, index));
  return {
    id: placed.orderId,
    channel: placed.channel,
    reference: input.reference ?? null,
    pickupLocation: input.pickupLocation ?? null,
    customer: placed.customer,
    state: orderState(lines.map((l) => l.state)),
    lines,
    createdAt: now,
    updatedAt: now,
  };
}

function placedLine(placed: PlacedOrder, line: AssessedLine, index: number) {
  const id = placed.lineIds.get(index + 1)!;
  const row: LineRow = {
    ...placed.lineValues[index]!,
    id,
    sku: line.request.sku,
    release_date: line.item.release_date,
    quantity_returned: 0,
    // The column's default: only staff put a line ahead, after placing.
    priority: 'normal',
  };
  const allocations = [...line.takes]
    .sort((a, b) => a.locationId - b.locationId)
    .map((t) => ({
      order_line_id: id,
      location_id: t.locationId,
      item_id: line.item.id,
      quantity: t.quantity,
      location: t.location,
    }));
  const pegs = row.quantity_backordered === 0 ? [] : placedPegs(line, id, placed.homeLocation);
  const lead =
    line.supplier.code !== null && line.supplier.leadTimeDays !== null
      ? { supplier: line.supplier.code, leadTimeDays: line.supplier.leadTimeDays }
      : undefined;
  return toLine(row, allocations, pegs, lead, placed.now.slice(0, 10));
}

/** The line's pegs as the order document reads them back (ids are only for ordering). */
function placedPegs(line: AssessedLine, lineId: number, homeLocation: string): PegDetailRow[] {
  return (line.promise?.pegs ?? []).map((peg, n) => {
    const order = peg.kind === 'supply' && peg.source.kind === 'purchase_order' ? peg.source : null;
    const transfer = peg.kind === 'supply' && peg.source.kind === 'transfer' ? peg.source : null;
    return {
      id: n,
      order_line_id: lineId,
      purchase_order_line_id: order?.lineId ?? null,
      transfer_id: transfer?.transferId ?? null,
      quantity: peg.quantity,
      expected_date: peg.expectedDate,
      confidence: peg.confidence,
      // Lead-time promises are held at the channel's first location.
      location: peg.kind === 'supply' ? peg.location : homeLocation,
      purchase_order_id: order?.purchaseOrderId ?? null,
      supplier: order?.supplier ?? null,
      from: transfer?.from ?? null,
    };
  });
}
