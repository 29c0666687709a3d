import type { Transaction } from 'kysely';
import { requireLocation } from '../catalogue/locations.service.js';
import type { DB } from '../db/schema.js';
import { takeFromAllocation } from '../kernel/backorders/promise-queue.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { recordEvent } from '../kernel/events/domain-events.js';
import { sameRequest } from '../kernel/idempotency/idempotency.service.js';
import { consumeReserved, insertLedgerEntry } from '../kernel/ledger/stock.repository.js';
import { ConflictError } from '../shared/errors.js';
import { lockOrderLines, requireLines } from './locked-order.js';
import {
  addFulfilmentLine,
  type FulfilmentRow,
  findFulfilment,
  fulfilFromLine,
  fulfilmentLinesOf,
  insertFulfilment,
  touchOrder,
} from './order-changes.repository.js';
import { loadOrder } from './order-document.js';
import { type AllocationRow, allocationsOf, type LineRow } from './orders.repository.js';
import type { Fulfilment, FulfilmentBody } from './orders.schemas.js';

/** Reserved units leaving one location for one line. */
interface Move {
  line: LineRow;
  locationId: number;
  location: string;
  quantity: number;
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
    const lines = await lockOrderLines(trx, id, null);
    const previous = await findFulfilment(trx, id, input.fulfilmentId);
    if (previous) return replayedFulfilment(id, input, previous);
    requireLines(
      id,
      lines,
      input.lines.map((l) => l.line),
    );
    const allocations = await allocationsOf(
      trx,
      lines.map((l) => l.id),
    );
    const moves = await planMoves(trx, id, input, lines, allocations, today);
    const pk = await insertFulfilment(trx, {
      order_id: id,
      fulfilment_id: input.fulfilmentId,
      kind: input.kind,
      request: normaliseFulfilment(input),
      actor,
      created_at: now,
    });
    // Stock rows in item, then location order: the fixed lock order.
    moves.sort((a, b) => a.line.item_id - b.line.item_id || a.locationId - b.locationId);
    for (const move of moves) await applyMove(trx, { id, input, actor, pk, now }, move);
    await touchOrder(trx, id, now);
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
  const fulfilled = await fulfilmentLinesOf(ctx.db, result.pk);
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

/** What identifies a fulfilment's request: its kind and lines, in line order. */
function normaliseFulfilment(input: FulfilmentBody): string {
  return JSON.stringify({
    kind: input.kind,
    lines: [...input.lines]
      .sort((a, b) => a.line - b.line)
      .map((l) => [l.line, l.quantity, l.location ?? null]),
  });
}

/**
 * The same fulfilment id with the same lines is a retry, answered as the first time; with
 * other lines it is a conflict.
 */
function replayedFulfilment(id: number, input: FulfilmentBody, previous: FulfilmentRow) {
  const same = sameRequest(previous, normaliseFulfilment(input), () => {
    return new ConflictError(
      'FULFILMENT_ID_CONFLICT',
      `Fulfilment ${input.fulfilmentId} was already recorded with different lines`,
      { id, fulfilmentId: input.fulfilmentId },
    );
  })!;
  return { replayed: true, pk: same.id, createdAt: same.created_at };
}

/**
 * Which reserved units leave from where: a line's allocations in location order, or only
 * the location named. A preorder waits for its release; nobody ships more than is reserved.
 */
async function planMoves(
  trx: Transaction<DB>,
  id: number,
  input: FulfilmentBody,
  lines: readonly LineRow[],
  allocations: readonly AllocationRow[],
  today: string,
): Promise<Move[]> {
  const moves: Move[] = [];
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
  return moves;
}

/** One move: stock and its ledger row, the allocation, the line, the fulfilment's line. */
async function applyMove(
  trx: Transaction<DB>,
  fulfilment: { id: number; input: FulfilmentBody; actor: Actor; pk: number; now: string },
  move: Move,
): Promise<void> {
  const { id, input, actor, pk, now } = fulfilment;
  const key = { itemId: move.line.item_id, locationId: move.locationId };
  const after = await consumeReserved(trx, key, move.quantity, now);
  if (!after) throw new Error(`Reserved stock of ${move.line.sku} at ${move.location} is missing`);
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
  await takeFromAllocation(trx, move.line.id, move.locationId, move.quantity);
  await fulfilFromLine(trx, move.line.id, move.quantity, now);
  await addFulfilmentLine(trx, {
    fulfilment_pk: pk,
    order_line_id: move.line.id,
    location_id: move.locationId,
    quantity: move.quantity,
  });
}
