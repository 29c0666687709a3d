import type { Transaction } from 'kysely';
import { findItemIdsBySku } from '../catalogue/items.repository.js';
import { findLocationsByCode } from '../catalogue/locations.repository.js';
import type { DB } from '../db/schema.js';
import { fillFromArrival } from '../kernel/backorders/fill-from-arrival.js';
import { lockItems } from '../kernel/backorders/promise.repository.js';
import { replanItems } from '../kernel/backorders/replan.js';
import type { Actor, AppContext } from '../kernel/context.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { toStockLevel } from '../kernel/ledger/movement.js';
import type { StockKey } from '../kernel/ledger/stock.repository.js';
import * as stockRepo from '../kernel/ledger/stock.repository.js';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.js';
import * as repo from './set-quantities.repository.js';
import type {
  SetQuantitiesBody,
  SetQuantitiesResult,
  SetQuantityRow,
} from './set-quantities.schemas.js';

interface KeyedRow extends SetQuantityRow {
  index: number;
  key: StockKey;
}

interface Refusal {
  index: number;
  sku: string;
  location: string;
  reason: 'stale' | 'below_reserved';
  quantity: number;
  compareQuantity: number | null;
  onHand: number;
  reserved: number;
}

/**
 * Sets the on-hand quantity of many item × locations at once, all or nothing: every row
 * is a compare-and-set count, and one refused row refuses the call (409, every refused
 * row named), so a sync never leaves half its rows applied.
 */
export async function setQuantities(
  ctx: AppContext,
  input: SetQuantitiesBody,
  actor: Actor,
  idempotency?: IdempotentRequest,
): Promise<SetQuantitiesResult> {
  refuseDuplicates(input.quantities);
  const now = ctx.clock.now().toISOString();
  return transactionWithAnswer(
    ctx,
    idempotency,
    async (trx) => {
      const rows = await resolveRows(trx, input.quantities);
      // The fixed lock order: item promise locks, then stock rows by item, then location.
      await lockItems(
        trx,
        rows.map((r) => r.key.itemId),
      );
      const ordered = [...rows].sort(
        (a, b) => a.key.itemId - b.key.itemId || a.key.locationId - b.key.locationId,
      );
      const change = { reason: `quantities set: ${input.reason}`, actor, now };
      const applied = new Map<number, { delta: number; ledgerEntryId: number | null }>();
      const refusals: Refusal[] = [];
      await repo.ensureStockRows(
        trx,
        ordered.map((r) => r.key),
        now,
      );
      for (const row of ordered) {
        const after = await repo.setOnHand(trx, row.key, row.quantity, row.compareQuantity, now);
        if (!after) {
          refusals.push(await explainRefusal(trx, row));
          continue;
        }
        // Once one row is refused nothing will commit: the rest are only checked.
        if (refusals.length > 0 || after.last_delta === 0) {
          applied.set(row.index, { delta: after.last_delta, ledgerEntryId: null });
          continue;
        }
        const entry = await stockRepo.insertLedgerEntry(trx, {
          item_id: row.key.itemId,
          location_id: row.key.locationId,
          type: 'count',
          quantity: after.last_delta,
          on_hand_after: after.on_hand,
          reason: input.reason,
          reference: input.reference ?? null,
          actor,
          created_at: now,
        });
        applied.set(row.index, { delta: after.last_delta, ledgerEntryId: entry.id });
      }
      if (refusals.length > 0) throw refusedError(refusals);
      await settleQueues(trx, ordered, applied, change);
      return { rows: await report(trx, rows, applied) };
    },
    (result) => ({ status: 200, body: result }),
  );
}

function refuseDuplicates(rows: readonly SetQuantityRow[]) {
  const seen = new Map<string, number[]>();
  rows.forEach((row, index) => {
    const id = JSON.stringify([row.sku, row.location]);
    seen.set(id, [...(seen.get(id) ?? []), index]);
  });
  const duplicates = [...seen.entries()]
    .filter(([, indexes]) => indexes.length > 1)
    .map(([id, indexes]) => {
      const [sku, location] = JSON.parse(id) as [string, string];
      return { sku, location, rows: indexes };
    });
  if (duplicates.length > 0) {
    throw new BadRequestError(
      'DUPLICATE_ROWS',
      `Each item × location may appear once: ${duplicates.map((d) => `${d.sku} at ${d.location}`).join(', ')} ${duplicates.length === 1 ? 'appears' : 'appear'} more than once`,
      { duplicates },
    );
  }
}

