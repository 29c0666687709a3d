import type { Transaction } from 'kysely';
import type { ResolvedChannel } from '../catalogue/channels.service.js';
import { requireLocation } from '../catalogue/locations.service.js';
import type { DB } from '../db/schema.js';
import { writeTransaction } from '../db/write-transaction.js';
import { takeFromAllocation } from '../kernel/backorders/promise-queue.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { recordEvent, recordEvents } from '../kernel/events/domain-events.js';
import { releaseLapsedHoldsBefore } from '../kernel/holds/release-holds.js';
import { sameRequest } from '../kernel/idempotency/idempotency.service.js';
import { consumeReserved, insertLedgerEntry } from '../kernel/ledger/stock.repository.js';
import { ConflictError } from '../shared/errors.js';
import { sellingPoint } from './counter-location.js';
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
import { channelOfOrder } from './order-edit.js';
import { type AllocationRow, allocationsOf, type LineRow } from './orders.repository.js';
import type { Fulfilment, FulfilmentBody } from './orders.schemas.js';
import {
  freeAt,
  inLockOrder,
  passOnReleased,
  releaseFromLine,
  reserveForLine,
  type StockStep,
} from './reallocation.js';

/** Reserved units leaving one location for one line. */
interface Move {
  line: LineRow;
  locationId: number;
  location: string;
  quantity: number;
}

/** Reserved units of a line re-allocated to the location it ships from, in the same transaction. */
interface Reallocation {
  line: LineRow;
  fromId: number;
  from: string;
  toId: number;
  to: string;
  quantity: number;
}

/**
 * Ships or hands over reserved units: on_hand and reserved drop together and a `sale`
 * ledger row references the order and fulfilment. The client's fulfilment id makes a
 * retry safe. A line may ship from a location it is not (or not fully) reserved at, if
 * that location has the units free: they are re-allocated there from the line's other
 * locations in the same transaction, and the units released there fill the backorders
 * waiting for them first.
 */
