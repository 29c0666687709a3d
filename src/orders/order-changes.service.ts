import type { ChannelScope } from '../access/channel-scope.js';
import { requireLocation } from '../catalogue/locations.service.js';
import type { Db } from '../db/schema.js';
import * as repo from '../kernel/backorders/promise.repository.js';
import { fillFromArrival, replanItems, shrinkPeg } from '../kernel/backorders/promise-queue.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { recordEvent } from '../kernel/events/domain-events.js';
import {
  consumeReserved,
  insertLedgerEntry,
  releaseReserved,
} from '../kernel/ledger/stock.repository.js';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.js';
import { loadOrder } from './order-document.js';
import * as orderRepo from './orders.repository.js';
import type { CancelBody, Fulfilment, FulfilmentBody, Order } from './orders.schemas.js';

/**
 * What happens to an order after it is placed: cancelling lines (releasing reservations
 * and promises, then re-promising the queue behind them) and fulfilling reserved units.
 * Lock order: the order row, then items, then stock rows by item and location, then
 * supply rows — the same order every other use case takes them in.
 */

/** Another channel's order is, for a channel key, the same 404 as a missing one. */
async function lockedOrder(trx: Db, id: number, scope: ChannelScope = null) {
  if (!(await orderRepo.lockOrder(trx, id, scope))) {
    throw new NotFoundError('ORDER_NOT_FOUND', `No order ${id}`, { id });
  }
  return orderRepo.linesOf(trx, [id]);
}

function requireLines<T extends { line_no: number }>(
  id: number,
  lines: readonly T[],
  wanted: readonly number[],
): void {
  const unknown = wanted.filter((n) => !lines.some((l) => l.line_no === n));
  if (unknown.length > 0) {
    throw new NotFoundError(
      'ORDER_LINE_NOT_FOUND',
      `Order ${id} has no line ${unknown.join(', ')}`,
      {
        id,
        lines: unknown,
      },
    );
  }
  if (new Set(wanted).size !== wanted.length) {
    throw new BadRequestError('DUPLICATE_LINE', 'Each line may appear once', { lines: wanted });
  }
}

/**
 * Cancels the whole order or some of its lines. Waiting units go first (unpromised, then
 * the latest-promised), then reserved ones; freed supply passes to the next in line.
 */
