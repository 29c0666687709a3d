import type { Transaction } from 'kysely';
import { type ResolvedChannel, resolveChannel } from '../catalogue/channels.service.js';
import { isPostgres } from '../db/dialect.js';
import type { DB } from '../db/schema.js';
import { lockItemsBySku } from '../kernel/backorders/promise.repository.js';
import type { AppContext } from '../kernel/context.js';
import { releaseLapsedHoldsOn } from '../kernel/holds/release-holds.js';
import type { IdempotentRequest } from '../kernel/idempotency/idempotency.service.js';
import { KeysTaken } from '../kernel/idempotency/idempotency.service.js';
import { reserveStockRows } from '../kernel/ledger/stock.repository.js';
import { assessLines, copySupplyBook, emptySupplyBook, type SupplyBook } from './assess-lines.js';
import type { AssessedLine, LineRequest } from './assessed-line.js';
import { reserveAndDrawIds } from './batch-rows.repository.js';
import { type DrawnIds, type TakenOrder, writeOrders } from './batch-writes.js';
import { type SellingPoint, sellingPoint } from './counter-location.js';
import type { Placed } from './order-answers.js';
import type { Order, PlaceOrderBody } from './orders.schemas.js';
import type { AlternativesMemo } from './requested-lines.js';
import { lockStockPicture, type StockPicture } from './stock-picture.repository.js';
import { reservationsOf, StockMoved } from './write-order.js';

/**
 * Group commit's use case: the orders of one batch placed in one transaction, with one
 * statement for each kind of row whatever the batch's size.
 *
 * Orders are assessed in arrival order against one picture of the stock and one book of
 * supply, both locked, each seeing what the ones before it took and were promised, so the
 * batch reserves and promises exactly what the same orders placed one after the other
 * would have, and refuses the same ones (placeOrder records a refusal as it does its
 * own). Lines that accept a backorder lock their items first, as placeOrder's do. An order
 * with a preorder, naming something unknown, or reusing a key already in the batch is
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

/** What the batch decided for an order; undefined when it must be placed alone. */
export type BatchAnswer =
  | { placed: Placed }
  | { refused: AssessedLine[]; channel: ResolvedChannel; alternatives: AlternativesMemo }
  | undefined;

/** The picture found holds lapsed on the batch's rows: start over, releasing them first. */
class HoldsLapsed extends Error {}

export async function placeBatch(
  ctx: AppContext,
  orders: readonly PendingOrder[],
): Promise<BatchAnswer[]> {
  const answers: BatchAnswer[] = orders.map(() => undefined);
  let candidates = await candidatesOf(ctx, orders);
  let releaseHolds = false;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS && candidates.length > 0; attempt++) {
    try {
      const placed = await ctx.db
        .transaction()
        .execute((trx) => placeTogether(ctx, trx, candidates, releaseHolds));
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
      if (error instanceof HoldsLapsed) {
        releaseHolds = true;
        continue;
      }
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
  releaseHolds: boolean,
): Promise<Map<number, BatchAnswer>> {
  const now = ctx.clock.now().toISOString();
  const lines = candidates.flatMap((c) => c.order.input.lines);
  const skus = [...new Set(lines.map((l) => l.sku))];
  const locationIds = [
    ...new Set(candidates.flatMap((c) => c.point.channel.locations.map((l) => l.locationId))),
  ];
  // Lines that may take a promise serialise on their item, before any hold or stock row.
  await lockItemsBySku(trx, [...new Set(lines.filter((l) => l.acceptBackorder).map((l) => l.sku))]);
  // Holds lapsed on these rows give their units back before the batch reserves them (the
  // picture counts them free either way); first, as hold rows lock before stock rows. The
  // picture tells whether there are any, which is rare: only then does the batch start
  // over and look for them, instead of every batch spending a statement on it.
  if (releaseHolds) await releaseLapsedHoldsOn(trx, { skus, locationIds }, now);
  const picture = await lockStockPicture(trx, skus, locationIds, now);
  if (picture.holdsLapsed && !releaseHolds) throw new HoldsLapsed();
  let supply = emptySupplyBook();
  const taken: TakenOrder[] = [];
  const answers = new Map<number, BatchAnswer>();
  const alternatives: AlternativesMemo = new Map();
  for (const candidate of candidates) {
    const book = copySupplyBook(supply);
    const assessed = await assessOrder(trx, candidate, picture, book, now);
    if (!assessed) continue;
    if (assessed.some((a) => a.outcome === 'refused')) {
      const channel = candidate.point.channel;
      answers.set(candidate.index, { refused: assessed, channel, alternatives });
      continue;
    }
    take(picture, assessed);
    supply = book;
    taken.push({ ...candidate, assessed });
  }
  if (taken.length === 0) return answers;
  const reservations = reservationsOf(taken.flatMap((t) => t.assessed));
  const { reserved, ids } = await reserve(trx, reservations, taken, now);
  if (reserved !== reservations.length) throw new StockMoved();
  for (const [index, placed] of await writeOrders(trx, taken, now, ids)) {
    answers.set(index, { placed });
  }
  return answers;
}

/** The batch's reservations; on PostgreSQL the new rows' ids come in the same round trip. */
async function reserve(
  trx: Transaction<DB>,
  reservations: ReturnType<typeof reservationsOf>,
  taken: readonly TakenOrder[],
  now: string,
): Promise<{ reserved: number; ids: DrawnIds | undefined }> {
  if (!isPostgres(trx)) {
    return { reserved: await reserveStockRows(trx, reservations, now), ids: undefined };
  }
  const lines = taken.reduce((n, t) => n + t.assessed.length, 0);
  const { reserved, ...ids } = await reserveAndDrawIds(
    trx,
    reservations,
    { orders: taken.length, lines },
    now,
  );
  return { reserved, ids };
}

/**
 * The order's lines assessed against the batch's picture and supply book, as far as the
 * batch can decide them: undefined for an unknown or unreleased item, or a preorder.
 */
async function assessOrder(
  trx: Transaction<DB>,
  { order, point }: Candidate,
  picture: StockPicture,
  supply: SupplyBook,
  now: string,
): Promise<AssessedLine[] | undefined> {
  const today = now.slice(0, 10);
  const items = new Map(picture.items.map((i) => [i.sku, i]));
  const requests: LineRequest[] = [];
  for (const line of order.input.lines) {
    const item = items.get(line.sku);
    // Unknown, or not yet released: placing it alone says what it gets.
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
    supply,
    ...(point.stockFrom === undefined ? {} : { stockFrom: point.stockFrom }),
    ...(point.pickup === undefined ? {} : { pickup: point.pickup }),
  });
  return assessed.some((a) => a.outcome === 'preorder') ? undefined : assessed;
}

/** What a placed order's lines take from stock is no longer free for the orders after it. */
function take(picture: StockPicture, assessed: readonly AssessedLine[]): void {
  for (const line of assessed) {
    for (const t of line.takes) {
      const row = picture.stockRows.find(
        (r) => r.item_id === line.item.id && r.location_id === t.locationId,
      )!;
      row.reserved += t.quantity;
    }
  }
}
