import assert from 'node:assert/strict';
import type { PurchaseOrderState } from '../../../src/domain/purchase-order-lifecycle.js';
import type { AppContext } from '../../../src/kernel/context.js';
import type { ReceiptBody } from '../../../src/purchasing/purchase-orders.schemas.js';
import type { LedgerRow } from './stock-invariants.js';
import { groupBy, sumOf } from './sums.js';

/** Supply (transfers and purchase orders) against its receipts and the ledger. */

/** The service's normal form of a receipt's lines, to tell a replay from a reused id. */
export const normaliseReceipt = (lines: ReceiptBody['lines']) =>
  JSON.stringify([...lines].sort((a, b) => a.line - b.line).map((l) => [l.line, l.quantity]));

export const CLOSED_ORDER_STATES: readonly PurchaseOrderState[] = ['received', 'cancelled'];

/** Units dispatched and not yet arrived. */
export async function unitsInTransit(ctx: AppContext): Promise<number> {
  const rows = await ctx.db
    .selectFrom('transfers')
    .select(['quantity', 'quantity_received'])
    .where('state', 'in', ['in_transit', 'partially_received'])
    .execute();
  return rows.reduce((sum, r) => sum + r.quantity - r.quantity_received, 0);
}

/**
 * Transfers: nothing in transit goes negative, each received quantity is its receipts'
 * sum and its transfer_in ledger rows' sum, and each dispatch took its units off the
 * source once. Returns the units in transit.
 */
export async function checkTransfers(
  db: AppContext['db'],
  ledger: readonly LedgerRow[],
  expected: { transfers?: number } = {},
): Promise<number> {
  const transfers = await db.selectFrom('transfers').selectAll().orderBy('id').execute();
  const receipts = groupBy(
    await db.selectFrom('transfer_receipts').selectAll().execute(),
    (r) => r.transfer_id,
  );
  const transferRows = ledger.filter((r) => r.type === 'transfer_in' || r.type === 'transfer_out');
  const byReference = groupBy(transferRows, (r) => r.reference ?? '');
  let matchedRows = 0;
  let inTransit = 0;

  if (expected.transfers !== undefined)
    assert.equal(transfers.length, expected.transfers, 'transfers written');
  for (const t of transfers) {
    const what = `transfer ${JSON.stringify(t)}`;
    assert.ok(
      t.quantity_received >= 0 && t.quantity_received <= t.quantity,
      `0 ≤ received ≤ quantity: ${what}`,
    );
    const own = receipts.get(t.id) ?? [];
    const moved = byReference.get(`transfer:${t.id}`) ?? [];
    matchedRows += moved.length;
    const out = moved.filter((r) => r.type === 'transfer_out');
    assert.equal(out.length, 1, `one transfer_out row: ${what}`);
    assert.deepEqual(
      [out[0]!.item_id, out[0]!.location_id, out[0]!.quantity],
      [t.item_id, t.from_location_id, -t.quantity],
      `transfer_out row: ${what}`,
    );
    if (t.state === 'completed') {
      // An immediate move: both legs at once, under the transfer's own reference.
      assert.equal(t.quantity_received, t.quantity, what);
      assert.equal(own.length, 0, `an immediate move has no receipts: ${what}`);
      const into = moved.filter((r) => r.type === 'transfer_in');
      assert.deepEqual(
        into.map((r) => [r.item_id, r.location_id, r.quantity]),
        [[t.item_id, t.to_location_id, t.quantity]],
        `transfer_in row: ${what}`,
      );
      continue;
    }
    const expectedState =
      t.quantity_received === 0
        ? 'in_transit'
        : t.quantity_received < t.quantity
          ? 'partially_received'
          : 'received';
    assert.equal(t.state, expectedState, `state follows what arrived: ${what}`);
    assert.equal(moved.length, 1, `dispatch posted only the transfer_out: ${what}`);
    if (t.state !== 'received') inTransit += t.quantity - t.quantity_received;
    assert.equal(t.quantity_received, sumOf(own), `received = sum(receipts): ${what}`);
    const arrivals = own.map((receipt) => {
      const rows = byReference.get(`transfer:${t.id}/receipt:${receipt.receipt_id}`) ?? [];
      matchedRows += rows.length;
      assert.deepEqual(
        rows.map((r) => [r.type, r.item_id, r.location_id, r.quantity]),
        [['transfer_in', t.item_id, t.to_location_id, receipt.quantity]],
        `one transfer_in row for receipt ${receipt.receipt_id}: ${what}`,
      );
      return rows[0]!;
    });
    assert.equal(sumOf(arrivals), t.quantity_received, `received = sum(transfer_in): ${what}`);
  }
  assert.equal(matchedRows, transferRows.length, 'every transfer ledger row belongs to a transfer');
  return inTransit;
}

/**
 * Purchase orders: open quantity never negative (an over-received line has nothing
 * cancelled), each line's received quantity is its receipt lines' sum, each receipt's
 * ledger rows bring exactly its lines at the order's location, and each order's state
 * is where its lines leave it.
 */
