import type { Transaction } from 'kysely';
import { type ResolvedChannel, resolveChannel } from '../catalogue/channels.service.js';
import type { DB } from '../db/schema.js';
import type { AppContext } from '../kernel/context.js';
import { recordEvents } from '../kernel/events/domain-events.js';
import { releaseLapsedHoldsOn } from '../kernel/holds/release-holds.js';
import type { IdempotentRequest } from '../kernel/idempotency/idempotency.service.js';
import { KeysTaken, recordAnswers } from '../kernel/idempotency/idempotency.service.js';
import { reserveStockRows } from '../kernel/ledger/stock.repository.js';
import { assessLines } from './assess-lines.js';
import type { AssessedLine, LineRequest } from './assessed-line.js';
import { type SellingPoint, sellingPoint } from './counter-location.js';
import type { Placed } from './order-answers.js';
import { insertAllocations, insertLinesOfOrders, insertOrders } from './order-writes.repository.js';
import type { Order, PlaceOrderBody } from './orders.schemas.js';
import { placedDocument } from './placed-document.js';
import { lockStockPicture, type StockPicture } from './stock-picture.repository.js';
import { lineRows, newCustomer, placedEvents, reservationsOf, StockMoved } from './write-order.js';

/**
 * Group commit's use case: the orders of one batch placed in one transaction, with one
 * statement for each kind of row whatever the batch's size.
 *
 * Orders are assessed in arrival order against one picture of the stock, locked, each
 * seeing what the ones before it took, so the batch reserves exactly what the same orders
 * placed one after the other would have, and refuses the same ones (placeOrder records a
 * refusal as it does its own). Only orders taken wholly from stock, or refused without a
 * line that would take a promise, are decided here. An order that needs a promise (and so
 * the item lock), names something unknown, or reuses a key already in the batch is
 * answered `undefined`, and placeOrder places it alone, after the batch, with its locks,
 * its refusal and its error. One order's trouble never touches another's answer.
 */

const MAX_ATTEMPTS = 3;

/** An order waiting for a batch: checked as far as it can be without the database. */
export interface PendingOrder {
  input: PlaceOrderBody;
  /** Found before the batch; null when the order names none or brings a new one. */
  existingCustomer: Order['customer'];
  request: IdempotentRequest;
  actor: string;
}

/** An order of the batch that can be placed here, with where it sells from. */
interface Candidate {
  index: number;
  order: PendingOrder;
  point: SellingPoint;
}

interface Taken {
  candidate: Candidate;
  assessed: AssessedLine[];
}

/** What the batch decided for an order; undefined when it must be placed alone. */
export type BatchAnswer =
  | { placed: Placed }
  | { refused: AssessedLine[]; channel: ResolvedChannel }
  | undefined;

export async function placeBatch(
  ctx: AppContext,
  orders: readonly PendingOrder[],
): Promise<BatchAnswer[]> {
  const answers: BatchAnswer[] = orders.map(() => undefined);
  let candidates = await candidatesOf(ctx, orders);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS && candidates.length > 0; attempt++) {
    try {
      const placed = await ctx.db
        .transaction()
        .execute((trx) => placeTogether(ctx, trx, candidates));
      for (const [index, answer] of placed) answers[index] = answer;
      return answers;
    } catch (error) {
      if (error instanceof KeysTaken) {
        // Copies of these requests committed first: placed alone, they replay the answer.
        const taken = new Set(error.requests);
        candidates = candidates.filter((c) => !taken.has(c.order.request));
        continue;
      }
      // A row moved under the batch (another process on SQLite's file): read it again.
      if (error instanceof StockMoved) continue;
      throw error;
    }
  }
  return answers;
}

/**
 * Orders whose channel and counter location resolve, each Idempotency-Key once: a second
 * copy of a key in the same batch is placed alone, after, and replays the first's answer.
 */
async function candidatesOf(
  ctx: AppContext,
  orders: readonly PendingOrder[],
): Promise<Candidate[]> {
  const channels = new Map<string, ResolvedChannel | null>();
  for (const code of new Set(orders.map((o) => o.input.channel))) {
    channels.set(code, await resolveChannel(ctx, code).catch(() => null));
  }
  const keys = new Set<string>();
  const candidates: Candidate[] = [];
  for (const [index, order] of orders.entries()) {
    const channel = channels.get(order.input.channel);
    const key = `${order.request.scope} ${order.request.key}`;
    if (!channel || keys.has(key)) continue;
    keys.add(key);
    try {
      const point = sellingPoint(channel, order.input.location, order.input.pickupLocation);
      candidates.push({ index, order, point });
    } catch {
      // LOCATION_NOT_ON_CHANNEL or LOCATION_NOT_SELLABLE: placed alone, which answers it.
    }
  }
  return candidates;
}

