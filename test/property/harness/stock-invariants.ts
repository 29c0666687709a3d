import assert from 'node:assert/strict';
import type { AppContext } from '../../../src/kernel/context.js';
import { groupBy, sumBy } from './sums.js';

/** DESIGN section 2's stock invariants, checked against the rows as they stand. */

export type StockRow = Awaited<ReturnType<typeof readStock>>[number];
export type LedgerRow = Awaited<ReturnType<typeof readLedger>>[number];

/** The stock quantities of every item × location, in item then location order. */
export function readStock(db: AppContext['db']) {
  return db
    .selectFrom('stock')
    .select(['item_id', 'location_id', 'on_hand', 'reserved', 'safety_stock'])
    .orderBy('item_id')
    .orderBy('location_id')
    .execute();
}

/** The whole ledger, in the order it was written. */
export function readLedger(db: AppContext['db']) {
  return db
    .selectFrom('stock_ledger')
    .select(['id', 'item_id', 'location_id', 'type', 'quantity', 'on_hand_after', 'reference'])
    .orderBy('id')
    .execute();
}

export const stockCell = (r: { item_id: number; location_id: number }) =>
  `${r.item_id}:${r.location_id}`;

/**
 * Invariants 1–3 on every stock row: 0 ≤ reserved ≤ on_hand (nothing oversold),
 * on_hand = sum(ledger), with `allocations` reserved = sum(allocations), and no ledger
 * row or allocation without its stock row. With `chain`, each ledger row's on_hand_after
 * is the running sum in id order (rows of one cell are written under its stock row's
 * lock, so a lost update breaks the chain); `reservedFixed` adds that no row went below
 * what is reserved, true only where nothing changes reservations. Returns sum(on_hand).
 */
export function checkStock(
  stock: readonly StockRow[],
  ledger: readonly LedgerRow[],
  options: {
    fail: (message: string, ...rows: unknown[]) => string;
    allocations?: readonly { item_id: number; location_id: number; quantity: number }[];
    chain?: { reservedFixed: boolean };
  },
): number {
  const { fail, allocations, chain } = options;
  const ledgerByCell = groupBy(ledger, stockCell);
  const ledgerSum = sumBy(ledger, stockCell, (r) => r.quantity);
  const allocatedSum = sumBy(allocations ?? [], stockCell, (r) => r.quantity);
  let onHandTotal = 0;
  for (const row of stock) {
    onHandTotal += row.on_hand;
    assert.ok(
      row.reserved >= 0 && row.reserved <= row.on_hand,
      fail('invariant 1: 0 ≤ reserved ≤ on_hand', row),
    );
    assert.equal(
      row.on_hand,
      ledgerSum.get(stockCell(row)) ?? 0,
      fail('invariant 2: on_hand = sum(ledger)', row),
    );
    if (allocations) {
      assert.equal(
        row.reserved,
        allocatedSum.get(stockCell(row)) ?? 0,
        fail('invariant 3: reserved = sum(allocations) (+ held units)', row),
      );
    }
    if (chain) {
      const entries = ledgerByCell.get(stockCell(row)) ?? [];
      let running = 0;
      for (const entry of entries) {
        running += entry.quantity;
        assert.equal(entry.on_hand_after, running, fail('ledger chain', row, entry));
        if (chain.reservedFixed) {
          assert.ok(entry.on_hand_after >= row.reserved, fail('entry below reserved', row, entry));
        }
      }
      if (entries.length > 0) {
        assert.equal(entries.at(-1)!.on_hand_after, row.on_hand, fail('newest on_hand_after', row));
      }
    }
  }
  const cells = new Set(stock.map(stockCell));
  for (const key of [...ledgerSum.keys(), ...allocatedSum.keys()])
    assert.ok(cells.has(String(key)), fail('ledger rows or allocations without a stock row', key));
  return onHandTotal;
}
