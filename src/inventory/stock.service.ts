import { requireItem } from '../catalogue/items.service.js';
import { requireLocation } from '../catalogue/locations.service.js';
import type { Db } from '../db/schema.js';
import { lockItems } from '../kernel/backorders/promise.repository.js';
import {
  fillFromArrival,
  type QueueChange,
  releaseReservations,
  replanItems,
} from '../kernel/backorders/promise-queue.js';
import type { Actor, AppContext } from '../kernel/context.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { postMovement, toLedgerEntry, toStockLevel } from '../kernel/ledger/movement.js';
import type { StockKey } from '../kernel/ledger/stock.repository.js';
import * as repo from '../kernel/ledger/stock.repository.js';
import { decodeCursor, type Page, toPage } from '../shared/cursor.js';
import { BadRequestError, ConflictError } from '../shared/errors.js';
import type {
  AdjustmentBody,
  AuditReport,
  CountBody,
  LedgerEntry,
  ListLedgerQuery,
  ListStockQuery,
  StockLevel,
  Transfer,
  TransferBody,
} from './stock.schemas.js';

async function resolveKey(db: Db, sku: string, location: string) {
  // Sequential: `db` is often a transaction, whose one connection runs one query at a time.
  const item = await requireItem(db, sku);
  const loc = await requireLocation(db, location);
  return { itemId: item.id, locationId: loc.id } satisfies StockKey;
}

const SIGN_RULES: Record<NonNullable<AdjustmentBody['type']>, -1 | 0 | 1> = {
  adjustment: 0,
  receipt: 1,
  return: 1,
  sale: -1,
  damage: -1,
};

/** Adds or removes units with a reason; refuses to leave fewer units than are reserved. */
export async function adjustStock(
  ctx: AppContext,
  input: AdjustmentBody,
  actor: Actor,
  idempotency?: IdempotentRequest,
) {
  const type = input.type ?? 'adjustment';
  const sign = SIGN_RULES[type];
  if (sign !== 0 && Math.sign(input.delta) !== sign) {
    throw new BadRequestError(
      'DELTA_SIGN_MISMATCH',
      `A ${type} must ${sign > 0 ? 'add' : 'remove'} units: delta must be ${sign > 0 ? 'positive' : 'negative'}`,
      { type, delta: input.delta },
    );
  }
  const now = ctx.clock.now().toISOString();
  return transactionWithAnswer(ctx, idempotency, async (trx) => {
    const key = await resolveKey(trx, input.sku, input.location);
    // Units coming or going may keep or break promises: the item's promise lock first.
    await lockItems(trx, [key.itemId]);
    const change = { reason: `${type} of ${input.delta} at ${input.location}`, actor, now };
    if (input.delta < 0 && input.releaseReservations) {
      await makeRoom(trx, key, input.delta, change);
    }
    const posted = await postMovement(trx, {
      key,
      sku: input.sku,
      location: input.location,
      type,
      delta: input.delta,
      reason: input.reason,
      reference: input.reference ?? null,
      actor,
      now,
    });
    return settleQueue(trx, key, input.delta, change, posted);
  });
}

/** Releases the most recent reservations so that on_hand + delta stays >= reserved. */
async function makeRoom(trx: Db, key: StockKey, delta: number, change: QueueChange) {
  const row = await repo.findStock(trx, key);
  const shortBy = (row?.reserved ?? 0) - ((row?.on_hand ?? 0) + delta);
  if (shortBy > 0) await releaseReservations(trx, key, shortBy, change);
}

/**
 * After on_hand moved: units that came in serve waiting backorders first, and every
 * promise of the item is re-planned (lost reservations get new dates, or none).
 */
async function settleQueue<T extends { stock: StockLevel }>(
  trx: Db,
  key: StockKey,
  delta: number,
  change: QueueChange,
  posted: T,
): Promise<T> {
  if (delta > 0) {
    await fillFromArrival(trx, { ...key, source: null, units: delta }, change);
  }
  await replanItems(trx, [key.itemId], change);
  const row = await repo.findStock(trx, key);
  return row
    ? { ...posted, stock: toStockLevel(posted.stock.sku, posted.stock.location, row) }
    : posted;
}