/** One attempt: returns the answer of every order it decided, by the order's index. */
async function placeTogether(
  ctx: AppContext,
  trx: Transaction<DB>,
  candidates: readonly Candidate[],
): Promise<Map<number, BatchAnswer>> {
  const now = ctx.clock.now().toISOString();
  const skus = [...new Set(candidates.flatMap((c) => c.order.input.lines.map((l) => l.sku)))];
  const locationIds = [
    ...new Set(candidates.flatMap((c) => c.point.channel.locations.map((l) => l.locationId))),
  ];
  // Holds lapsed on these rows give their units back before the batch reserves them (the
  // picture leaves them out either way); first, as hold rows lock before stock rows.
  await releaseLapsedHoldsOn(trx, { skus, locationIds }, now);
  const picture = await lockStockPicture(trx, skus, locationIds, now);
  const taken: Taken[] = [];
  const answers = new Map<number, BatchAnswer>();
  for (const candidate of candidates) {
    const assessed = await assessFromStock(trx, candidate, picture, now);
    if (assessed?.every((a) => a.outcome === 'in_stock')) taken.push({ candidate, assessed });
    else if (assessed) {
      answers.set(candidate.index, { refused: assessed, channel: candidate.point.channel });
    }
  }
  if (taken.length === 0) return answers;
  const reservations = reservationsOf(taken.flatMap((t) => t.assessed));
  if ((await reserveStockRows(trx, reservations, now)) !== reservations.length) {
    throw new StockMoved();
  }
  for (const [index, placed] of await writeOrders(trx, taken, now)) answers.set(index, { placed });
  return answers;
}

/**
 * The order's lines assessed against the batch's picture, which it then updates with what
 * they take; undefined unless every line is taken from stock now or the order is refused
 * with no line that could take a promise.
 */
async function assessFromStock(
  trx: Transaction<DB>,
  { order, point }: Candidate,
  picture: StockPicture,
  now: string,
): Promise<AssessedLine[] | undefined> {
  const today = now.slice(0, 10);
  const items = new Map(picture.items.map((i) => [i.sku, i]));
  const requests: LineRequest[] = [];
  for (const line of order.input.lines) {
    const item = items.get(line.sku);
    // Unknown, not stocked here, or not yet released: placing it alone says what it gets.
    if (!item || (item.release_date !== null && item.release_date > today)) return undefined;
    requests.push({
      sku: line.sku,
      itemId: item.id,
      quantity: line.quantity,
      acceptBackorder: line.acceptBackorder ?? false,
    });
  }
  const itemIds = new Set(requests.map((r) => r.itemId));
  const locationIds = new Set(point.channel.locations.map((l) => l.locationId));
  const snapshot: StockPicture = {
    items: picture.items.filter((i) => itemIds.has(i.id)),
    stockRows: picture.stockRows.filter(
      (r) => itemIds.has(r.item_id) && locationIds.has(r.location_id),
    ),
  };
  const assessed = await assessLines(trx, point.channel, requests, now, {
    snapshot,
    ...(point.stockFrom === undefined ? {} : { stockFrom: point.stockFrom }),
    ...(point.pickup === undefined ? {} : { pickup: point.pickup }),
  });
  if (!assessed.every((a) => a.outcome === 'in_stock')) {
    const promising = assessed.some((a) => a.request.acceptBackorder || a.preorder);
    return promising || !assessed.some((a) => a.outcome === 'refused') ? undefined : assessed;
  }
  for (const line of assessed) {
    for (const take of line.takes) {
      const row = snapshot.stockRows.find(
        (r) => r.item_id === line.item.id && r.location_id === take.locationId,
      )!;
      row.reserved += take.quantity;
    }
  }
  return assessed;
}

/** Customers, orders, lines, allocations, events and answers: a statement each. */
async function writeOrders(
  trx: Transaction<DB>,
  taken: readonly Taken[],
  now: string,
): Promise<Map<number, Placed>> {
  const customers: PendingOrder['existingCustomer'][] = [];
  for (const { candidate } of taken) {
    const { order, point } = candidate;
    customers.push(
      order.existingCustomer ??
        (order.input.customer
          ? await newCustomer(trx, point.channel, order.input.customer, now)
          : null),
    );
  }
  const orderIds = await insertOrders(
    trx,
    taken.map(({ candidate: { order, point } }, i) => ({
      channel_id: point.channel.id,
      customer_id: customers[i]?.id ?? null,
      reference: order.input.reference ?? null,
      pickup_location_id: point.pickup?.locationId ?? null,
      created_by: order.actor,
      created_at: now,
      updated_at: now,
    })),
  );
  const lineValues = taken.map((t, i) => lineRows(orderIds[i]!, t.assessed, now));
  const lineIds = await insertLines(trx, taken, orderIds, lineValues);
  const documents = taken.map(({ candidate: { order, point }, assessed }, i) =>
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
  await recordEvents(
    trx,
    documents.flatMap((doc, i) =>
      placedEvents(doc, customers[i]?.id ?? null, taken[i]!.candidate.order.actor, now),
    ),
  );
  await recordAnswers(
    trx,
    documents.map((doc, i) => ({
      request: taken[i]!.candidate.order.request,
      answer: { status: 201, body: doc },
    })),
    now,
  );
  return new Map(
    documents.map((doc, i) => [
      taken[i]!.candidate.index,
      { status: 201, order: doc, replayed: false },
    ]),
  );
}

/** Every order's lines, then their allocations; each order's line ids by line number. */
async function insertLines(
  trx: Transaction<DB>,
  taken: readonly Taken[],
  orderIds: readonly number[],
  lineValues: readonly ReturnType<typeof lineRows>[],
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
  await insertAllocations(
    trx,
    taken.flatMap((t, i) =>
      t.assessed.flatMap((line, index) =>
        line.takes.map((take) => ({
          order_line_id: lineIds[i]!.get(index + 1)!,
          location_id: take.locationId,
          item_id: line.item.id,
          quantity: take.quantity,
        })),
      ),
    ),
  );
  return lineIds;
}
