import type { Transaction } from 'kysely';
import type { ChannelScope } from '../access/channel-scope.js';
import type { DB } from '../db/schema.js';
import { writeTransaction } from '../db/write-transaction.js';
import { chooseReleases } from '../domain/partial-cancel.js';
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
import { allocationsOf, type LineRow } from './orders.repository.js';
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
 * the latest-promised), then reserved ones, from the allocations that leave the shipment
 * in the fewest places (domain/partial-cancel.ts); freed supply passes to the next in line.
 */
export async function cancelOrder(
  ctx: AppContext,
  id: number,
  input: CancelBody,
  actor: Actor,
  scope: ChannelScope = null,
): Promise<Order> {
  const now = ctx.clock.now().toISOString();
  await writeTransaction(ctx.db, async (trx) => {
    const lines = await lockOrderLines(trx, id, scope);
    const targets = cancelTargets(id, lines, input);
    const lineIds = targets.map((t) => t.line.id);
    // Every line's allocations, not only the cancelled ones': a location other lines
    // still ship from is no stop saved (see chooseReleases).
    const allocations = await allocationsOf(
      trx,
      lines.map((l) => l.id),
    );
    const pegs = await pegsOfLines(trx, lineIds);
    const fromStock: { lineId: number; quantity: number }[] = [];
    for (const target of targets) {
      fromStock.push({
        lineId: target.line.id,
        quantity: await cancelLine(trx, target, pegs, now),
      });
    }
    const releases: Release[] = chooseReleases(
      allocations.map((a) => ({
        lineId: a.order_line_id,
        locationId: a.location_id,
        quantity: a.quantity,
      })),
      fromStock.filter((f) => f.quantity > 0),
    ).map((r) => ({ ...r, itemId: lines.find((l) => l.id === r.lineId)!.item_id }));
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
 * whose count is returned for the caller to choose the allocations (chooseReleases) and
 * release them in lock order.
 */
async function cancelLine(
  trx: Transaction<DB>,
  { line, quantity }: Target,
  pegs: readonly PegRow[],
  now: string,
): Promise<number> {
  const unpromised = Math.min(quantity, line.quantity_unpromised);
  const waitingPegged = Math.min(quantity - unpromised, line.quantity_backordered - unpromised);
  await shrinkLatestPegs(
    trx,
    pegs.filter((p) => p.order_line_id === line.id),
    waitingPegged,
  );
  const fromStock = quantity - unpromised - waitingPegged;
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
  return fromStock;
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