/** Every unknown SKU and location named in one 404, not just the first. */
async function resolveRows(
  trx: Transaction<DB>,
  rows: readonly SetQuantityRow[],
): Promise<KeyedRow[]> {
  const skus = [...new Set(rows.map((r) => r.sku))];
  const codes = [...new Set(rows.map((r) => r.location))];
  const items = await findItemIdsBySku(trx, skus);
  const locations = new Map(
    (await findLocationsByCode(trx, codes)).map((l) => [l.code, l.id] as const),
  );
  const unknownSkus = skus.filter((s) => !items.has(s));
  const unknownLocations = codes.filter((c) => !locations.has(c));
  if (unknownSkus.length > 0 || unknownLocations.length > 0) {
    const named = [
      ...(unknownSkus.length > 0 ? [`SKU(s) ${unknownSkus.join(', ')}`] : []),
      ...(unknownLocations.length > 0 ? [`location(s) ${unknownLocations.join(', ')}`] : []),
    ];
    throw new NotFoundError(
      unknownSkus.length > 0 ? 'ITEM_NOT_FOUND' : 'LOCATION_NOT_FOUND',
      `Unknown ${named.join(' and ')}`,
      { unknownSkus, unknownLocations },
    );
  }
  return rows.map((row, index) => ({
    ...row,
    index,
    key: { itemId: items.get(row.sku)!, locationId: locations.get(row.location)! },
  }));
}

/** Reads the row only to explain a refusal that the conditional update already decided. */
async function explainRefusal(trx: Transaction<DB>, row: KeyedRow): Promise<Refusal> {
  const current = await stockRepo.findStock(trx, row.key);
  const onHand = current?.on_hand ?? 0;
  const reserved = current?.reserved ?? 0;
  const stale = row.compareQuantity !== undefined && row.compareQuantity !== onHand;
  return {
    index: row.index,
    sku: row.sku,
    location: row.location,
    reason: stale ? 'stale' : 'below_reserved',
    quantity: row.quantity,
    compareQuantity: row.compareQuantity ?? null,
    onHand,
    reserved,
  };
}

function refusedError(refusals: Refusal[]) {
  const rows = refusals.sort((a, b) => a.index - b.index);
  const stale = rows.filter((r) => r.reason === 'stale');
  if (stale.length > 0) {
    return new ConflictError(
      'STALE_QUANTITIES',
      `${stale.length} row(s) no longer hold their compareQuantity (${stale.map((r) => `${r.sku} at ${r.location} has ${r.onHand}`).join(', ')}); nothing was changed: re-read and resend`,
      { rows },
    );
  }
  return new ConflictError(
    'QUANTITY_BELOW_RESERVED',
    `${rows.length} row(s) would hold fewer units than are reserved for orders (${rows.map((r) => `${r.sku} at ${r.location}: ${r.reserved} reserved`).join(', ')}); nothing was changed`,
    { rows },
  );
}

/**
 * As after a count: units that came in serve waiting backorders first, then every promise
 * of the items that moved is re-planned once.
 */
async function settleQueues(
  trx: Transaction<DB>,
  ordered: readonly KeyedRow[],
  applied: ReadonlyMap<number, { delta: number }>,
  change: { reason: string; actor: string; now: string },
) {
  const moved = ordered.filter((r) => (applied.get(r.index)?.delta ?? 0) !== 0);
  for (const row of moved) {
    const delta = applied.get(row.index)!.delta;
    if (delta > 0) await fillFromArrival(trx, { ...row.key, source: null, units: delta }, change);
  }
  await replanItems(
    trx,
    moved.map((r) => r.key.itemId),
    change,
  );
}

async function report(
  trx: Transaction<DB>,
  rows: readonly KeyedRow[],
  applied: ReadonlyMap<number, { delta: number; ledgerEntryId: number | null }>,
): Promise<SetQuantitiesResult['rows']> {
  const found = await repo.findStockRows(
    trx,
    rows.map((r) => r.key),
  );
  const byKey = new Map(found.map((s) => [`${s.item_id}:${s.location_id}`, s]));
  return rows.map((row) => {
    const stock = byKey.get(`${row.key.itemId}:${row.key.locationId}`)!;
    const { delta, ledgerEntryId } = applied.get(row.index)!;
    return {
      stock: toStockLevel(row.sku, row.location, stock),
      previousQuantity: row.quantity - delta,
      delta,
      ledgerEntryId,
    };
  });
}