export async function cancelOrder(
  ctx: AppContext,
  id: number,
  input: CancelBody,
  actor: Actor,
  scope: ChannelScope = null,
): Promise<Order> {
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    // The item locks come after the order's, and a receipt holding one of them may fill a
    // line meanwhile: decide from the lines as they are once every lock is held.
    await repo.lockItems(
      trx,
      (await lockedOrder(trx, id, scope)).map((l) => l.item_id),
    );
    const lines = await orderRepo.linesOf(trx, [id]);
    const wanted: { line: number; quantity?: number | undefined }[] =
      input.lines ?? lines.map((l) => ({ line: l.line_no }));
    requireLines(
      id,
      lines,
      wanted.map((w) => w.line),
    );
    const targets = wanted.map((w) => {
      const line = lines.find((l) => l.line_no === w.line)!;
      const open = line.quantity_allocated + line.quantity_backordered;
      const quantity = w.quantity ?? open;
      if (quantity > open) {
        throw new ConflictError(
          'CANCEL_EXCEEDS_OPEN',
          `Line ${w.line} has ${open} open; cannot cancel ${quantity}`,
          { id, line: w.line, open, quantity },
        );
      }
      return { line, quantity };
    });
    const effective = targets.filter((t) => t.quantity > 0);
    if (effective.length === 0) {
      throw new ConflictError('NOTHING_TO_CANCEL', `Order ${id} has nothing open to cancel`, {
        id,
      });
    }
    const allocations = await orderRepo.allocationsOf(
      trx,
      effective.map((t) => t.line.id),
    );
    const pegs = await repo.pegsOfLines(
      trx,
      effective.map((t) => t.line.id),
    );
    // Reservations released in item, then location order.
    const releases: { itemId: number; locationId: number; quantity: number; lineId: number }[] = [];
    for (const { line, quantity } of effective) {
      let left = quantity;
      const unpromised = Math.min(left, line.quantity_unpromised);
      left -= unpromised;
      const waitingPegged = Math.min(left, line.quantity_backordered - unpromised);
      let pegLeft = waitingPegged;
      const own = pegs
        .filter((p) => p.order_line_id === line.id)
        .sort((a, b) =>
          a.expected_date < b.expected_date
            ? 1
            : a.expected_date > b.expected_date
              ? -1
              : b.id - a.id,
        );
      for (const peg of own) {
        if (pegLeft === 0) break;
        const take = Math.min(peg.quantity, pegLeft);
        await shrinkPeg(trx, peg, take);
        pegLeft -= take;
      }
      left -= waitingPegged;
      const fromStock = left;
      for (const allocation of allocations
        .filter((a) => a.order_line_id === line.id)
        .sort((a, b) => b.location_id - a.location_id)) {
        if (left === 0) break;
        const take = Math.min(allocation.quantity, left);
        releases.push({
          itemId: line.item_id,
          locationId: allocation.location_id,
          quantity: take,
          lineId: line.id,
        });
        left -= take;
      }
      await trx
        .updateTable('order_lines')
        .set((eb) => ({
          quantity_cancelled: eb('quantity_cancelled', '+', quantity),
          quantity_backordered: eb('quantity_backordered', '-', unpromised + waitingPegged),
          quantity_unpromised: eb('quantity_unpromised', '-', unpromised),
          quantity_allocated: eb('quantity_allocated', '-', fromStock),
          ...(line.quantity_backordered === unpromised + waitingPegged && {
            promised_date:
              line.preorder === 1 && fromStock < line.quantity_allocated
                ? line.promised_date
                : null,
            promise_confidence:
              line.preorder === 1 && fromStock < line.quantity_allocated
                ? line.promise_confidence
                : null,
          }),
          updated_at: now,
        }))
        .where('id', '=', line.id)
        .execute();
    }
    for (const r of releases.sort((a, b) => a.itemId - b.itemId || a.locationId - b.locationId)) {
      if (!(await releaseReserved(trx, r, r.quantity, now))) {
        throw new Error(
          `Stock of item ${r.itemId} at ${r.locationId} holds less than its allocations`,
        );
      }
      await trx
        .updateTable('allocations')
        .set((eb) => ({ quantity: eb('quantity', '-', r.quantity) }))
        .where('order_line_id', '=', r.lineId)
        .where('location_id', '=', r.locationId)
        .execute();
    }
    await trx.updateTable('orders').set({ updated_at: now }).where('id', '=', id).execute();
    // Freed units serve the backorders waiting for the item before anyone else.
    const change = { reason: `order ${id} cancelled in part or whole`, actor, now };
    for (const r of releases) {
      await fillFromArrival(
        trx,
        { itemId: r.itemId, locationId: r.locationId, source: null, units: r.quantity },
        change,
      );
    }
    await replanItems(
      trx,
      effective.map((t) => t.line.item_id),
      change,
    );
    await recordEvent(trx, {
      type: 'order.cancelled',
      subject: `order:${id}`,
      payload: {
        orderId: id,
        lines: effective.map((t) => ({
          line: t.line.line_no,
          sku: t.line.sku,
          quantity: t.quantity,
        })),
        reason: input.reason ?? null,
      },
      actor,
      now,
    });
  });
  return loadOrder(ctx.db, id, now.slice(0, 10));
}

function normaliseFulfilment(input: FulfilmentBody): string {
  return JSON.stringify({
    kind: input.kind,
    lines: [...input.lines]
      .sort((a, b) => a.line - b.line)
      .map((l) => [l.line, l.quantity, l.location ?? null]),
  });
}

/**
 * Ships or hands over reserved units: on_hand and reserved drop together and a `sale`
 * ledger row references the order and fulfilment. The client's fulfilment id makes a
 * retry safe.
 */
