import type { Transaction } from 'kysely';
import type { ChannelScope } from '../access/channel-scope.js';
import type { DB } from '../db/schema.js';
import { type PegRow, pegsOfLines } from '../kernel/backorders/promise.repository.js';
import {
  fillFromArrival,
  replanItems,
  shrinkPeg,
  takeFromAllocation,
} from '../kernel/backorders/promise-queue.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { recordEvent } from '../kernel/events/domain-events.js';
import { releaseReserved } from '../kernel/ledger/stock.repository.js';
import { ConflictError } from '../shared/errors.js';
import { lockOrderLines, requireLines } from './locked-order.js';
import { cancelFromLine, touchOrder } from './order-changes.repository.js';
import { loadOrder } from './order-document.js';
import { type AllocationRow, allocationsOf, type LineRow } from './orders.repository.js';
import type { CancelBody, Order } from './orders.schemas.js';

/** A line and how many of its open units to cancel. */
interface Target {
  line: LineRow;
  quantity: number;
}

/** Reserved units a cancellation gives back to stock. */
interface Release {
  itemId: number;
  locationId: number;
  quantity: number;
  lineId: number;
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
    const targets = cancelTargets(id, await lockOrderLines(trx, id, scope), input);
    const lineIds = targets.map((t) => t.line.id);
    const allocations = await allocationsOf(trx, lineIds);
    const pegs = await pegsOfLines(trx, lineIds);
    const releases: Release[] = [];
    for (const target of targets) {
      releases.push(...(await cancelLine(trx, target, pegs, allocations, now)));
    }
    // Reservations released in item, then location order.
    releases.sort((a, b) => a.itemId - b.itemId || a.locationId - b.locationId);
    for (const r of releases) {
      if (!(await releaseReserved(trx, r, r.quantity, now))) {
        throw new Error(
          `Stock of item ${r.itemId} at ${r.locationId} holds less than its allocations`,
        );
      }
      await takeFromAllocation(trx, r.lineId, r.locationId, r.quantity);
    }
    await touchOrder(trx, id, now);
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
      targets.map((t) => t.line.item_id),
      change,
    );
    await recordEvent(trx, {
      type: 'order.cancelled',
      subject: `order:${id}`,
      payload: {
        orderId: id,
        lines: targets.map((t) => ({
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

/** The lines asked for (all by default), each with something open to cancel. */
function cancelTargets(id: number, lines: readonly LineRow[], input: CancelBody): Target[] {
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
  return effective;
}

/**
 * Cancels one line's units: waiting ones first (their pegs shrink now), then reserved ones,
 * returned for the caller to release in lock order, last location first.
 */
async function cancelLine(
  trx: Transaction<DB>,
  { line, quantity }: Target,
  pegs: readonly PegRow[],
  allocations: readonly AllocationRow[],
  now: string,
): Promise<Release[]> {
  const unpromised = Math.min(quantity, line.quantity_unpromised);
  const waitingPegged = Math.min(quantity - unpromised, line.quantity_backordered - unpromised);
  await shrinkLatestPegs(
    trx,
    pegs.filter((p) => p.order_line_id === line.id),
    waitingPegged,
  );
  const fromStock = quantity - unpromised - waitingPegged;
  const releases: Release[] = [];
  let left = fromStock;
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
  // A preorder that keeps reserved units still ships on its release date.
  const keepsPromise = line.preorder === 1 && fromStock < line.quantity_allocated;
  await cancelFromLine(
    trx,
    line.id,
    {
      cancelled: quantity,
      waiting: unpromised + waitingPegged,
      unpromised,
      reserved: fromStock,
      ...(line.quantity_backordered === unpromised + waitingPegged && {
        promise: keepsPromise
          ? { date: line.promised_date, confidence: line.promise_confidence }
          : { date: null, confidence: null },
      }),
    },
    now,
  );
  return releases;
}

/** Waiting units leave the latest-promised pegs first. */
async function shrinkLatestPegs(
  trx: Transaction<DB>,
  own: readonly PegRow[],
  quantity: number,
): Promise<void> {
  let left = quantity;
  const latestFirst = [...own].sort((a, b) =>
    a.expected_date < b.expected_date ? 1 : a.expected_date > b.expected_date ? -1 : b.id - a.id,
  );
  for (const peg of latestFirst) {
    if (left === 0) break;
    const take = Math.min(peg.quantity, left);
    await shrinkPeg(trx, peg, take);
    left -= take;
  }
}
