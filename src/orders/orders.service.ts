import { createHash } from 'node:crypto';
import type { Principal } from '../access/keys.service.js';
import { findAlternatives } from '../catalogue/alternatives.service.js';
import { type ResolvedChannel, requireChannel } from '../catalogue/channels.service.js';
import { findItemIdsBySku } from '../catalogue/items.repository.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Db } from '../db/schema.js';
import { reserveStock } from '../inventory/stock.repository.js';
import type { AppContext } from '../shared/context.js';
import { decodeCursor, encodeCursor, type Page } from '../shared/cursor.js';
import { recordEvent } from '../shared/domain-events.js';
import { AppError, ConflictError, NotFoundError } from '../shared/errors.js';
import { type AssessedLine, assessLines, basisOf, type LineRequest } from './order-assessment.js';
import { loadOrder, loadOrders } from './order-document.js';
import * as orderRepo from './orders.repository.js';
import type { ListOrdersQuery, Order, PlaceOrderBody, Quote, QuoteBody } from './orders.schemas.js';
import * as repo from './promise.repository.js';
import { addAllocation, pegValues } from './promise-queue.js';

/**
 * Quoting and placing orders (DESIGN section 5). Placing applies the assessment with one
 * conditional statement per stock row and per supply, in a fixed order (item id, then
 * location id); if any of them finds the row has moved since it was read, the whole
 * transaction is rolled back and assessed again. Nothing is ever read and then written.
 */

const today = (ctx: AppContext) => ctx.clock.now().toISOString().slice(0, 10);

async function resolveLines(db: Db, lines: QuoteBody['lines']): Promise<LineRequest[]> {
  const ids = await findItemIdsBySku(db, [...new Set(lines.map((l) => l.sku))]);
  const missing = [...new Set(lines.map((l) => l.sku).filter((sku) => !ids.has(sku)))];
  if (missing.length > 0) {
    throw new NotFoundError('ITEM_NOT_FOUND', `Unknown SKU(s): ${missing.join(', ')}`, {
      skus: missing,
    });
  }
  return lines.map((l) => ({
    sku: l.sku,
    itemId: ids.get(l.sku)!,
    quantity: l.quantity,
    acceptBackorder: l.acceptBackorder ?? false,
  }));
}

async function alternativesFor(ctx: AppContext, line: AssessedLine, channel: string) {
  return findAlternatives(ctx.db, ctx, {
    itemId: line.item.id,
    channel,
    quantity: line.request.quantity,
  });
}

export async function quoteOrder(ctx: AppContext, input: QuoteBody): Promise<Quote> {
  const channel = await requireChannel(ctx.db, input.channel);
  const requests = await resolveLines(ctx.db, input.lines);
  const assessed = await assessLines(ctx.db, channel, requests, today(ctx), { withSupply: true });
  const lines = await Promise.all(
    assessed.map(async (a, index) => ({
      line: index + 1,
      sku: a.request.sku,
      quantity: a.request.quantity,
      outcome: a.outcome,
      state: a.state,
      reason: a.reason,
      available: a.available,
      incoming: a.incoming,
      fromStock: a.takes.map((t) => ({ location: t.location, quantity: t.quantity })),
      backorder:
        a.promise && a.promise.quantity > 0
          ? {
              quantity: a.promise.quantity,
              date: a.promise.promisedDate!,
              confidence: a.promise.confidence!,
              restsOn: a.promise.pegs.map((p) => basisOf(p, a.supplier)),
            }
          : null,
      alternatives:
        a.outcome === 'refused' || a.state === 'backorder'
          ? await alternativesFor(ctx, a, channel.code)
          : [],
    })),
  );
  return { channel: channel.code, purchasable: lines.every((l) => l.outcome !== 'refused'), lines };
}

/** Same key, same body: whatever the first request was answered. */
export interface Placed {
  status: number;
  order: Order;
  replayed: boolean;
}

class StockMoved extends Error {}

/** The recorded refusal of an earlier request with the same key, answered again. */
export class ReplayedError extends AppError {
  readonly replayed = true;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

const hashOf = (body: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('hex');

async function replay(
  db: Db,
  scope: string,
  key: string,
  requestHash: string,
): Promise<Placed | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.request_hash !== requestHash) {
    throw new AppError(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for a different request',
      { idempotencyKey: key },
    );
  }
  if (row.status_code >= 400) {
    const error = JSON.parse(row.response) as { code: string; message: string; details: object };
    throw new ReplayedError(row.status_code, error.code, error.message, { ...error.details });
  }
  return { status: row.status_code, order: JSON.parse(row.response) as Order, replayed: true };
}

const MAX_ATTEMPTS = 50;