/**
 * Records a physical count. With `expected`, the count applies only if on_hand still
 * has that value (compare-and-set), so a count taken before a sale cannot erase it.
 */
export async function recordCount(
  ctx: AppContext,
  input: CountBody,
  actor: Actor,
  idempotency?: IdempotentRequest,
) {
  const now = ctx.clock.now().toISOString();
  return transactionWithAnswer(ctx, idempotency, async (trx) => {
    const key = await resolveKey(trx, input.sku, input.location);
    await lockItems(trx, [key.itemId]);
    await repo.ensureStockRow(trx, key, now);
    const change = { reason: `stock count at ${input.location}`, actor, now };
    if (input.releaseReservations) {
      const row = await repo.findStock(trx, key);
      // Only a count that will apply may release reservations.
      if (input.expected === undefined || row?.on_hand === input.expected) {
        await makeRoom(trx, key, input.quantity - (row?.on_hand ?? 0), change);
      }
    }
    const after = await repo.setCountedOnHand(trx, key, input.quantity, input.expected, now);
    if (!after) {
      const row = await repo.findStock(trx, key);
      const details = {
        sku: input.sku,
        location: input.location,
        counted: input.quantity,
        expected: input.expected ?? null,
        onHand: row?.on_hand ?? 0,
        reserved: row?.reserved ?? 0,
      };
      if (input.expected !== undefined && row?.on_hand !== input.expected) {
        throw new ConflictError(
          'STALE_COUNT',
          `on_hand of ${input.sku} at ${input.location} is ${details.onHand}, not the expected ${input.expected}: recount or resend with the current value`,
          details,
        );
      }
      throw new ConflictError(
        'COUNT_BELOW_RESERVED',
        `Counted ${input.quantity} but ${details.reserved} are reserved for orders at ${input.location}; release or move those orders first`,
        details,
      );
    }
    const entry = await repo.insertLedgerEntry(trx, {
      item_id: key.itemId,
      location_id: key.locationId,
      type: 'count',
      quantity: after.last_delta,
      on_hand_after: after.on_hand,
      reason: input.reason ?? 'stock count',
      reference: input.reference ?? null,
      actor,
      created_at: now,
    });
    return settleQueue(trx, key, after.last_delta, change, {
      stock: toStockLevel(input.sku, input.location, after),
      entry: toLedgerEntry(input.sku, input.location, entry),
    });
  });
}

/**
 * Moves units between two locations at once (same building, or a move already made).
 * Both rows are touched in location-id order so that two opposite transfers cannot
 * deadlock on PostgreSQL.
 */
export async function transferStock(
  ctx: AppContext,
  input: TransferBody,
  actor: Actor,
  idempotency?: IdempotentRequest,
): Promise<Transfer> {
  if (input.from === input.to) {
    throw new BadRequestError('SAME_LOCATION', 'A transfer needs two different locations', {
      from: input.from,
      to: input.to,
    });
  }
  const now = ctx.clock.now().toISOString();
  const reason = input.reason ?? 'transfer';
  return transactionWithAnswer(ctx, idempotency, async (trx) => {
    const item = await requireItem(trx, input.sku);
    const from = await requireLocation(trx, input.from);
    const to = await requireLocation(trx, input.to);
    const source = { itemId: item.id, locationId: from.id };
    const target = { itemId: item.id, locationId: to.id };
    const moves = [
      { key: source, delta: -input.quantity, code: from.code, type: 'transfer_out' as const },
      { key: target, delta: input.quantity, code: to.code, type: 'transfer_in' as const },
    ].sort((a, b) => a.key.locationId - b.key.locationId);

    const transfer = await trx
      .insertInto('transfers')
      .values({
        item_id: item.id,
        from_location_id: from.id,
        to_location_id: to.id,
        quantity: input.quantity,
        quantity_received: input.quantity,
        state: 'completed',
        expected_date: null,
        received_at: now,
        reason,
        reference: input.reference ?? null,
        actor,
        created_at: now,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();

    const results = new Map<string, { stock: StockLevel; entry: LedgerEntry }>();
    for (const move of moves) {
      const posted = await postMovement(trx, {
        key: move.key,
        sku: input.sku,
        location: move.code,
        type: move.type,
        delta: move.delta,
        reason,
        reference: input.reference ?? `transfer:${transfer.id}`,
        actor,
        now,
      });
      results.set(move.type, posted);
    }
    const out = results.get('transfer_out')!;
    const into = results.get('transfer_in')!;
    return {
      id: transfer.id,
      sku: input.sku,
      from: from.code,
      to: to.code,
      quantity: input.quantity,
      state: 'completed',
      reason,
      reference: input.reference ?? null,
      createdAt: now,
      stock: [out.stock, into.stock],
      entries: [out.entry, into.entry],
    };
  });
}

export async function setSafetyStock(
  ctx: AppContext,
  sku: string,
  location: string,
  safetyStock: number,
): Promise<StockLevel> {
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const key = await resolveKey(trx, sku, location);
    await repo.ensureStockRow(trx, key, now);
    const after = await repo.setSafetyStock(trx, key, safetyStock, now);
    return toStockLevel(sku, location, after!);
  });
}

