import assert from 'node:assert/strict';
import type { AppContext } from '../../../src/kernel/context.js';
import type { LedgerRow } from './stock-invariants.js';
import { groupBy, sumBy } from './sums.js';

/**
 * Returns (issue 15, item 5) against the lines they belong to and the ledger: a line never
 * has more returned than it fulfilled (customer) or received (supplier), its returned
 * counter is the sum of its returns, and every return has exactly its ledger rows — a
 * restock one `return` row of +q, a damaged return `return` +q and `damage` −q, a return
 * to the supplier one `return` row of −q — at its location, and no return row lacks one.
 */
export async function checkReturns(
  db: AppContext['db'],
  ledger: readonly LedgerRow[],
  when: string,
): Promise<{ customer: number; supplier: number }> {
  const [orderLines, orderReturns, poLines, supplierReturns] = await Promise.all([
    db
      .selectFrom('order_lines')
      .select(['id', 'item_id', 'quantity_fulfilled', 'quantity_returned'])
      .execute(),
    db.selectFrom('order_returns').selectAll().orderBy('id').execute(),
    db
      .selectFrom('purchase_order_lines')
      .select(['id', 'item_id', 'quantity_received', 'quantity_returned'])
      .execute(),
    db.selectFrom('supplier_returns').selectAll().orderBy('id').execute(),
  ]);
  const fail = (message: string, ...rows: unknown[]) =>
    `${message} ${when}: ${rows.map((r) => JSON.stringify(r)).join(' ')}`;
  const rowsOf = groupBy(
    ledger.filter((r) => r.reference?.includes('/return:')),
    (r) => r.reference!,
  );
  const shape = (rows: readonly LedgerRow[]) =>
    rows.map((r) => [r.type, r.quantity, r.item_id, r.location_id]);

  const returnedOfLine = sumBy(
    orderReturns,
    (r) => r.order_line_id,
    (r) => r.quantity,
  );
  const orderLineById = new Map(orderLines.map((l) => [l.id, l]));
  for (const line of orderLines) {
    assert.ok(
      line.quantity_returned >= 0 && line.quantity_returned <= line.quantity_fulfilled,
      fail('0 ≤ returned ≤ fulfilled', line),
    );
    assert.equal(
      line.quantity_returned,
      returnedOfLine.get(line.id) ?? 0,
      fail('order line returned = sum(its returns)', line),
    );
  }
  let matched = 0;
  for (const r of orderReturns) {
    const line = orderLineById.get(r.order_line_id)!;
    const rows = rowsOf.get(`order:${r.order_id}/return:${r.id}`) ?? [];
    matched += rows.length;
    const back = ['return', r.quantity, line.item_id, r.location_id];
    assert.deepEqual(
      shape(rows),
      r.disposition === 'restock'
        ? [back]
        : [back, ['damage', -r.quantity, line.item_id, r.location_id]],
      fail('customer return ledger rows', r),
    );
  }

  const returnedOfPoLine = sumBy(
    supplierReturns,
    (r) => r.line_id,
    (r) => r.quantity,
  );
  const poLineById = new Map(poLines.map((l) => [l.id, l]));
  for (const line of poLines) {
    assert.ok(
      line.quantity_returned >= 0 && line.quantity_returned <= line.quantity_received,
      fail('0 ≤ returned ≤ received', line),
    );
    assert.equal(
      line.quantity_returned,
      returnedOfPoLine.get(line.id) ?? 0,
      fail('PO line returned = sum(its returns)', line),
    );
  }
  for (const r of supplierReturns) {
    const line = poLineById.get(r.line_id)!;
    const rows = rowsOf.get(`po:${r.purchase_order_id}/return:${r.id}`) ?? [];
    matched += rows.length;
    assert.deepEqual(
      shape(rows),
      [['return', -r.quantity, line.item_id, r.location_id]],
      fail('supplier return ledger row', r),
    );
  }
  assert.equal(
    matched,
    [...rowsOf.values()].reduce((n, rows) => n + rows.length, 0),
    fail('every return ledger row belongs to a return'),
  );
  return { customer: orderReturns.length, supplier: supplierReturns.length };
}