export async function checkPurchaseOrders(
  db: AppContext['db'],
  ledger: readonly LedgerRow[],
  expected: {
    /** Each PO line's expected date as sent. */
    sentDates?: ReadonlyMap<number, string>;
    /** Per PO line: the expected dates set by the last batch that set one there. */
    lastDates?: ReadonlyMap<number, ReadonlySet<string>>;
    /** PO units received through the receipts applied. */
    poReceived?: number;
  } = {},
): Promise<void> {
  const orders = await db.selectFrom('purchase_orders').selectAll().orderBy('id').execute();
  const lines = await db.selectFrom('purchase_order_lines').selectAll().orderBy('id').execute();
  const receipts = await db.selectFrom('receipts').selectAll().orderBy('id').execute();
  const receiptLines = await db.selectFrom('receipt_lines').selectAll().execute();
  const linesByOrder = groupBy(lines, (l) => l.purchase_order_id);
  const receiptLinesByLine = groupBy(receiptLines, (l) => l.line_id);
  const receiptLinesByReceipt = groupBy(receiptLines, (l) => l.receipt_pk);
  const lineById = new Map(lines.map((l) => [l.id, l]));
  // Returns to the supplier reference the order too (po:<id>/return:<n>): returns-invariants.ts.
  const poRows = ledger.filter(
    (r) => r.reference?.startsWith('po:') && r.reference.includes('/receipt:'),
  );
  const poRowsByReference = groupBy(poRows, (r) => r.reference!);
  let matchedRows = 0;

  for (const line of lines) {
    const what = `PO line ${JSON.stringify(line)}`;
    const open = line.quantity_ordered - line.quantity_received - line.quantity_cancelled;
    assert.ok(line.quantity_received >= 0 && line.quantity_cancelled >= 0, what);
    if (line.quantity_received > line.quantity_ordered) {
      assert.equal(
        line.quantity_cancelled,
        0,
        `an over-received line has nothing cancelled: ${what}`,
      );
    } else {
      assert.ok(open >= 0, `open = ordered − received − cancelled ≥ 0: ${what}`);
    }
    assert.equal(
      line.completed_at !== null,
      open <= 0,
      `a line is complete exactly when nothing is open: ${what}`,
    );
    assert.equal(
      line.quantity_received,
      sumOf(receiptLinesByLine.get(line.id) ?? []),
      `received = sum(receipt lines): ${what}`,
    );
    if (expected.sentDates) {
      const sent = expected.sentDates.get(line.id);
      assert.equal(line.first_expected_date, sent, `first expected date as sent: ${what}`);
      const lastDates = expected.lastDates?.get(line.id);
      if (lastDates)
        assert.ok(lastDates.has(line.expected_date), `date from the last batch: ${what}`);
      else assert.equal(line.expected_date, sent, `date unchanged: ${what}`);
    }
  }
  if (expected.poReceived !== undefined)
    assert.equal(sumOf(receiptLines), expected.poReceived, 'PO units received = receipts applied');

  for (const order of orders) {
    const own = linesByOrder.get(order.id) ?? [];
    const what = `PO ${JSON.stringify(order)} with lines ${JSON.stringify(own)}`;
    const anyOpen = own.some(
      (l) => l.quantity_ordered - l.quantity_received - l.quantity_cancelled > 0,
    );
    const anyReceived = own.some((l) => l.quantity_received > 0);
    const expected = !anyOpen
      ? [anyReceived ? 'received' : 'cancelled']
      : anyReceived
        ? ['partially_received']
        : ['sent', 'confirmed'];
    assert.ok(expected.includes(order.state), `state follows the lines: ${what}`);
    assert.equal(
      order.closed_at !== null,
      CLOSED_ORDER_STATES.includes(order.state),
      `closed_at set exactly when closed: ${what}`,
    );

    // Per item: the receipt rows referencing this order at its location sum to what its
    // lines received.
    const rows = poRows.filter((r) => r.reference!.startsWith(`po:${order.id}/`));
    for (const row of rows) {
      assert.deepEqual(
        [row.type, row.location_id],
        ['receipt', order.location_id],
        `PO ledger row at the order's location: ${JSON.stringify(row)}`,
      );
    }
    const ledgerByItem = groupBy(rows, (r) => r.item_id);
    const linesByItem = groupBy(own, (l) => l.item_id);
    for (const [itemId, itemLines] of linesByItem) {
      const received = itemLines.reduce((sum, l) => sum + l.quantity_received, 0);
      assert.equal(
        sumOf(ledgerByItem.get(itemId) ?? []),
        received,
        `ledger receipts of item ${itemId} = received: ${what}`,
      );
    }
    assert.deepEqual(
      [...ledgerByItem.keys()].filter((itemId) => !linesByItem.has(itemId)),
      [],
      `ledger receipts only for items ordered: ${what}`,
    );
  }

  for (const receipt of receipts) {
    const own = receiptLinesByReceipt.get(receipt.id) ?? [];
    const what = `receipt ${receipt.receipt_id} of PO ${receipt.purchase_order_id}`;
    assert.equal(
      receipt.request,
      normaliseReceipt(own.map((l) => ({ line: l.line_id, quantity: l.quantity }))),
      `receipt lines as requested: ${what}`,
    );
    const rows =
      poRowsByReference.get(`po:${receipt.purchase_order_id}/receipt:${receipt.receipt_id}`) ?? [];
    matchedRows += rows.length;
    const expected = own
      .map((l) => {
        const line = lineById.get(l.line_id)!;
        assert.equal(line.purchase_order_id, receipt.purchase_order_id, what);
        return [line.item_id, l.quantity];
      })
      .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    assert.deepEqual(
      rows.map((r) => [r.item_id, r.quantity]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!),
      expected,
      `one ledger row per receipt line: ${what}`,
    );
  }
  assert.equal(matchedRows, poRows.length, 'every PO ledger row belongs to a receipt');
}