export async function placeOrder(
  ctx: AppContext,
  input: PlaceOrderBody,
  idempotencyKey: string,
  principal: Principal,
): Promise<Placed> {
  const scope = `key:${principal.keyId}`;
  const requestHash = hashOf(input);
  const earlier = await replay(ctx.db, scope, idempotencyKey, requestHash);
  if (earlier) return earlier;

  const channel = await requireChannel(ctx.db, input.channel);
  const requests = await resolveLines(ctx.db, input.lines);
  // Lines that may take a promise serialise on their item (see lockItems); decided from
  // the request alone, so the lock is always taken before any stock row.
  const promiseItems = requests.filter((r) => r.acceptBackorder).map((r) => r.itemId);
  const preorderItems = (
    await repo.findItemsForPromise(
      ctx.db,
      requests.map((r) => r.itemId),
    )
  )
    .filter((i) => i.release_date !== null && i.release_date > today(ctx))
    .map((i) => i.id);

  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.db.transaction().execute(async (trx) => {
        await repo.lockItems(trx, [...promiseItems, ...preorderItems]);
        const assessed = await assessLines(trx, channel, requests, today(ctx));
        const refused = assessed.filter((a) => a.outcome === 'refused');
        if (refused.length > 0) throw new Refusal(assessed);
        const order = await writeOrder(trx, ctx, channel, input, assessed, principal.actor);
        await trx
          .insertInto('idempotency_keys')
          .values({
            scope,
            key: idempotencyKey,
            request_hash: requestHash,
            status_code: 201,
            response: JSON.stringify(order),
            created_at: ctx.clock.now().toISOString(),
          })
          .execute();
        return { status: 201, order, replayed: false };
      });
    } catch (error) {
      if (error instanceof StockMoved && attempt < MAX_ATTEMPTS) continue;
      if (error instanceof StockMoved) {
        throw new AppError(503, 'CONTENDED', 'Stock kept changing while placing the order; retry', {
          attempts: attempt,
        });
      }
      if (isUniqueViolation(error)) {
        // The same key was placed concurrently and won: answer as it was answered.
        const winner = await replay(ctx.db, scope, idempotencyKey, requestHash);
        if (winner) return winner;
      }
      if (error instanceof Refusal) {
        const refusal = await refuse(ctx, channel, error.lines, scope, idempotencyKey, requestHash);
        if (refusal.claimed) throw refusal.error;
        // A concurrent copy of this request claimed the key first: its answer stands.
        const answer = await replay(ctx.db, scope, idempotencyKey, requestHash);
        if (answer) return answer;
        throw refusal.error;
      }
      throw error;
    }
  }
}

class Refusal extends Error {
  constructor(readonly lines: AssessedLine[]) {
    super('refused');
  }
}

/**
 * Records each refused line as lost demand and the refusal as the key's answer, then
 * returns the error naming every failing line with what would help the customer.
 */