export async function getStockLevel(
  ctx: AppContext,
  sku: string,
  location: string,
): Promise<StockLevel> {
  const key = await resolveKey(ctx.db, sku, location);
  const row = await repo.findStock(ctx.db, key);
  // An item × location never touched has no row: it simply holds nothing.
  return toStockLevel(
    sku,
    location,
    row ?? { on_hand: 0, reserved: 0, safety_stock: 0, updated_at: null },
  );
}

export async function listStock(ctx: AppContext, query: ListStockQuery): Promise<Page<StockLevel>> {
  const [itemAfter = 0, locationAfter = 0] = decodeCursor(query.cursor, 2);
  const [item, location] = await Promise.all([
    query.sku === undefined ? undefined : requireItem(ctx.db, query.sku),
    query.location === undefined ? undefined : requireLocation(ctx.db, query.location),
  ]);
  const rows = await repo.listStock(ctx.db, {
    after: [itemAfter, locationAfter],
    limit: query.limit + 1,
    ...(item && { itemId: item.id }),
    ...(location && { locationId: location.id }),
  });
  return toPage(
    rows,
    query.limit,
    (row) => toStockLevel(row.sku, row.location, row),
    (row) => [row.item_id, row.location_id],
  );
}

export async function listLedger(
  ctx: AppContext,
  query: ListLedgerQuery,
): Promise<Page<LedgerEntry>> {
  const [beforeId = 0] = decodeCursor(query.cursor);
  const [item, location] = await Promise.all([
    query.sku === undefined ? undefined : requireItem(ctx.db, query.sku),
    query.location === undefined ? undefined : requireLocation(ctx.db, query.location),
  ]);
  const rows = await repo.listLedger(ctx.db, {
    limit: query.limit + 1,
    ...(item && { itemId: item.id }),
    ...(location && { locationId: location.id }),
    ...(query.type !== undefined && { type: query.type }),
    ...(beforeId > 0 && { beforeId }),
  });
  return toPage(
    rows,
    query.limit,
    (row) => toLedgerEntry(row.sku, row.location, row),
    (row) => [row.id],
  );
}

/** Recomputes on_hand from the ledger for every item × location and lists any drift. */
export async function auditLedger(ctx: AppContext): Promise<AuditReport> {
  const [drift, checkedRows] = await Promise.all([
    repo.findLedgerDrift(ctx.db),
    repo.countStockRows(ctx.db),
  ]);
  return {
    ok: drift.length === 0,
    checkedRows,
    drift: drift.map((row) => ({
      sku: row.sku,
      location: row.location,
      onHand: row.on_hand,
      ledgerTotal: Number(row.ledger_total),
      difference: row.on_hand - Number(row.ledger_total),
    })),
  };
}
