import { createHash } from 'node:crypto';
import { type ChannelScope, channelScopeOf } from '../access/channel-scope.js';
import type { Principal } from '../access/keys.service.js';
import { findAlternatives } from '../availability/alternatives.service.js';
import { type ResolvedChannel, requireChannel } from '../catalogue/channels.service.js';
import { orderContact, requireCustomer } from '../customers/customers.service.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Db } from '../db/schema.js';
import * as repo from '../kernel/backorders/promise.repository.js';
import { pegValues } from '../kernel/backorders/promise-queue.js';
import type { AppContext } from '../kernel/context.js';
import { recordEvents } from '../kernel/events/domain-events.js';
import {
  IdempotencyKeyReusedError,
  ReplayedRefusal,
} from '../kernel/idempotency/idempotency.service.js';
import { reserveStock } from '../kernel/ledger/stock.repository.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { decodeCursor, encodeCursor, type Page } from '../shared/cursor.js';
import { AppError, BadRequestError, ConflictError, NotFoundError } from '../shared/errors.js';
import { type AssessedLine, assessLines, basisOf, readStockPicture } from './order-assessment.js';
import { loadOrder, loadOrders, orderState, toLine } from './order-document.js';
import type { LineRow } from './orders.repository.js';
import * as orderRepo from './orders.repository.js';
import type { ListOrdersQuery, Order, PlaceOrderBody, Quote, QuoteBody } from './orders.schemas.js';

/**
 * Quoting and placing orders (DESIGN section 5). Placing applies the assessment with one
 * conditional statement per stock row and per supply, in a fixed order (item id, then
 * location id); if any of them finds the row has moved since it was read, the whole
 * transaction is rolled back and assessed again. Nothing is ever read and then written.
 */

const today = (ctx: AppContext) => ctx.clock.now().toISOString().slice(0, 10);

/**
 * The lines as item ids, with a first picture of their stock: unknown SKUs are a 404
 * naming every one.
 */
