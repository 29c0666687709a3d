import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { LedgerEntryType } from '../../db/tables/stock.js';
import { availableAt } from '../../domain/availability.js';
import { ConflictError, InsufficientStockError } from '../../shared/errors.js';
import type { Actor } from '../context.js';
import * as repo from './stock.repository.js';
import { type LedgerRow, MAX_ON_HAND, type StockKey } from './stock.repository.js';

/** The five quantities of an item at a location, as every capability reports them. */
export interface StockLevel {
  sku: string;
  location: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  available: number;
  updatedAt: string | null;
}

/** One row of the append-only ledger, as every capability reports it. */
export interface LedgerEntry {
  id: number;
  sku: string;
  location: string;
  type: LedgerEntryType;
  quantity: number;
  onHandAfter: number;
  reason: string;
  reference: string | null;
  actor: string;
  createdAt: string;
}

interface Quantities {
  on_hand: number;
  reserved: number;
  safety_stock: number;
  updated_at: string | null;
}

export function toStockLevel(sku: string, location: string, row: Quantities): StockLevel {
  return {
    sku,
    location,
    onHand: row.on_hand,
    reserved: row.reserved,
    safetyStock: row.safety_stock,
    available: availableAt({
      location,
      onHand: row.on_hand,
      reserved: row.reserved,
      safetyStock: row.safety_stock,
    }),
    updatedAt: row.updated_at,
  };
}

export function toLedgerEntry(sku: string, location: string, row: LedgerRow): LedgerEntry {
  return {
    id: row.id,
    sku,
    location,
    type: row.type,
    quantity: row.quantity,
    onHandAfter: row.on_hand_after,
    reason: row.reason,
    reference: row.reference,
    actor: row.actor,
    createdAt: row.created_at,
  };
}

export interface Movement {
  key: StockKey;
  sku: string;
  location: string;
  type: LedgerEntryType;
  delta: number;
  reason: string;
  reference: string | null;
  actor: Actor;
  now: string;
}

/**
 * The one way on_hand changes: a conditional UPDATE and its ledger row, inside the
 * caller's transaction. Other use cases (receipts, fulfilment) build on it.
 */
export async function postMovement(
  trx: Transaction<DB>,
  m: Movement,
): Promise<{ stock: StockLevel; entry: LedgerEntry }> {
  await repo.ensureStockRow(trx, m.key, m.now);
  const after = await repo.changeOnHand(trx, m.key, m.delta, m.now);
  if (!after) throw await refusal(trx, m);
  const entry = await repo.insertLedgerEntry(trx, {
    item_id: m.key.itemId,
    location_id: m.key.locationId,
    type: m.type,
    quantity: m.delta,
    on_hand_after: after.on_hand,
    reason: m.reason,
    reference: m.reference,
    actor: m.actor,
    created_at: m.now,
  });
  return {
    stock: toStockLevel(m.sku, m.location, after),
    entry: toLedgerEntry(m.sku, m.location, entry),
  };
}

/** Reads the row only to explain a refusal that the conditional update already decided. */
async function refusal(db: Transaction<DB>, m: Movement) {
  const row = await repo.findStock(db, m.key);
  const onHand = row?.on_hand ?? 0;
  const reserved = row?.reserved ?? 0;
  if (onHand + m.delta > MAX_ON_HAND) {
    return new ConflictError(
      'STOCK_LIMIT_EXCEEDED',
      `${m.sku} at ${m.location} would hold more than ${MAX_ON_HAND} units`,
      { sku: m.sku, location: m.location, onHand, delta: m.delta, limit: MAX_ON_HAND },
    );
  }
  return new InsufficientStockError(
    `Cannot remove ${-m.delta} from ${m.sku} at ${m.location}: ${onHand} on hand, ${reserved} reserved for orders`,
    { sku: m.sku, location: m.location, requested: -m.delta, onHand, reserved },
  );
}
