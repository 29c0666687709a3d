import { sql } from 'kysely';
import type { Db } from '../../db/schema.js';

/**
 * The audit of promise counters: every running total kept beside the pegs (supply's
 * quantity_promised, each item's lead-time total) against the sum of the pegs it stands
 * for. Any row returned is drift.
 */

export interface PromiseDriftRow {
  counter: 'lead_time' | 'purchase_order_line' | 'transfer';
  /** The PO line or transfer; null for an item's lead-time total. */
  id: number | null;
  sku: string;
  recorded: number;
  pegged: number;
}

const zero = sql<number>`0`;

type Counted = { sku: string; recorded: number; pegged: number };

/** PostgreSQL sums integers as bigint: make them numbers here. */
const driftRow = (counter: PromiseDriftRow['counter'], id: number | null, r: Counted) => ({
  counter,
  id,
  sku: r.sku,
  recorded: Number(r.recorded),
  pegged: Number(r.pegged),
});

export async function findPromiseDrift(db: Db): Promise<PromiseDriftRow[]> {
  // One after the other: `db` may be a transaction, one query at a time.
  const leadTime = await leadTimeDrift(db);
  const poLines = await orderLineDrift(db);
  const transfers = await transferDrift(db);
  return [
    ...leadTime.map((r) => driftRow('lead_time', null, r)),
    ...poLines.map((r) => driftRow('purchase_order_line', r.id, r)),
    ...transfers.map((r) => driftRow('transfer', r.id, r)),
  ];
}

function leadTimeDrift(db: Db) {
  return db
    .with('pegged', (qb) =>
      qb
        .selectFrom('backorder_pegs')
        .select(['item_id', (eb) => eb.fn.sum<number>('quantity').as('total')])
        .where('purchase_order_line_id', 'is', null)
        .where('transfer_id', 'is', null)
        .groupBy('item_id'),
    )
    .selectFrom('items')
    .leftJoin('item_promises', 'item_promises.item_id', 'items.id')
    .leftJoin('pegged', 'pegged.item_id', 'items.id')
    .select((eb) => [
      'items.id',
      'items.sku',
      eb.fn.coalesce('item_promises.lead_time_promised', zero).as('recorded'),
      eb.fn.coalesce('pegged.total', zero).as('pegged'),
    ])
    .where((eb) =>
      eb(
        eb.fn.coalesce('item_promises.lead_time_promised', zero),
        '<>',
        eb.fn.coalesce('pegged.total', zero),
      ),
    )
    .orderBy('items.id')
    .execute();
}

function orderLineDrift(db: Db) {
  return db
    .with('pegged', (qb) =>
      qb
        .selectFrom('backorder_pegs')
        .select(['purchase_order_line_id', (eb) => eb.fn.sum<number>('quantity').as('total')])
        .where('purchase_order_line_id', 'is not', null)
        .groupBy('purchase_order_line_id'),
    )
    .selectFrom('purchase_order_lines as line')
    .innerJoin('items', 'items.id', 'line.item_id')
    .leftJoin('pegged', 'pegged.purchase_order_line_id', 'line.id')
    .select((eb) => [
      'line.id',
      'items.sku',
      'line.quantity_promised as recorded',
      eb.fn.coalesce('pegged.total', zero).as('pegged'),
    ])
    .where((eb) => eb('line.quantity_promised', '<>', eb.fn.coalesce('pegged.total', zero)))
    .orderBy('line.id')
    .execute();
}

function transferDrift(db: Db) {
  return db
    .with('pegged', (qb) =>
      qb
        .selectFrom('backorder_pegs')
        .select(['transfer_id', (eb) => eb.fn.sum<number>('quantity').as('total')])
        .where('transfer_id', 'is not', null)
        .groupBy('transfer_id'),
    )
    .selectFrom('transfers')
    .innerJoin('items', 'items.id', 'transfers.item_id')
    .leftJoin('pegged', 'pegged.transfer_id', 'transfers.id')
    .select((eb) => [
      'transfers.id',
      'items.sku',
      'transfers.quantity_promised as recorded',
      eb.fn.coalesce('pegged.total', zero).as('pegged'),
    ])
    .where((eb) => eb('transfers.quantity_promised', '<>', eb.fn.coalesce('pegged.total', zero)))
    .orderBy('transfers.id')
    .execute();
}