async function refuse(
  ctx: AppContext,
  channel: ResolvedChannel,
  lines: readonly AssessedLine[],
  scope: string,
  key: string,
  requestHash: string,
): Promise<{ error: AppError; claimed: boolean }> {
  const now = ctx.clock.now().toISOString();
  const failing = await Promise.all(
    lines
      .map((line, index) => ({ line, number: index + 1 }))
      .filter(({ line }) => line.outcome === 'refused')
      .map(async ({ line, number }) => ({
        line: number,
        sku: line.request.sku,
        quantity: line.request.quantity,
        state: line.state,
        reason: line.reason,
        available: line.available,
        incoming: line.incoming,
        ...(line.promise &&
          line.promise.quantity > 0 && {
            backorder: { quantity: line.promise.quantity, date: line.promise.promisedDate },
          }),
        alternatives: await alternativesFor(ctx, line, channel.code),
        subscribe: {
          method: 'POST',
          path: '/v1/subscriptions',
          body: { sku: line.request.sku, channel: channel.code },
        },
      })),
  );
  const error = new ConflictError(
    'ORDER_REFUSED',
    `The order cannot be placed: ${failing.map((f) => `line ${f.line} (${f.sku}) is ${f.state}`).join('; ')}`,
    { lines: failing },
  );
  const claimed = await ctx.db.transaction().execute(async (trx) => {
    // Claim the key first: a concurrent copy of this request that already answered (or
    // refused) keeps its answer, and the lost demand is counted once.
    const claimed = await trx
      .insertInto('idempotency_keys')
      .values({
        scope,
        key,
        request_hash: requestHash,
        status_code: 409,
        response: JSON.stringify({
          code: error.code,
          message: error.message,
          details: error.details,
        }),
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return false;
    await trx
      .insertInto('lost_demand')
      .values(
        failing.map((f) => ({
          item_id: lines[f.line - 1]!.item.id,
          channel_id: channel.id,
          quantity: f.quantity,
          state: f.state,
          available: f.available,
          created_at: now,
        })),
      )
      .execute();
    return true;
  });
  return { error, claimed };
}

async function writeOrder(
  trx: Db,
  ctx: AppContext,
  channel: ResolvedChannel,
  input: PlaceOrderBody,
  assessed: readonly AssessedLine[],
  actor: string,
): Promise<Order> {
  const now = ctx.clock.now().toISOString();
  // Stock first, in item then location order: the fixed lock order of DESIGN section 2.
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
  const ordered = [...reservations.values()].sort(
    (a, b) => a.itemId - b.itemId || a.locationId - b.locationId,
  );
  for (const r of ordered) {
    const ok = await reserveStock(trx, r, r.quantity, { respectSafetyStock: true }, now);
    if (!ok) throw new StockMoved();
  }

  let customerId: number | null = null;
  if (input.customer) {
    const row = await trx
      .insertInto('customers')
      .values({
        name: input.customer.name,
        email: input.customer.email ?? null,
        phone: input.customer.phone ?? null,
        preferred_channel: input.customer.preferredChannel ?? 'email',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    customerId = row.id;
  }
  const { id: orderId } = await trx
    .insertInto('orders')
    .values({
      channel_id: channel.id,
      customer_id: customerId,
      reference: input.reference ?? null,
      created_by: actor,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const codes = new Map(channel.locations.map((l) => [l.code, l.locationId]));
  const home = channel.locations[0]?.locationId;
  for (const [index, line] of assessed.entries()) {
    const allocated = line.takes.reduce((s, t) => s + t.quantity, 0);
    const backordered = line.request.quantity - allocated;
    const { id: lineId } = await trx
      .insertInto('order_lines')
      .values({
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
        promised_date:
          line.preorder || backordered > 0 ? (line.promise?.promisedDate ?? null) : null,
        promise_confidence:
          line.preorder || backordered > 0 ? (line.promise?.confidence ?? null) : null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const take of line.takes) {
      await addAllocation(trx, lineId, line.item.id, take.locationId, take.quantity);
    }
    for (const peg of backordered > 0 ? (line.promise?.pegs ?? []) : []) {
      if (peg.kind === 'supply') {
        const ok =
          peg.source.kind === 'purchase_order'
            ? await repo.promiseFromOrderLine(trx, peg.source.lineId, peg.quantity)
            : await repo.promiseFromTransfer(trx, peg.source.transferId, peg.quantity);
        // Under the item lock nobody else promises this supply; a refusal means it moved.
        if (!ok) throw new StockMoved();
      }
      await repo.insertPegs(trx, [pegValues(peg, lineId, line.item.id, home!, codes)]);
    }
  }

  const order = await loadOrder(trx, orderId, now.slice(0, 10));
  await recordEvent(trx, {
    type: 'order.placed',
    subject: `order:${orderId}`,
    payload: {
      orderId,
      channel: channel.code,
      customerId,
      lines: order.lines.map((l) => ({
        line: l.line,
        sku: l.sku,
        quantity: l.quantity,
        allocated: l.allocated,
        backordered: l.backordered,
        preorder: l.preorder,
        promisedDate: l.promise?.date ?? null,
        confidence: l.promise?.confidence ?? null,
      })),
    },
    actor,
    now,
  });
  if (order.lines.some((l) => l.backordered > 0)) {
    await recordEvent(trx, {
      type: 'order.backordered',
      subject: `order:${orderId}`,
      payload: {
        orderId,
        channel: channel.code,
        customerId,
        lines: order.lines
          .filter((l) => l.backordered > 0)
          .map((l) => ({
            line: l.line,
            sku: l.sku,
            backordered: l.backordered,
            preorder: l.preorder,
            promisedDate: l.promise?.date ?? null,
            confidence: l.promise?.confidence ?? null,
          })),
      },
      actor,
      now,
    });
  }
  return order;
}

export function getOrder(ctx: AppContext, id: number): Promise<Order> {
  return loadOrder(ctx.db, id, today(ctx));
}

export async function listOrders(ctx: AppContext, query: ListOrdersQuery): Promise<Page<Order>> {
  const [afterId = 0] = decodeCursor(query.cursor);
  const channelId =
    query.channel === undefined ? undefined : (await requireChannel(ctx.db, query.channel)).id;
  const rows = await orderRepo.listOrderIds(ctx.db, {
    afterId,
    limit: query.limit + 1,
    ...(channelId !== undefined && { channelId }),
  });
  const page = rows.slice(0, query.limit);
  return {
    items: await loadOrders(
      ctx.db,
      page.map((r) => r.id),
      today(ctx),
    ),
    nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)!.id) : null,
  };
}
