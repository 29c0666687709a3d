import type { Insertable, Transaction } from 'kysely';
import type { ResolvedChannel, SellingLocation } from '../catalogue/channels.service.js';
import { insertCustomer } from '../customers/customers.repository.js';
import { orderContact } from '../customers/customers.service.js';
import type { DB } from '../db/schema.js';
import type { OrderLinesTable } from '../db/tables/orders.js';
import * as promises from '../kernel/backorders/promise.repository.js';
import { pegValues } from '../kernel/backorders/promise-queue.js';
import { type NewDomainEvent, recordEvents } from '../kernel/events/domain-events.js';
import { releaseLapsedHoldsBefore } from '../kernel/holds/release-holds.js';
import { reserveStock } from '../kernel/ledger/stock.repository.js';
import type { AssessedLine } from './assessed-line.js';
import { insertAllocations, insertOrder, insertOrderLines } from './order-writes.repository.js';
import type { Order, PlaceOrderBody } from './orders.schemas.js';
import { type InsertedLine, placedDocument } from './placed-document.js';

/**
 * Writes an assessed order: its stock reservations, customer, order, lines, allocations
 * and promises, and the events saying so. Every stock and supply statement is conditional:
 * one that finds its row has moved since the assessment throws StockMoved, and the caller
 * rolls back and assesses again.
 */

export class StockMoved extends Error {}

export interface OrderToWrite {
  channel: ResolvedChannel;
  input: PlaceOrderBody;
  /** Found before the transaction; null when the order names none or brings a new one. */
  existingCustomer: Order['customer'];
  assessed: readonly AssessedLine[];
  actor: string;
  /** Where the customer collects, if the order says. */
  pickup?: SellingLocation | undefined;
}

/**
 * `reserve: false` when the lines' units are reserved already: a converted hold's held
 * units become the allocations as they are (src/orders/convert-hold.ts).
 */
export async function writeOrder(
  trx: Transaction<DB>,
  { channel, input, existingCustomer, assessed, actor, pickup }: OrderToWrite,
  now: string,
  { reserve }: { reserve: boolean } = { reserve: true },
): Promise<Order> {
  if (reserve) await reserveTakes(trx, assessed, now);
  const customer =
    existingCustomer ??
    (input.customer ? await newCustomer(trx, channel, input.customer, now) : null);
  const customerId = customer?.id ?? null;
  const orderId = await insertOrder(trx, {
    channel_id: channel.id,
    customer_id: customerId,
    reference: input.reference ?? null,
    pickup_location_id: pickup?.locationId ?? null,
    created_by: actor,
    created_at: now,
    updated_at: now,
  });
  // One statement for the lines and one for their allocations; ids matched by line number.
  const lineValues = lineRows(orderId, assessed, now);
  const inserted = await insertOrderLines(trx, lineValues);
  const lineIds = new Map(inserted.map((r) => [r.line_no, r.id]));
  await insertAllocations(
    trx,
    assessed.flatMap((line, index) =>
      line.takes.map((take) => ({
        order_line_id: lineIds.get(index + 1)!,
        location_id: take.locationId,
        item_id: line.item.id,
        quantity: take.quantity,
      })),
    ),
  );
  await pegPromises(trx, channel, assessed, lineValues, lineIds);
  const order = placedDocument({
    orderId,
    channel: channel.code,
    input,
    customer,
    assessed,
    lineValues,
    lineIds,
    homeLocation: channel.locations[0]?.code ?? '',
    now,
  });
  await recordPlaced(trx, order, customerId, actor, now);
  return order;
}

/**
 * Stock in item then location order: the fixed lock order of DESIGN section 2. Holds that
 * lapsed on these rows (the assessment did not count them) give their units back first,
 * in one look-up, as hold rows lock before stock rows.
 */
async function reserveTakes(trx: Transaction<DB>, assessed: readonly AssessedLine[], now: string) {
  const reservations = reservationsOf(assessed);
  await releaseLapsedHoldsBefore(trx, reservations, now);
  for (const r of reservations) {
    const ok = await reserveStock(trx, r, r.quantity, { respectSafetyStock: true }, now);
    if (!ok) throw new StockMoved();
  }
}

/** The units lines take, summed per stock row, in item then location order. */
export function reservationsOf(
  assessed: readonly AssessedLine[],
): { itemId: number; locationId: number; quantity: number }[] {
  const reservations = new Map<string, { itemId: number; locationId: number; quantity: number }>();
  for (const line of assessed) {
    for (const take of line.takes) {
      const key = `${line.item.id}:${take.locationId}`;
      const entry = reservations.get(key) ?? {
        itemId: line.item.id,
        locationId: take.locationId,
        quantity: 0,
      };
      entry.quantity += take.quantity;
      reservations.set(key, entry);
    }
  }
  return [...reservations.values()].sort(
    (a, b) => a.itemId - b.itemId || a.locationId - b.locationId,
  );
}

