import { channelScopeOf } from '../access/channel-scope.js';
import type { Principal } from '../access/principal.js';
import { type ResolvedChannel, resolveChannel } from '../catalogue/channels.service.js';
import { orderContact, requireCustomer } from '../customers/customers.service.js';
import { isDeadlock, isUniqueViolation } from '../db/errors.js';
import { lockItems } from '../kernel/backorders/promise.repository.js';
import type { AppContext } from '../kernel/context.js';
import { type IdempotentRequest, recordAnswer } from '../kernel/idempotency/idempotency.service.js';
import { isoDate } from '../shared/dates.js';
import { AppError, BadRequestError } from '../shared/errors.js';
import { assessLines } from './assess-lines.js';
import type { AssessedLine, LineRequest } from './assessed-line.js';
import { type SellingPoint, sellingPoint } from './counter-location.js';
import { orderRequest, type Placed, replayOrder } from './order-answers.js';
import type { OrderBatcher } from './order-batcher.js';
import type { Order, PlaceOrderBody } from './orders.schemas.js';
import { refuseOrder } from './refuse-order.js';
import { type AlternativesMemo, resolveLines } from './requested-lines.js';
import type { StockPicture } from './stock-picture.repository.js';
import { type OrderToWrite, StockMoved, writeOrder } from './write-order.js';

/**
 * Placing an order (DESIGN section 5) applies the assessment with one conditional
 * statement per stock row and per supply, in a fixed order (item id, then location id);
 * if any of them finds the row has moved since it was read, the whole transaction is
 * rolled back and assessed again. Nothing is ever read and then written. With a batcher
 * (the HTTP API always has one), orders are placed in batches instead
 * (src/orders/place-batch.ts), all but preorders and those the batch cannot answer.
 */

const MAX_ATTEMPTS = 50;

class Refusal extends Error {
  constructor(
    readonly lines: AssessedLine[],
    /** Shared by the refusals of one batch. */
    readonly alternatives?: AlternativesMemo,
  ) {
    super('refused');
  }
}

export async function placeOrder(
  ctx: AppContext,
  input: PlaceOrderBody,
  idempotencyKey: string,
  principal: Principal,
  batcher?: OrderBatcher,
): Promise<Placed> {
  const existingCustomer = await customerOf(ctx, input, principal);
  // No look-up of the key first: a retry runs like a first request and meets the key's
  // primary key when it stores its answer, then answers with the stored one instead.
  // Retries are rare; a look-up would cost every order a round trip.
  const request = orderRequest(principal.scope, idempotencyKey, input);
  if (batcher) {
    // Most orders are placed, backorders included, or refused, in one transaction with
    // others; the rest (preorders, errors, replays) are placed below, one by one.
    const answer = await batcher.orders.submit({
      input,
      existingCustomer,
      request,
      actor: principal.actor,
    });
    if (answer && 'placed' in answer) return answer.placed;
    if (answer) {
      const refusal = new Refusal(answer.refused, answer.alternatives);
      return answerFailure(ctx, refusal, 1, answer.channel, request, batcher);
    }
  }
  const point = sellingPoint(
    await resolveChannel(ctx, input.channel),
    input.location,
    input.pickupLocation,
  );
  const { channel } = point;
  const { requests, picture } = await resolveLines(
    ctx.db,
    input.lines,
    channel,
    ctx.clock.now().toISOString(),
  );
  // Lines that may take a promise serialise on their item (see lockItems); decided from
  // the request alone, so the lock is always taken before any stock row.
  const today = isoDate(ctx.clock.now());
  const locks = [
    ...requests.filter((r) => r.acceptBackorder).map((r) => r.itemId),
    ...requests.filter((r) => r.releaseDate !== null && r.releaseDate > today).map((r) => r.itemId),
  ];
  const order = { channel, input, existingCustomer, actor: principal.actor };
  for (let attempt = 1; ; attempt++) {
    try {
      // The first attempt at an order taken from stock alone uses the picture read
      // before the transaction; a promise needs one read under its locks, a retry a fresh one.
      const snapshot = attempt === 1 && locks.length === 0 ? picture : undefined;
      return await placeOnce(ctx, order, point, requests, locks, request, snapshot);
    } catch (error) {
      // A deadlock victim (PostgreSQL) wrote nothing: it is tried again like a stock move.
      if ((error instanceof StockMoved || isDeadlock(error)) && attempt < MAX_ATTEMPTS) continue;
      return answerFailure(ctx, error, attempt, channel, request, batcher);
    }
  }
}

