import type { Db } from '../../db/schema.js';
import { openQuantity, type SupplyLine, summariseSupply, supplyKey } from '../../domain/supply.js';
import type {
  PurchaseOrderSupplyRow,
  SupplyScope,
  TransferSupplyRow,
} from './supply.repository.js';
import * as repo from './supply.repository.js';

/**
 * Incoming supply (DESIGN sections 2, 4 and 6): open purchase-order lines of orders that
 * are out with the supplier (sent, confirmed, partially received; a draft is no
 * commitment) and transfers in transit, each due at a location on a date. The rules
 * (what is open, in which order promises are made) live in src/domain/supply.ts; this
 * file reads the rows and maps them.
 */

function fromOrderLine(row: PurchaseOrderSupplyRow): SupplyLine {
  return {
    source: {
      kind: 'purchase_order',
      purchaseOrderId: row.purchase_order_id,
      lineId: row.line_id,
      supplier: row.supplier,
    },
    location: row.location,
    expectedDate: row.expected_date,
    confidence: row.confidence,
    open: openQuantity({
      ordered: row.quantity_ordered,
      received: row.quantity_received,
      cancelled: row.quantity_cancelled,
    }),
  };
}

function fromTransfer(row: TransferSupplyRow): SupplyLine {
  return {
    source: { kind: 'transfer', transferId: row.transfer_id, from: row.from },
    location: row.location,
    expectedDate: row.expected_date,
    // Our own units, already on the road: the date is ours to keep, not a supplier's guess.
    confidence: 'confirmed',
    open: Math.max(0, row.quantity - row.quantity_received),
  };
}

/** One item's open supply rows, of both sources, as lines in promise order. */
export function supplyLinesOf(
  orders: readonly PurchaseOrderSupplyRow[],
  transfers: readonly TransferSupplyRow[],
): SupplyLine[] {
  return summariseSupply([...orders.map(fromOrderLine), ...transfers.map(fromTransfer)]).lines;
}

export async function supplyRows(db: Db, scope: SupplyScope) {
  // One after the other: `db` may be a transaction, whose one connection runs one query at a time.
  const orders = await repo.openPurchaseOrderSupply(db, scope);
  const transfers = await repo.openTransferSupply(db, scope);
  return [
    ...orders.map((row) => ({ itemId: row.item_id, line: fromOrderLine(row) })),
    ...transfers.map((row) => ({ itemId: row.item_id, line: fromTransfer(row) })),
  ];
}

/**
 * The open supply of one item due at the given locations, in promise order (earliest
 * date first; ties: confirmed before estimated, transfer before purchase order, older
 * document first). This is what the orders capability walks with `walkSupply` to peg
 * backorders: pass the result, the shortfall, and what earlier backorders already hold.
 * Inside a transaction, pass the transaction so the walk sees its own writes.
 */
export async function incomingSupply(
  db: Db,
  itemId: number,
  locationIds: readonly number[],
): Promise<SupplyLine[]> {
  const rows = await supplyRows(db, { firstItemId: itemId, lastItemId: itemId, locationIds });
  return summariseSupply(rows.map((r) => r.line)).lines;
}

export interface SupplyTotals {
  /** Units still to come: sum of open quantities. */
  total: number;
  /** Of those, the units not pegged to earlier backorders: what a new promise can use. */
  free: number;
  /** The earliest date any of them is due (ISO date). */
  nextExpectedDate: string | null;
}

/**
 * Open supply totals for every item with an id in [firstItemId, lastItemId] at the given
 * locations, in one grouped statement: the listings feed asks once per batch of items
 * instead of once per item. Items with nothing incoming are absent from the map.
 */
export async function incomingTotals(
  db: Db,
  firstItemId: number,
  lastItemId: number,
  locationIds: readonly number[],
): Promise<Map<number, SupplyTotals>> {
  const rows = await repo.openSupplyTotals(db, { firstItemId, lastItemId, locationIds });
  return new Map(
    rows.map((row) => [
      row.item_id,
      { total: row.total, free: row.free, nextExpectedDate: row.next_expected_date },
    ]),
  );
}

/** Open supply of an item in promise order, with the units earlier backorders hold on each. */
export interface PromisableSupply {
  lines: SupplyLine[];
  /** Units of each line already pegged (quantity_promised), keyed by supplyKey. */
  held: Map<string, number>;
}

/**
 * The open supply lines of a few items at the given locations, with what is promised on
 * each, in two statements whatever the number of items: the listings feed asks once per
 * batch for the items whose promise must be dated. Items with nothing open are absent.
 */
export async function promisableSupply(
  db: Db,
  itemIds: readonly number[],
  locationIds: readonly number[],
): Promise<Map<number, PromisableSupply>> {
  const result = new Map<number, PromisableSupply>();
  if (itemIds.length === 0) return result;
  const scope: SupplyScope = {
    firstItemId: Math.min(...itemIds),
    lastItemId: Math.max(...itemIds),
    locationIds,
    itemIds,
  };
  // One after the other: `db` may be a transaction, whose one connection runs one query at a time.
  const orders = await repo.openPurchaseOrderSupply(db, scope);
  const transfers = await repo.openTransferSupply(db, scope);
  const add = (itemId: number, line: SupplyLine, promised: number) => {
    let entry = result.get(itemId);
    if (!entry) {
      entry = { lines: [], held: new Map() };
      result.set(itemId, entry);
    }
    entry.lines.push(line);
    if (promised > 0) entry.held.set(supplyKey(line.source), promised);
  };
  for (const row of orders) add(row.item_id, fromOrderLine(row), row.quantity_promised);
  for (const row of transfers) add(row.item_id, fromTransfer(row), row.quantity_promised);
  for (const entry of result.values()) entry.lines = summariseSupply(entry.lines).lines;
  return result;
}