async function resolveLines(db: Db, lines: QuoteBody['lines'], channel: ResolvedChannel) {
  const picture = await readStockPicture(
    db,
    { skus: [...new Set(lines.map((l) => l.sku))] },
    channel.locations.map((l) => l.locationId),
  );
  const bySku = new Map(picture.items.map((i) => [i.sku, i]));
  const missing = [...new Set(lines.map((l) => l.sku).filter((sku) => !bySku.has(sku)))];
  if (missing.length > 0) {
    throw new NotFoundError('ITEM_NOT_FOUND', `Unknown SKU(s): ${missing.join(', ')}`, {
      skus: missing,
    });
  }
  const requests = lines.map((l) => ({
    sku: l.sku,
    itemId: bySku.get(l.sku)!.id,
    quantity: l.quantity,
    acceptBackorder: l.acceptBackorder ?? false,
    releaseDate: bySku.get(l.sku)!.release_date,
  }));
  return { requests, picture };
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
  const { requests, picture } = await resolveLines(ctx.db, input.lines, channel);
  const assessed = await assessLines(ctx.db, channel, requests, today(ctx), {
    withSupply: true,
    snapshot: picture,
  });
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

const hashOf = (body: unknown) => createHash('sha256').update(canonicalJson(body)).digest('hex');

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
    throw new IdempotencyKeyReusedError(key);
  }
  if (row.status_code >= 400) {
    const error = JSON.parse(row.response) as { code: string; message: string; details: object };
    throw new ReplayedRefusal(row.status_code, error.code, error.message, { ...error.details });
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
  if (input.customer && input.customerId !== undefined) {
    throw new BadRequestError(
      'CUSTOMER_TWICE',
      'Give either customer (a new one) or customerId (an existing one), not both',
      { customerId: input.customerId },
    );
  }
  // A new customer must be reachable the way they asked, before any stock is touched.
  if (input.customer) orderContact(input.customer);
  // Customers are never deleted: found now, they are there when the order is written. A
  // channel key finds only its own channel's (the route has checked input.channel is it).
  const existing =
    input.customerId === undefined
      ? null
      : await findCustomer(ctx.db, input.customerId, channelScopeOf(principal));
  const scope = `key:${principal.keyId}`;
  const requestHash = hashOf(input);
  // No look-up of the key first: a retry runs like a first request and meets the key's
  // primary key when it stores its answer, then answers with the stored one instead.
  // Retries are rare; a look-up would cost every order a round trip.

  const channel = await requireChannel(ctx.db, input.channel);
  const { requests, picture } = await resolveLines(ctx.db, input.lines, channel);
  // Lines that may take a promise serialise on their item (see lockItems); decided from
  // the request alone, so the lock is always taken before any stock row.
  const promiseItems = requests.filter((r) => r.acceptBackorder).map((r) => r.itemId);
  const preorderItems = requests
    .filter((r) => r.releaseDate !== null && r.releaseDate > today(ctx))
    .map((r) => r.itemId);

  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.db.transaction().execute(async (trx) => {
        const locks = [...promiseItems, ...preorderItems];
        await repo.lockItems(trx, locks);
        // The first attempt at an order taken from stock alone uses the picture read
        // before the transaction; a promise needs one read under its locks, a retry a fresh one.
        const assessed = await assessLines(trx, channel, requests, today(ctx), {
          ...(attempt === 1 && locks.length === 0 && { snapshot: picture }),
        });
        const refused = assessed.filter((a) => a.outcome === 'refused');
        if (refused.length > 0) throw new Refusal(assessed);
        const order = await writeOrder(
          trx,
          ctx,
          channel,
          input,
          existing,
          assessed,
          principal.actor,
        );
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
        throw new AppError(
          'unavailable',
          'CONTENDED',
          'Stock kept changing while placing the order; retry',
          {
            attempts: attempt,
          },
        );
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
  existingCustomer: Order['customer'],
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

  let customer = existingCustomer;
  if (customer === null && input.customer) {
    const contact = orderContact(input.customer);
    const row = await trx
      .insertInto('customers')
      .values({
        name: input.customer.name,
        email: contact.email,
        phone: contact.phone,
        preferred_channel: contact.preferredChannel,
        // The order's channel, whoever places it: that channel's keys may use them again.
        channel_id: channel.id,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    customer = { id: Number(row.id), name: input.customer.name, ...contact };
  }
  const customerId = customer?.id ?? null;
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
  const lineValues = assessed.map((line, index) => {
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
  // One statement for the lines and one for their allocations; ids matched by line number.
  const inserted = await trx
    .insertInto('order_lines')
    .values(lineValues)
    .returning(['id', 'line_no'])
    .execute();
  const lineIds = new Map(inserted.map((r) => [r.line_no, r.id]));
  const allocations = assessed.flatMap((line, index) =>
    line.takes.map((take) => ({
      order_line_id: lineIds.get(index + 1)!,
      location_id: take.locationId,
      item_id: line.item.id,
      quantity: take.quantity,
    })),
  );
  if (allocations.length > 0) await trx.insertInto('allocations').values(allocations).execute();

  const pegs: ReturnType<typeof pegValues>[] = [];
  for (const [index, line] of assessed.entries()) {
    if (lineValues[index]!.quantity_backordered === 0) continue;
    for (const peg of line.promise?.pegs ?? []) {
      if (peg.kind === 'supply') {
        const ok =
          peg.source.kind === 'purchase_order'
            ? await repo.promiseFromOrderLine(trx, peg.source.lineId, peg.quantity)
            : await repo.promiseFromTransfer(trx, peg.source.transferId, peg.quantity);
        // Under the item lock nobody else promises this supply; a refusal means it moved.
        if (!ok) throw new StockMoved();
      }
      pegs.push(pegValues(peg, lineIds.get(index + 1)!, line.item.id, home!, codes));
    }
  }
  await repo.insertPegs(trx, pegs);

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
  const backorderedLines = order.lines.filter((l) => l.backordered > 0);
  await recordEvents(trx, [
    {
      type: 'order.placed',
      subject: `order:${orderId}`,
      payload: { orderId, channel: channel.code, customerId, lines: order.lines.map(summary) },
      actor,
      now,
    },
    ...(backorderedLines.length > 0
      ? [
          {
            type: 'order.backordered',
            subject: `order:${orderId}`,
            payload: {
              orderId,
              channel: channel.code,
              customerId,
              lines: backorderedLines.map(summary),
            },
            actor,
            now,
          },
        ]
      : []),
  ]);
  return order;
}

/** Another channel's order is, for a channel key, the same 404 as a missing one. */
export function getOrder(ctx: AppContext, id: number, scope: ChannelScope = null): Promise<Order> {
  return loadOrder(ctx.db, id, today(ctx), scope);
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

/**
 * The placed order as GET /v1/orders/{id} would show it, built from what was just written
 * instead of read back: the same toLine mapping, fed the rows as inserted.
 */
function placedDocument(placed: {
  orderId: number;
  channel: string;
  input: PlaceOrderBody;
  customer: Order['customer'];
  assessed: readonly AssessedLine[];
  lineValues: readonly Omit<LineRow, 'id' | 'sku' | 'release_date'>[];
  lineIds: ReadonlyMap<number, number>;
  homeLocation: string;
  now: string;
}): Order {
  const { input, now } = placed;
  const today = now.slice(0, 10);
  const lines = placed.assessed.map((line, index) => {
    const id = placed.lineIds.get(index + 1)!;
    const row: LineRow = {
      ...placed.lineValues[index]!,
      id,
      sku: line.request.sku,
      release_date: line.item.release_date,
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
    const pegs =
      row.quantity_backordered === 0
        ? []
        : (line.promise?.pegs ?? []).map((peg, n) => ({
            id: n,
            order_line_id: id,
            purchase_order_line_id:
              peg.kind === 'supply' && peg.source.kind === 'purchase_order'
                ? peg.source.lineId
                : null,
            transfer_id:
              peg.kind === 'supply' && peg.source.kind === 'transfer'
                ? peg.source.transferId
                : null,
            quantity: peg.quantity,
            expected_date: peg.expectedDate,
            confidence: peg.confidence,
            // Lead-time promises are held at the channel's first location.
            location: peg.kind === 'supply' ? peg.location : placed.homeLocation,
            purchase_order_id:
              peg.kind === 'supply' && peg.source.kind === 'purchase_order'
                ? peg.source.purchaseOrderId
                : null,
            supplier:
              peg.kind === 'supply' && peg.source.kind === 'purchase_order'
                ? peg.source.supplier
                : null,
            from: peg.kind === 'supply' && peg.source.kind === 'transfer' ? peg.source.from : null,
          }));
    const lead =
      line.supplier.code !== null && line.supplier.leadTimeDays !== null
        ? { supplier: line.supplier.code, leadTimeDays: line.supplier.leadTimeDays }
        : undefined;
    return toLine(row, allocations, pegs, lead, today);
  });
  return {
    id: placed.orderId,
    channel: placed.channel,
    reference: input.reference ?? null,
    customer: placed.customer,
    state: orderState(lines.map((l) => l.state)),
    lines,
    createdAt: now,
    updatedAt: now,
  };
}

async function findCustomer(
  db: Db,
  id: number,
  scope: ChannelScope,
): Promise<NonNullable<Order['customer']>> {
  const found = await requireCustomer(db, id, scope);
  return {
    id: Number(found.id),
    name: found.name,
    email: found.email,
    phone: found.phone,
    preferredChannel: found.preferred_channel,
  };
}
