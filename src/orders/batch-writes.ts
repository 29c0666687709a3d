import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { SupplySource } from '../domain/supply.js';
import { supplyKey } from '../domain/supply.js';
import * as promises from '../kernel/backorders/promise.repository.js';
import { eventsWithChannels, reactTo, recordEvents } from '../kernel/events/domain-events.js';
import { eventRow } from '../kernel/events/events.repository.js';
import type { IdempotentRequest } from '../kernel/idempotency/idempotency.service.js';
import {
  answerRows,
  recordAnswers,
  throwIfTaken,
} from '../kernel/idempotency/idempotency.service.js';
import type { AssessedLine } from './assessed-line.js';
import { insertBatchRows } from './batch-rows.repository.js';
import type { SellingPoint } from './counter-location.js';
import type { Placed } from './order-answers.js';
import { insertAllocations, insertLinesOfOrders, insertOrders } from './order-writes.repository.js';
import type { Order, PlaceOrderBody } from './orders.schemas.js';
import { placedDocument } from './placed-document.js';
import { lineRows, newCustomer, pegRows, placedEvents, StockMoved } from './write-order.js';

/**
 * The writes of a batch of orders (src/orders/place-batch.ts) once its stock is reserved:
 * one statement for each kind of row whatever the batch's size, and one conditional
 * statement per supply the batch's promises rest on.
 */

/** An order of the batch that is placed: what it asked, where it sells, what it gets. */
export interface TakenOrder {
  index: number;
  order: {
    input: PlaceOrderBody;
    existingCustomer: Order['customer'];
    request: IdempotentRequest;
    actor: string;
  };
  point: SellingPoint;
  assessed: AssessedLine[];
}

/**
 * Customers, supply, orders, lines, allocations, pegs, events and answers. On PostgreSQL
 * `ids` are the orders' and lines' ids, drawn with the reservation (reserveAndDrawIds).
 */
export async function writeOrders(
  trx: Transaction<DB>,
  taken: readonly TakenOrder[],
  now: string,
  ids: DrawnIds | undefined,
): Promise<Map<number, Placed>> {
  const customers: Order['customer'][] = [];
  for (const { order, point } of taken) {
    customers.push(
      order.existingCustomer ??
        (order.input.customer
          ? await newCustomer(trx, point.channel, order.input.customer, now)
          : null),
    );
  }
  const documents = ids
    ? await writeInOneStatement(trx, taken, customers, now, ids)
    : await writeKindByKind(trx, taken, customers, now);
  return new Map(
    documents.map((doc, i) => [taken[i]!.index, { status: 201, order: doc, replayed: false }]),
  );
}

type LineValues = ReturnType<typeof lineRows>;

/** SQLite: a statement per kind of row, each kind's ids read back for the next. */
async function writeKindByKind(
  trx: Transaction<DB>,
  taken: readonly TakenOrder[],
  customers: readonly Order['customer'][],
  now: string,
): Promise<Order[]> {
  const orderIds = await insertOrders(
    trx,
    taken.map((t, i) => orderRow(t, customers[i] ?? null, now)),
  );
  const lineValues = taken.map((t, i) => lineRows(orderIds[i]!, t.assessed, now));
  await holdSupply(trx, taken, lineValues);
  const lineIds = await insertLines(trx, taken, orderIds, lineValues);
  await insertPegsOf(trx, taken, lineValues, lineIds);
  const documents = documentsOf(taken, customers, orderIds, lineValues, lineIds, now);
  await recordEvents(trx, eventsOf(taken, customers, documents, now));
  await recordAnswers(trx, answersOf(taken, documents), now);
  return documents;
}

/** The new orders' and lines' ids, each list ascending. */
export interface DrawnIds {
  orders: number[];
  lines: number[];
}

/**
 * PostgreSQL: with the ids drawn, every row in one statement
 * (src/orders/batch-rows.repository.ts): one round trip where each kind took one.
 */
async function writeInOneStatement(
  trx: Transaction<DB>,
  taken: readonly TakenOrder[],
  customers: readonly Order['customer'][],
  now: string,
  ids: DrawnIds,
): Promise<Order[]> {
  const orderIds = ids.orders;
  const lineValues = taken.map((t, i) => lineRows(orderIds[i]!, t.assessed, now));
  let next = 0;
  const lineIds = lineValues.map(
    (values) => new Map(values.map((v) => [v.line_no, ids.lines[next++]!])),
  );
  await holdSupply(trx, taken, lineValues);
  const documents = documentsOf(taken, customers, orderIds, lineValues, lineIds, now);
  const events = await eventsWithChannels(trx, eventsOf(taken, customers, documents, now));
  const { eventIds, claimed } = await insertBatchRows(trx, {
    orders: taken.map((t, i) => ({ id: orderIds[i]!, ...orderRow(t, customers[i] ?? null, now) })),
    lines: lineValues.flatMap((values, i) =>
      values.map((v) => ({ ...v, id: lineIds[i]!.get(v.line_no)! })),
    ),
    allocations: allocationRows(taken, lineIds),
    events: events.map(eventRow),
    answers: answerRows(answersOf(taken, documents), now),
  });
  throwIfTaken(
    taken.map((t) => t.order.request),
    claimed,
  );
  await insertPegsOf(trx, taken, lineValues, lineIds);
  await reactTo(
    trx,
    events.map((event, i) => ({ ...event, id: eventIds[i]! })),
  );
  return documents;
}

