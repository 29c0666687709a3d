import type { ChannelScope } from '../access/channel-scope.js';
import type { Db } from '../db/schema.js';
import { findItemLeadTime } from '../kernel/backorders/promise-inputs.repository.js';
import { NotFoundError } from '../shared/errors.js';
import * as repo from './orders.repository.js';
import type { Order, OrderLine, PromiseBasis } from './orders.schemas.js';

/** Builds the order document every order endpoint answers with. */

export function lineState(
  line: {
    quantity_allocated: number;
    quantity_backordered: number;
    quantity_fulfilled: number;
    quantity_unpromised: number;
    preorder: number;
    release_date: string | null;
  },
  today: string,
): OrderLine['state'] {
  if (line.quantity_unpromised > 0) return 'unpromised';
  if (line.quantity_backordered > 0) return 'backordered';
  if (line.quantity_allocated > 0) {
    const unreleased =
      line.preorder === 1 && line.release_date !== null && line.release_date > today;
    return unreleased ? 'awaiting_release' : 'ready';
  }
  return line.quantity_fulfilled > 0 ? 'fulfilled' : 'cancelled';
}

export function orderState(states: readonly OrderLine['state'][]): Order['state'] {
  if (states.some((s) => s === 'backordered' || s === 'unpromised' || s === 'awaiting_release'))
    return 'waiting';
  if (states.some((s) => s === 'ready')) return 'ready';
  return states.some((s) => s === 'fulfilled') ? 'fulfilled' : 'cancelled';
}

/** `today` decides whether a reserved preorder can ship yet. */
export async function loadOrders(db: Db, ids: readonly number[], today: string): Promise<Order[]> {
  if (ids.length === 0) return [];
  const orders = await Promise.all(ids.map((id) => repo.findOrder(db, id)));
  const lines = await repo.linesOf(db, ids);
  const lineIds = lines.map((l) => l.id);
  const [allocations, pegs] = await Promise.all([
    repo.allocationsOf(db, lineIds),
    repo.pegDetailsOf(db, lineIds),
  ]);
  const leadTimes = new Map<number, Awaited<ReturnType<typeof findItemLeadTime>>>();
  for (const line of lines) {
    const onLeadTime = pegs.some(
      (p) =>
        p.order_line_id === line.id && p.purchase_order_line_id === null && p.transfer_id === null,
    );
    if (onLeadTime && !leadTimes.has(line.item_id))
      leadTimes.set(line.item_id, await findItemLeadTime(db, line.item_id));
  }
  return orders.map((order, index) => {
    if (!order)
      throw new NotFoundError('ORDER_NOT_FOUND', `No order ${ids[index]}`, { id: ids[index] });
    const own = lines.filter((l) => l.order_id === order.id);
    const documentLines = own.map((line) =>
      toLine(
        line,
        allocations.filter((a) => a.order_line_id === line.id),
        pegs.filter((p) => p.order_line_id === line.id),
        leadTimes.get(line.item_id),
        today,
      ),
    );
    return {
      id: order.id,
      channel: order.channel,
      reference: order.reference,
      pickupLocation: order.pickup_location,
      customer:
        order.customer_id === null
          ? null
          : {
              id: order.customer_id,
              name: order.customer_name!,
              email: order.customer_email,
              phone: order.customer_phone,
              preferredChannel: order.customer_preferred_channel!,
            },
      state: orderState(documentLines.map((l) => l.state)),
      lines: documentLines,
      createdAt: order.created_at,
      // Receipts and supply changes move lines without touching the order's row (it is
      // locked only by cancel and fulfil): the order changed when any of its lines did.
      updatedAt: [order.updated_at, ...own.map((l) => l.updated_at)].sort().at(-1)!,
    };
  });
}

export async function loadOrder(
  db: Db,
  id: number,
  today: string,
  scope: ChannelScope = null,
): Promise<Order> {
  const order = await repo.findOrder(db, id, scope);
  if (!order) throw new NotFoundError('ORDER_NOT_FOUND', `No order ${id}`, { id });
  return (await loadOrders(db, [id], today))[0]!;
}

export function toLine(
  line: repo.LineRow,
  allocations: readonly repo.AllocationRow[],
  pegs: readonly repo.PegDetailRow[],
  lead: { supplier: string; leadTimeDays: number } | undefined,
  today: string,
): OrderLine {
  return {
    line: line.line_no,
    sku: line.sku,
    quantity: line.quantity,
    acceptBackorder: line.accept_backorder === 1,
    preorder: line.preorder === 1,
    state: lineState(line, today),
    allocated: line.quantity_allocated,
    backordered: line.quantity_backordered,
    fulfilled: line.quantity_fulfilled,
    cancelled: line.quantity_cancelled,
    unpromised: line.quantity_unpromised,
    allocations: allocations.map((a) => ({ location: a.location, quantity: a.quantity })),
    promise:
      line.promised_date === null
        ? null
        : {
            date: line.promised_date,
            confidence: line.promise_confidence ?? 'confirmed',
            restsOn: pegs.map((p) => toBasis(p, lead)),
          },
  };
}

export function toBasis(
  peg: repo.PegDetailRow,
  lead: { supplier: string; leadTimeDays: number } | undefined,
): PromiseBasis {
  const common = {
    location: peg.location,
    quantity: peg.quantity,
    expectedDate: peg.expected_date,
    confidence: peg.confidence,
  };
  if (peg.purchase_order_line_id !== null) {
    return {
      kind: 'purchase_order',
      purchaseOrderId: peg.purchase_order_id!,
      lineId: peg.purchase_order_line_id,
      supplier: peg.supplier!,
      ...common,
    };
  }
  if (peg.transfer_id !== null) {
    return { kind: 'transfer', transferId: peg.transfer_id, from: peg.from!, ...common };
  }
  return {
    kind: 'lead_time',
    supplier: lead?.supplier ?? null,
    leadTimeDays: lead?.leadTimeDays ?? null,
    quantity: peg.quantity,
    expectedDate: peg.expected_date,
    confidence: 'estimated',
  };
}
