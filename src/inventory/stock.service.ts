import { requireItem } from '../catalogue/items.service.js';
import { requireLocation } from '../catalogue/locations.service.js';
import { writeTransaction } from '../db/write-transaction.js';
import { findPromiseDrift } from '../kernel/backorders/promise-audit.repository.js';
import type { AppContext } from '../kernel/context.js';
import { toLedgerEntry, toStockLevel } from '../kernel/ledger/movement.js';
import * as repo from '../kernel/ledger/stock.repository.js';
import { decodeCursor, type Page, toPage } from '../shared/cursor.js';
import {
  decodeChangedCursor,
  encodeChangedCursor,
  normaliseSince,
} from '../shared/updated-since.js';
import { findReservationDrift } from './reservation-audit.repository.js';
import type {
  AuditReport,
  LedgerEntry,
  ListLedgerQuery,
  ListStockQuery,
  StockLevel,
} from './stock.schemas.js';
import { listChangedStock } from './stock-changes.repository.js';
import { resolveKey } from './stock-queue.js';

/**
 * Stock levels and the ledger as staff read them, and the safety stock they set. The
 * moves have a file each (adjust-stock.ts, record-count.ts, transfer-stock.ts); they are
 * re-exported here for callers written against this module.
 */
export { adjustStock } from './adjust-stock.js';
export { recordCount } from './record-count.js';
export { transferStock } from './transfer-stock.js';

export async function setSafetyStock(
  ctx: AppContext,
  sku: string,
  location: string,
  safetyStock: number,
): Promise<StockLevel> {
  const now = ctx.clock.now().toISOString();
  return writeTransaction(ctx.db, async (trx) => {
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
  const [item, location] = await Promise.all([
    query.sku === undefined ? undefined : requireItem(ctx.db, query.sku),
    query.location === undefined ? undefined : requireLocation(ctx.db, query.location),
  ]);
  const keys = {
    ...(item && { itemId: item.id }),
    ...(location && { locationId: location.id }),
  };
  if (query.updatedSince !== undefined) {
    const after = decodeChangedCursor(query.cursor, 2);
    const rows = await listChangedStock(ctx.db, {
      ...keys,
      since: normaliseSince(query.updatedSince),
      ...(after && { after: [after.updatedAt, after.key[0]!, after.key[1]!] }),
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => toStockLevel(row.sku, row.location, row)),
      nextCursor:
        rows.length > query.limit && last
          ? encodeChangedCursor(last.updated_at, last.item_id, last.location_id)
          : null,
    };
  }
  const [itemAfter = 0, locationAfter = 0] = decodeCursor(query.cursor, 2);
  const rows = await repo.listStock(ctx.db, {
    after: [itemAfter, locationAfter],
    limit: query.limit + 1,
    ...keys,
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

/**
 * Recomputes on_hand from the ledger for every item × location, and every promise counter
 * from its pegs, and lists any drift.
 */
export async function auditLedger(ctx: AppContext): Promise<AuditReport> {
  const [drift, checkedRows, promiseDrift, reservationDrift] = await Promise.all([
    repo.findLedgerDrift(ctx.db),
    repo.countStockRows(ctx.db),
    findPromiseDrift(ctx.db),
    findReservationDrift(ctx.db),
  ]);
  return {
    ok: drift.length === 0 && promiseDrift.length === 0 && reservationDrift.length === 0,
    checkedRows,
    drift: drift.map((row) => ({
      sku: row.sku,
      location: row.location,
      onHand: row.on_hand,
      ledgerTotal: Number(row.ledger_total),
      difference: row.on_hand - Number(row.ledger_total),
    })),
    promiseDrift,
    reservationDrift,
  };
}