export async function newCustomer(
  trx: Transaction<DB>,
  channel: ResolvedChannel,
  given: NonNullable<PlaceOrderBody['customer']>,
  now: string,
): Promise<NonNullable<Order['customer']>> {
  const contact = orderContact(given);
  const id = await insertCustomer(trx, {
    name: given.name,
    email: contact.email,
    phone: contact.phone,
    preferred_channel: contact.preferredChannel,
    // The order's channel, whoever places it: that channel's keys may use them again.
    channel_id: channel.id,
    ...(given.language !== undefined && { language: given.language }),
    created_at: now,
    updated_at: now,
  });
  return { id, name: given.name, ...contact };
}

export function lineRows(
  orderId: number,
  assessed: readonly AssessedLine[],
  now: string,
): (InsertedLine & Insertable<OrderLinesTable>)[] {
  return assessed.map((line, index) => {
    const allocated = line.takes.reduce((s, t) => s + t.quantity, 0);
    const backordered = line.request.quantity - allocated;
    const promised = line.preorder || backordered > 0;
    return {
      order_id: orderId,
      line_no: index + 1,
      item_id: line.item.id,
      quantity: line.request.quantity,
      accept_backorder: line.request.acceptBackorder ? 1 : 0,
      preorder: line.preorder ? 1 : 0,
      quantity_allocated: allocated,
      quantity_backordered: backordered,
      quantity_fulfilled: 0,
      quantity_cancelled: 0,
      quantity_unpromised: 0,
      promised_date: promised ? (line.promise?.promisedDate ?? null) : null,
      promise_confidence: promised ? (line.promise?.confidence ?? null) : null,
      created_at: now,
      updated_at: now,
    };
  });
}

/** Backordered lines hold their supply (under the item lock) and record their pegs. */
async function pegPromises(
  trx: Transaction<DB>,
  channel: ResolvedChannel,
  assessed: readonly AssessedLine[],
  lineValues: readonly InsertedLine[],
  lineIds: ReadonlyMap<number, number>,
): Promise<void> {
  const pegs: ReturnType<typeof pegValues>[] = [];
  for (const [index, line] of assessed.entries()) {
    if (lineValues[index]!.quantity_backordered === 0) continue;
    pegs.push(...(await holdSupply(trx, channel, line, lineIds.get(index + 1)!)));
  }
  await promises.insertPegs(trx, pegs);
}

/**
 * Takes a line's promise off the supply it rests on, one conditional statement per
 * supply, and answers the pegs to insert. Under the item lock nobody else promises that
 * supply: a refusal means it moved since the assessment (StockMoved).
 */
export async function holdSupply(
  trx: Transaction<DB>,
  channel: ResolvedChannel,
  line: AssessedLine,
  lineId: number,
): Promise<ReturnType<typeof pegValues>[]> {
  for (const peg of line.promise?.pegs ?? []) {
    if (peg.kind !== 'supply') continue;
    const ok =
      peg.source.kind === 'purchase_order'
        ? await promises.promiseFromOrderLine(trx, peg.source.lineId, peg.quantity)
        : await promises.promiseFromTransfer(trx, peg.source.transferId, peg.quantity);
    if (!ok) throw new StockMoved();
  }
  return pegRows(channel, line, lineId);
}

/** A waiting line's pegs as rows, its supply's locations named by the channel's codes. */
export function pegRows(channel: ResolvedChannel, line: AssessedLine, lineId: number) {
  const codes = new Map(channel.locations.map((l) => [l.code, l.locationId]));
  const home = channel.locations[0]?.locationId;
  return (line.promise?.pegs ?? []).map((peg) =>
    pegValues(peg, lineId, line.item.id, home!, codes),
  );
}

async function recordPlaced(
  trx: Transaction<DB>,
  order: Order,
  customerId: number | null,
  actor: string,
  now: string,
): Promise<void> {
  await recordEvents(trx, placedEvents(order, customerId, actor, now));
}

/** order.placed, and order.backordered when a line waits: what placing an order records. */
export function placedEvents(
  order: Order,
  customerId: number | null,
  actor: string,
  now: string,
): NewDomainEvent[] {
  const summary = (l: Order['lines'][number]) => ({
    line: l.line,
    sku: l.sku,
    quantity: l.quantity,
    allocated: l.allocated,
    backordered: l.backordered,
    preorder: l.preorder,
    promisedDate: l.promise?.date ?? null,
    confidence: l.promise?.confidence ?? null,
  });
  const subject = `order:${order.id}`;
  const about = { orderId: order.id, channel: order.channel, customerId };
  const backorderedLines = order.lines.filter((l) => l.backordered > 0);
  return [
    {
      type: 'order.placed',
      subject,
      payload: { ...about, lines: order.lines.map(summary) },
      actor,
      now,
    },
    ...(backorderedLines.length > 0
      ? [
          {
            type: 'order.backordered',
            subject,
            payload: { ...about, lines: backorderedLines.map(summary) },
            actor,
            now,
          },
        ]
      : []),
  ];
}