/** One attempt in one transaction: the order and its key's answer commit together. */
function placeOnce(
  ctx: AppContext,
  order: Omit<OrderToWrite, 'assessed'>,
  point: SellingPoint,
  requests: readonly LineRequest[],
  locks: readonly number[],
  request: IdempotentRequest,
  snapshot: StockPicture | undefined,
): Promise<Placed> {
  return ctx.db.transaction().execute(async (trx) => {
    await lockItems(trx, locks);
    const assessed = await assessLines(
      trx,
      order.channel,
      requests,
      ctx.clock.now().toISOString(),
      {
        ...(snapshot ? { snapshot } : {}),
        ...(point.stockFrom === undefined ? {} : { stockFrom: point.stockFrom }),
        ...(point.pickup === undefined ? {} : { pickup: point.pickup }),
      },
    );
    if (assessed.some((a) => a.outcome === 'refused')) throw new Refusal(assessed);
    const now = ctx.clock.now().toISOString();
    const placed = await writeOrder(trx, { ...order, assessed, pickup: point.pickup }, now);
    await recordAnswer(trx, request, { status: 201, body: placed }, now);
    return { status: 201, order: placed, replayed: false };
  });
}

/** Why an attempt failed decides the answer: contention, a concurrent twin, or a refusal. */
async function answerFailure(
  ctx: AppContext,
  error: unknown,
  attempts: number,
  channel: ResolvedChannel,
  request: IdempotentRequest,
  batcher: OrderBatcher | undefined,
): Promise<Placed> {
  if (error instanceof StockMoved) {
    throw new AppError(
      'unavailable',
      'CONTENDED',
      'Stock kept changing while placing the order; retry',
      { attempts },
    );
  }
  if (isUniqueViolation(error)) {
    // The same key was placed concurrently and won: answer as it was answered.
    const winner = await replayOrder(ctx.db, request);
    if (winner) return winner;
  }
  if (error instanceof Refusal) {
    const refusal = await refuseOrder(ctx, channel, error.lines, request, {
      batcher: batcher?.refusals,
      alternatives: error.alternatives,
    });
    if (refusal.claimed) throw refusal.error;
    // A concurrent copy of this request claimed the key first: its answer stands.
    const answer = await replayOrder(ctx.db, request);
    if (answer) return answer;
    throw refusal.error;
  }
  throw error;
}

/**
 * The order's existing customer, or null. Customers are never deleted: found now, they
 * are there when the order is written. A channel key finds only its own channel's (the
 * route has checked input.channel is it).
 */
export async function customerOf(
  ctx: AppContext,
  input: PlaceOrderBody,
  principal: Principal,
): Promise<Order['customer']> {
  if (input.customer && input.customerId !== undefined) {
    throw new BadRequestError(
      'CUSTOMER_TWICE',
      'Give either customer (a new one) or customerId (an existing one), not both',
      { customerId: input.customerId },
    );
  }
  // A new customer must be reachable the way they asked, before any stock is touched.
  if (input.customer) orderContact(input.customer);
  if (input.customerId === undefined) return null;
  const found = await requireCustomer(ctx.db, input.customerId, channelScopeOf(principal));
  return {
    id: Number(found.id),
    name: found.name,
    email: found.email,
    phone: found.phone,
    preferredChannel: found.preferred_channel,
  };
}