export async function fulfilOrder(
  ctx: AppContext,
  id: number,
  input: FulfilmentBody,
  actor: Actor,
): Promise<{ replayed: boolean; receipt: Fulfilment }> {
  const now = ctx.clock.now().toISOString();
  const today = now.slice(0, 10);
  const result = await ctx.db.transaction().execute(async (trx) => {
    // The items' promise locks too: a receipt filling one of these lines holds one, and
    // takes stock rows in its own order; waiting for it first keeps the lock order fixed.
    await repo.lockItems(
      trx,
      (await lockedOrder(trx, id)).map((l) => l.item_id),
    );
    const lines = await orderRepo.linesOf(trx, [id]);
    const previous = await trx
      .selectFrom('fulfilments')
      .selectAll()
      .where('order_id', '=', id)
      .where('fulfilment_id', '=', input.fulfilmentId)
      .executeTakeFirst();
    if (previous) {
      if (previous.request !== normaliseFulfilment(input)) {
        throw new ConflictError(
          'FULFILMENT_ID_CONFLICT',
          `Fulfilment ${input.fulfilmentId} was already recorded with different lines`,
          { id, fulfilmentId: input.fulfilmentId },
        );
      }
      return { replayed: true, pk: previous.id, createdAt: previous.created_at };
    }
    requireLines(
      id,
      lines,
      input.lines.map((l) => l.line),
    );
    const allocations = await orderRepo.allocationsOf(
      trx,
      lines.map((l) => l.id),
    );
    const moves: {
      line: orderRepo.LineRow;
      locationId: number;
      location: string;
      quantity: number;
    }[] = [];
    for (const wanted of input.lines) {
      const line = lines.find((l) => l.line_no === wanted.line)!;
      if (line.preorder === 1 && line.release_date !== null && line.release_date > today) {
        throw new ConflictError(
          'NOT_RELEASED',
          `Line ${wanted.line} is a preorder of ${line.sku}, released on ${line.release_date}`,
          { id, line: wanted.line, releaseDate: line.release_date },
        );
      }
      const own = allocations.filter((a) => a.order_line_id === line.id);
      const at =
        wanted.location === undefined ? own : own.filter((a) => a.location === wanted.location);
      if (wanted.location !== undefined) await requireLocation(trx, wanted.location);
      const reserved = at.reduce((s, a) => s + a.quantity, 0);
      if (wanted.quantity > reserved) {
        throw new ConflictError(
          'NOT_ALLOCATED',
          `Line ${wanted.line} has ${reserved} reserved${wanted.location ? ` at ${wanted.location}` : ''}; cannot fulfil ${wanted.quantity}`,
          {
            id,
            line: wanted.line,
            reserved,
            quantity: wanted.quantity,
            location: wanted.location ?? null,
          },
        );
      }
      let left = wanted.quantity;
      for (const allocation of at) {
        if (left === 0) break;
        const take = Math.min(allocation.quantity, left);
        moves.push({
          line,
          locationId: allocation.location_id,
          location: allocation.location,
          quantity: take,
        });
        left -= take;
      }
    }
    const { id: pk } = await trx
      .insertInto('fulfilments')
      .values({
        order_id: id,
        fulfilment_id: input.fulfilmentId,
        kind: input.kind,
        request: normaliseFulfilment(input),
        actor,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const move of moves.sort(
      (a, b) => a.line.item_id - b.line.item_id || a.locationId - b.locationId,
    )) {
      const key = { itemId: move.line.item_id, locationId: move.locationId };
      const after = await consumeReserved(trx, key, move.quantity, now);
      if (!after)
        throw new Error(`Reserved stock of ${move.line.sku} at ${move.location} is missing`);
      await insertLedgerEntry(trx, {
        item_id: key.itemId,
        location_id: key.locationId,
        type: 'sale',
        quantity: -move.quantity,
        on_hand_after: after.on_hand,
        reason: input.kind === 'pickup' ? 'order picked up' : 'order shipped',
        reference: `order:${id}/fulfilment:${input.fulfilmentId}`,
        actor,
        created_at: now,
      });
      await trx
        .updateTable('allocations')
        .set((eb) => ({ quantity: eb('quantity', '-', move.quantity) }))
        .where('order_line_id', '=', move.line.id)
        .where('location_id', '=', move.locationId)
        .execute();
      await trx
        .updateTable('order_lines')
        .set((eb) => ({
          quantity_allocated: eb('quantity_allocated', '-', move.quantity),
          quantity_fulfilled: eb('quantity_fulfilled', '+', move.quantity),
          updated_at: now,
        }))
        .where('id', '=', move.line.id)
        .execute();
      await trx
        .insertInto('fulfilment_lines')
        .values({
          fulfilment_pk: pk,
          order_line_id: move.line.id,
          location_id: move.locationId,
          quantity: move.quantity,
        })
        .onConflict((oc) =>
          oc.columns(['fulfilment_pk', 'order_line_id', 'location_id']).doUpdateSet((eb) => ({
            quantity: eb('fulfilment_lines.quantity', '+', move.quantity),
          })),
        )
        .execute();
    }
    await trx.updateTable('orders').set({ updated_at: now }).where('id', '=', id).execute();
    await recordEvent(trx, {
      type: input.kind === 'pickup' ? 'order.picked_up' : 'order.shipped',
      subject: `order:${id}`,
      payload: {
        orderId: id,
        fulfilmentId: input.fulfilmentId,
        lines: moves.map((m) => ({
          line: m.line.line_no,
          sku: m.line.sku,
          location: m.location,
          quantity: m.quantity,
        })),
      },
      actor,
      now,
    });
    return { replayed: false, pk, createdAt: now };
  });
  const fulfilled = await ctx.db
    .selectFrom('fulfilment_lines')
    .innerJoin('order_lines', 'order_lines.id', 'fulfilment_lines.order_line_id')
    .innerJoin('items', 'items.id', 'order_lines.item_id')
    .innerJoin('locations', 'locations.id', 'fulfilment_lines.location_id')
    .select([
      'order_lines.line_no as line',
      'items.sku',
      'locations.code as location',
      'fulfilment_lines.quantity',
    ])
    .where('fulfilment_lines.fulfilment_pk', '=', result.pk)
    .orderBy('order_lines.line_no')
    .orderBy('locations.code')
    .execute();
  return {
    replayed: result.replayed,
    receipt: {
      fulfilmentId: input.fulfilmentId,
      orderId: id,
      kind: input.kind,
      createdAt: result.createdAt,
      lines: fulfilled,
      order: await loadOrder(ctx.db, id, today),
    },
  };
}