export async function fulfilOrder(
  ctx: AppContext,
  id: number,
  input: FulfilmentBody,
  actor: Actor,
): Promise<{ replayed: boolean; receipt: Fulfilment }> {
  const now = ctx.clock.now().toISOString();
  const today = now.slice(0, 10);
  // Re-allocating needs the channel's locations; read outside the transaction (its cache).
  const channel = input.lines.some((l) => l.location !== undefined)
    ? await channelOfOrder(ctx, id, null)
    : undefined;
  const result = await writeTransaction(ctx.db, async (trx) => {
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
    const { moves, reallocations } = await planMoves(
      trx,
      { id, input, channel },
      lines,
      allocations,
      today,
    );
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
    // Hold rows before stock rows: holds lapsed where units are re-allocated go first.
    const reservations = reallocations.map((r) => ({ itemId: r.line.item_id, locationId: r.toId }));
    await releaseLapsedHoldsBefore(trx, reservations, now);
    await inLockOrder([
      ...reallocationSteps(trx, id, input, reallocations, now),
      ...moves.map(
        (move): StockStep => ({
          itemId: move.line.item_id,
          locationId: move.locationId,
          phase: 'consume',
          apply: () => applyMove(trx, { id, input, actor, pk, now }, move),
        }),
      ),
    ]);
    await passReallocated(trx, { id, input, actor, now }, reallocations);
    await touchOrder(trx, id, now);
    await recordFulfilled(trx, { id, input, actor, now }, moves);
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

/** order.shipped or order.picked_up, naming where each line's units left from. */
function recordFulfilled(
  trx: Transaction<DB>,
  { id, input, actor, now }: { id: number; input: FulfilmentBody; actor: Actor; now: string },
  moves: readonly Move[],
): Promise<void> {
  return recordEvent(trx, {
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
 * Which reserved units leave from where: a line's allocations in location order, or all
 * from the location named, re-allocating there from the line's other locations (in
 * location order) what it lacks. A preorder waits for its release; nobody ships more
 * than the line has reserved.
 */
async function planMoves(
  trx: Transaction<DB>,
  order: { id: number; input: FulfilmentBody; channel: ResolvedChannel | undefined },
  lines: readonly LineRow[],
  allocations: readonly AllocationRow[],
  today: string,
): Promise<{ moves: Move[]; reallocations: Reallocation[] }> {
  const { id, input } = order;
  const moves: Move[] = [];
  const reallocations: Reallocation[] = [];
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
    if (wanted.location === undefined) {
      requireReserved(id, wanted, sum(own));
      moves.push(...takeFrom(line, own, wanted.quantity));
      continue;
    }
    const location = await requireLocation(trx, wanted.location);
    const here = sum(own.filter((a) => a.location_id === location.id));
    const elsewhere = own.filter((a) => a.location_id !== location.id);
    requireReserved(id, wanted, here, sum(elsewhere));
    moves.push({
      line,
      locationId: location.id,
      location: location.code,
      quantity: wanted.quantity,
    });
    if (here >= wanted.quantity) continue;
    // Only a location the channel sells from may take the line's reservation.
    sellingPoint(order.channel!, location.code);
    for (const take of takeFrom(line, elsewhere, wanted.quantity - here)) {
      reallocations.push({
        line,
        fromId: take.locationId,
        from: take.location,
        toId: location.id,
        to: location.code,
        quantity: take.quantity,
      });
    }
  }
  return { moves, reallocations };
}

const sum = (allocations: readonly AllocationRow[]) =>
  allocations.reduce((s, a) => s + a.quantity, 0);

/** Units of a line from its allocations, in the order given. */
function takeFrom(line: LineRow, allocations: readonly AllocationRow[], quantity: number): Move[] {
  const moves: Move[] = [];
  let left = quantity;
  for (const allocation of allocations) {
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
  return moves;
}

/** Nobody ships more than the line has reserved: at the location named, plus elsewhere. */
function requireReserved(
  id: number,
  wanted: FulfilmentBody['lines'][number],
  reserved: number,
  elsewhere = 0,
): void {
  if (wanted.quantity <= reserved + elsewhere) return;
  throw new ConflictError(
    'NOT_ALLOCATED',
    `Line ${wanted.line} has ${reserved} reserved${wanted.location ? ` at ${wanted.location} and ${elsewhere} elsewhere` : ''}; cannot fulfil ${wanted.quantity}`,
    {
      id,
      line: wanted.line,
      reserved,
      quantity: wanted.quantity,
      location: wanted.location ?? null,
      ...(wanted.location !== undefined && { reservedElsewhere: elsewhere }),
    },
  );
}

/**
 * Each re-allocation reserves at the location shipped from (free stock only: too little
 * is 409 NOT_ALLOCATED, rolling everything back) and releases where the units were.
 */
function reallocationSteps(
  trx: Transaction<DB>,
  id: number,
  input: FulfilmentBody,
  reallocations: readonly Reallocation[],
  now: string,
): StockStep[] {
  return reallocations.flatMap((r): StockStep[] => [
    {
      itemId: r.line.item_id,
      locationId: r.toId,
      phase: 'reserve',
      apply: async () => {
        if (await reserveForLine(trx, r.line, r.toId, r.quantity, now)) return;
        const free = await freeAt(trx, { itemId: r.line.item_id, locationId: r.toId });
        const wanted = input.lines.find((l) => l.line === r.line.line_no)!;
        throw new ConflictError(
          'NOT_ALLOCATED',
          `Line ${wanted.line} has ${wanted.quantity - r.quantity} reserved at ${r.to}, which has ${free} free to re-allocate; cannot fulfil ${wanted.quantity}`,
          {
            id,
            line: wanted.line,
            reserved: wanted.quantity - r.quantity,
            quantity: wanted.quantity,
            location: r.to,
            free,
          },
        );
      },
    },
    {
      itemId: r.line.item_id,
      locationId: r.fromId,
      phase: 'release',
      apply: () => releaseFromLine(trx, r.line, r.fromId, r.quantity, now),
    },
  ]);
}

/** Re-allocated units: the backorders waiting where they were released, and the event. */
async function passReallocated(
  trx: Transaction<DB>,
  { id, input, actor, now }: { id: number; input: FulfilmentBody; actor: Actor; now: string },
  reallocations: readonly Reallocation[],
): Promise<void> {
  if (reallocations.length === 0) return;
  const change = { reason: `order ${id} shipped from another location`, actor, now };
  await passOnReleased(
    trx,
    reallocations.map((r) => ({ itemId: r.line.item_id, locationId: r.fromId, units: r.quantity })),
    change,
  );
  await recordEvents(
    trx,
    reallocations.map((r) => ({
      type: 'order.line_changed',
      subject: `order:${id}`,
      payload: {
        orderId: id,
        line: r.line.line_no,
        sku: r.line.sku,
        change: 'moved',
        from: r.from,
        to: r.to,
        quantity: r.quantity,
        fulfilmentId: input.fulfilmentId,
      },
      actor,
      now,
    })),
  );
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
