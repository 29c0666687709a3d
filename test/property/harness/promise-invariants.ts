import assert from 'node:assert/strict';
import { OPEN_STATES } from '../../../src/domain/purchase-order-lifecycle.js';
import type { AppContext } from '../../../src/kernel/context.js';
import type { Order } from '../../../src/orders/orders.schemas.js';
import { count } from './run.js';
import { checkStock, readLedger, readStock } from './stock-invariants.js';
import { sumBy } from './sums.js';
import { checkPurchaseOrders, checkTransfers } from './supply-invariants.js';

/** Promises (DESIGN sections 2 and 4) and orders against their pegs, allocations and keys. */

/** Invariants 1–5 of DESIGN section 2, the pegging rules of section 4 and idempotency. */
export async function checkPromises(
  db: AppContext['db'],
  /** Where peg kinds seen are counted, and the orders the commands saw created. */
  tally: { outcomes: Record<string, number>; orders: readonly number[] },
  when: string,
): Promise<void> {
  const [
    stock,
    ledger,
    allocations,
    lines,
    pegs,
    poLines,
    pos,
    transfers,
    keys,
    orders,
    items,
    fulfilled,
    itemPromises,
    held,
  ] = await Promise.all([
    readStock(db),
    readLedger(db),
    db.selectFrom('allocations').selectAll().execute(),
    db.selectFrom('order_lines').selectAll().orderBy('id').execute(),
    db.selectFrom('backorder_pegs').selectAll().execute(),
    db.selectFrom('purchase_order_lines').selectAll().execute(),
    db.selectFrom('purchase_orders').select(['id', 'state', 'location_id']).execute(),
    db.selectFrom('transfers').selectAll().execute(),
    db.selectFrom('idempotency_keys').selectAll().execute(),
    db.selectFrom('orders').select('id').execute(),
    db.selectFrom('items').select(['id', 'backorder_cap', 'backorder_policy']).execute(),
    db.selectFrom('fulfilment_lines').select(['order_line_id', 'quantity']).execute(),
    db.selectFrom('item_promises').selectAll().execute(),
    // Units checkout holds keep reserved count with the allocations (src/kernel/holds/).
    db
      .selectFrom('hold_lines')
      .select(['item_id', 'location_id', 'held as quantity'])
      .where('held', '>', 0)
      .execute(),
  ]);
  const fail = (message: string, ...rows: unknown[]) =>
    `${message} ${when}: ${rows.map((r) => JSON.stringify(r)).join(' ')}`;

  // 1–3: stock against its ledger and its allocations + held units; supply against its receipts.
  checkStock(stock, ledger, {
    fail,
    allocations: [...allocations, ...held],
    chain: { reservedFixed: false },
  });
  await checkTransfers(db, ledger);
  await checkPurchaseOrders(db, ledger);

  // 4: every supply's promised counter is the sum of its pegs, within what it still brings.
  const lineById = new Map(lines.map((l) => [l.id, l]));
  const poById = new Map(pos.map((p) => [p.id, p]));
  const poLineById = new Map(poLines.map((l) => [l.id, l]));
  const transferById = new Map(transfers.map((t) => [t.id, t]));
  for (const peg of pegs) {
    const line = lineById.get(peg.order_line_id);
    assert.ok(
      peg.quantity > 0 && line && line.item_id === peg.item_id,
      fail('peg on its line', peg, line),
    );
    const poLine =
      peg.purchase_order_line_id === null ? undefined : poLineById.get(peg.purchase_order_line_id);
    const transfer = peg.transfer_id === null ? undefined : transferById.get(peg.transfer_id);
    assert.ok(!(poLine && transfer), fail('peg on two supplies', peg));
    if (poLine) {
      assert.equal(poLine.item_id, peg.item_id, fail('peg item = PO line item', peg, poLine));
      assert.equal(
        poById.get(poLine.purchase_order_id)!.location_id,
        peg.location_id,
        fail('peg location', peg),
      );
    }
    if (transfer) {
      assert.equal(transfer.item_id, peg.item_id, fail('peg item = transfer item', peg, transfer));
      assert.equal(transfer.to_location_id, peg.location_id, fail('peg location', peg, transfer));
    }
  }
  const onPoLine = sumBy(
    pegs.filter((p) => p.purchase_order_line_id !== null),
    (p) => p.purchase_order_line_id!,
    (p) => p.quantity,
  );
  for (const line of poLines) {
    const order = poById.get(line.purchase_order_id)!;
    const open = line.quantity_ordered - line.quantity_received - line.quantity_cancelled;
    const brings = OPEN_STATES.includes(order.state) ? Math.max(0, open) : 0;
    assert.equal(
      line.quantity_promised,
      onPoLine.get(line.id) ?? 0,
      fail('invariant 4: PO line promised = sum(pegs)', line, order),
    );
    assert.ok(
      line.quantity_promised <= brings,
      fail('invariant 4: PO line promised ≤ what it still brings', line, order),
    );
  }
  const onTransfer = sumBy(
    pegs.filter((p) => p.transfer_id !== null),
    (p) => p.transfer_id!,
    (p) => p.quantity,
  );
  for (const t of transfers) {
    const open = ['in_transit', 'partially_received'].includes(t.state);
    assert.equal(
      t.quantity_promised,
      onTransfer.get(t.id) ?? 0,
      fail('transfer promised = sum(pegs)', t),
    );
    assert.ok(
      t.quantity_promised <= (open ? t.quantity - t.quantity_received : 0),
      fail('transfer promised ≤ what it still brings', t),
    );
  }
  const leadTime = sumBy(
    pegs.filter((p) => p.purchase_order_line_id === null && p.transfer_id === null),
    (p) => p.item_id,
    (p) => p.quantity,
  );
  // Each item's running lead-time total (0012) is the sum of its pegs on no supply.
  const totalOf = new Map(itemPromises.map((r) => [r.item_id, r.lead_time_promised]));
  for (const item of items) {
    const held = leadTime.get(item.id) ?? 0;
    assert.equal(
      totalOf.get(item.id) ?? 0,
      held,
      fail('item_promises.lead_time_promised = sum(lead-time pegs)', item),
    );
    if (item.backorder_policy !== 'lead_time')
      assert.equal(held, 0, fail('lead-time pegs need lead_time', item));
    else if (item.backorder_cap !== null)
      assert.ok(
        held <= item.backorder_cap,
        fail(`lead-time promises (${held}) within the cap`, item),
      );
  }

  for (const peg of pegs) {
    count(
      tally.outcomes,
      peg.purchase_order_line_id !== null
        ? 'peg seen on a PO line'
        : peg.transfer_id !== null
          ? 'peg seen on a transfer'
          : 'lead-time peg seen',
    );
  }

  // 5: order lines.
  const pegged = sumBy(
    pegs,
    (p) => p.order_line_id,
    (p) => p.quantity,
  );
  const allocatedToLine = sumBy(
    allocations,
    (a) => a.order_line_id,
    (a) => a.quantity,
  );
  const fulfilledOfLine = sumBy(
    fulfilled,
    (f) => f.order_line_id,
    (f) => f.quantity,
  );
  for (const a of allocations) {
    const line = lineById.get(a.order_line_id);
    assert.ok(
      a.quantity >= 0 && line?.item_id === a.item_id,
      fail('allocation of its line item', a, line),
    );
  }
  for (const l of lines) {
    const what = (message: string) => fail(message, l);
    assert.equal(
      l.quantity,
      l.quantity_allocated + l.quantity_backordered + l.quantity_fulfilled + l.quantity_cancelled,
      what('invariant 5: quantity = allocated + backordered + fulfilled + cancelled'),
    );
    assert.ok(
      l.quantity_unpromised >= 0 && l.quantity_unpromised <= l.quantity_backordered,
      what('unpromised'),
    );
    assert.equal(
      l.quantity_backordered,
      (pegged.get(l.id) ?? 0) + l.quantity_unpromised,
      what(`backordered = sum(pegs) (${pegged.get(l.id) ?? 0}) + unpromised`),
    );
    assert.equal(
      l.quantity_allocated,
      allocatedToLine.get(l.id) ?? 0,
      what('allocated = sum(allocations)'),
    );
    assert.equal(
      l.quantity_fulfilled,
      fulfilledOfLine.get(l.id) ?? 0,
      what('fulfilled = sum(fulfilment lines)'),
    );
    if (l.accept_backorder === 0)
      assert.equal(l.quantity_backordered, 0, what('backorder not accepted'));
    if (l.quantity_backordered === 0) {
      assert.equal(pegged.get(l.id) ?? 0, 0, what('a line with nothing backordered holds no pegs'));
      // Nothing waits, so nothing is promised (a preorder keeps its release date; none here).
      if (l.preorder === 0) {
        assert.equal(
          l.promised_date,
          null,
          what('a line with nothing waiting has no promised date'),
        );
      }
    }
  }
  // Fulfilments: one sale row per move, referencing the order.
  const sold = sumBy(
    ledger.filter((r) => r.type === 'sale' && r.reference?.startsWith('order:')),
    (r) => Number(r.reference!.slice('order:'.length).split('/')[0]),
    (r) => -r.quantity,
  );
  const fulfilledOfOrder = sumBy(
    lines,
    (l) => l.order_id,
    (l) => l.quantity_fulfilled,
  );
  for (const { id } of orders)
    assert.equal(
      sold.get(id) ?? 0,
      fulfilledOfOrder.get(id) ?? 0,
      fail('sale ledger rows = fulfilled', id),
    );

  // Idempotency: one order per key answered 201, none without one, no duplicates.
  const answeredIds = keys
    .filter((k) => k.status_code === 201)
    .map((k) => (JSON.parse(k.response) as Order).id)
    .sort((a, b) => a - b);
  assert.deepEqual(
    orders.map((o) => o.id).sort((a, b) => a - b),
    answeredIds,
    fail('orders = those answered 201 under an idempotency key'),
  );
  assert.deepEqual(
    [...tally.orders].sort((a, b) => a - b),
    answeredIds,
    fail('orders = those the commands saw created'),
  );
}