function orderRow(t: TakenOrder, customer: Order['customer'], now: string) {
  return {
    channel_id: t.point.channel.id,
    customer_id: customer?.id ?? null,
    reference: t.order.input.reference ?? null,
    pickup_location_id: t.point.pickup?.locationId ?? null,
    created_by: t.order.actor,
    created_at: now,
    updated_at: now,
  };
}

function insertPegsOf(
  trx: Transaction<DB>,
  taken: readonly TakenOrder[],
  lineValues: readonly LineValues[],
  lineIds: readonly Map<number, number>[],
): Promise<void> {
  return promises.insertPegs(
    trx,
    taken.flatMap((t, i) =>
      waitingLines(t, lineValues[i]!).flatMap(({ line, index }) =>
        pegRows(t.point.channel, line, lineIds[i]!.get(index + 1)!),
      ),
    ),
  );
}

function documentsOf(
  taken: readonly TakenOrder[],
  customers: readonly Order['customer'][],
  orderIds: readonly number[],
  lineValues: readonly LineValues[],
  lineIds: readonly Map<number, number>[],
  now: string,
): Order[] {
  return taken.map(({ order, point, assessed }, i) =>
    placedDocument({
      orderId: orderIds[i]!,
      channel: point.channel.code,
      input: order.input,
      customer: customers[i] ?? null,
      assessed,
      lineValues: lineValues[i]!,
      lineIds: lineIds[i]!,
      homeLocation: point.channel.locations[0]?.code ?? '',
      now,
    }),
  );
}

function eventsOf(
  taken: readonly TakenOrder[],
  customers: readonly Order['customer'][],
  documents: readonly Order[],
  now: string,
) {
  return documents.flatMap((doc, i) =>
    placedEvents(doc, customers[i]?.id ?? null, taken[i]!.order.actor, now),
  );
}

function answersOf(taken: readonly TakenOrder[], documents: readonly Order[]) {
  return documents.map((doc, i) => ({
    request: taken[i]!.order.request,
    answer: { status: 201, body: doc },
  }));
}

/** An order's lines that wait for a promise, with their index among its lines. */
function waitingLines(t: TakenOrder, values: LineValues) {
  return t.assessed
    .map((line, index) => ({ line, index }))
    .filter(({ index }) => values[index]!.quantity_backordered > 0);
}

/**
 * What the batch's promises take off each supply, summed, one conditional statement per
 * supply in a fixed order. Under the item locks nobody else promises it: a refusal means
 * it moved since the batch read it (StockMoved, and the batch starts over).
 */
async function holdSupply(
  trx: Transaction<DB>,
  taken: readonly TakenOrder[],
  lineValues: readonly LineValues[],
): Promise<void> {
  const totals = new Map<string, { source: SupplySource; quantity: number }>();
  for (const [i, t] of taken.entries()) {
    for (const { line } of waitingLines(t, lineValues[i]!)) {
      for (const peg of line.promise?.pegs ?? []) {
        if (peg.kind !== 'supply') continue;
        const key = supplyKey(peg.source);
        const total = totals.get(key) ?? { source: peg.source, quantity: 0 };
        total.quantity += peg.quantity;
        totals.set(key, total);
      }
    }
  }
  for (const [, { source, quantity }] of [...totals].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const ok =
      source.kind === 'purchase_order'
        ? await promises.promiseFromOrderLine(trx, source.lineId, quantity)
        : await promises.promiseFromTransfer(trx, source.transferId, quantity);
    if (!ok) throw new StockMoved();
  }
}

/** Every order's lines, then their allocations; each order's line ids by line number. */
async function insertLines(
  trx: Transaction<DB>,
  taken: readonly TakenOrder[],
  orderIds: readonly number[],
  lineValues: readonly LineValues[],
): Promise<Map<number, number>[]> {
  const inserted = new Map(
    (await insertLinesOfOrders(trx, lineValues.flat())).map((r) => [
      `${r.order_id}:${r.line_no}`,
      r.id,
    ]),
  );
  const lineIds = taken.map(
    (t, i) =>
      new Map(
        t.assessed.map((_, index) => [index + 1, inserted.get(`${orderIds[i]}:${index + 1}`)!]),
      ),
  );
  await insertAllocations(trx, allocationRows(taken, lineIds));
  return lineIds;
}

/** What every line takes from stock, by location, under its line's id. */
function allocationRows(taken: readonly TakenOrder[], lineIds: readonly Map<number, number>[]) {
  return taken.flatMap((t, i) =>
    t.assessed.flatMap((line, index) =>
      line.takes.map((take) => ({
        order_line_id: lineIds[i]!.get(index + 1)!,
        location_id: take.locationId,
        item_id: line.item.id,
        quantity: take.quantity,
      })),
    ),
  );
}
