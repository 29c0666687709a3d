import type { Insertable, Transaction } from 'kysely';
import type { DB, Db } from '../db/schema.js';

/** Plain inserts the demo store is written with (no events, no checks: an empty database). SQL only. */

type Tx = Transaction<DB>;

export async function anyItemExists(db: Db): Promise<boolean> {
  const row = await db.selectFrom('items').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function insertLocation(trx: Tx, values: Insertable<DB['locations']>) {
  const { id } = await trx
    .insertInto('locations')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** A channel and its fulfilling locations, in the priority order given. */
export async function insertChannel(
  trx: Tx,
  values: Insertable<DB['channels']>,
  locationIds: readonly number[],
): Promise<number> {
  const { id } = await trx
    .insertInto('channels')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('channel_locations')
    .values(locationIds.map((location_id, priority) => ({ channel_id: id, location_id, priority })))
    .execute();
  return id;
}

/** An item and its tags. */
export async function insertItem(
  trx: Tx,
  values: Insertable<DB['items']>,
  tags: readonly string[],
): Promise<number> {
  const { id } = await trx
    .insertInto('items')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('item_tags')
    .values(tags.map((tag) => ({ item_id: id, tag })))
    .execute();
  return id;
}

/** A stock row and, when it holds units, the ledger receipt that explains them. */
export async function insertStock(
  trx: Tx,
  values: Insertable<DB['stock']>,
  receipt: Insertable<DB['stock_ledger']> | null,
): Promise<void> {
  await trx.insertInto('stock').values(values).execute();
  if (receipt) await trx.insertInto('stock_ledger').values(receipt).execute();
}

export async function insertSupplier(trx: Tx, values: Insertable<DB['suppliers']>) {
  const { id } = await trx
    .insertInto('suppliers')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function insertSupplierItems(
  trx: Tx,
  rows: readonly Insertable<DB['supplier_items']>[],
): Promise<void> {
  await trx.insertInto('supplier_items').values(rows).execute();
}

/** A purchase order with its lines. */
export async function insertPurchaseOrder(
  trx: Tx,
  values: Insertable<DB['purchase_orders']>,
  lines: (purchaseOrderId: number) => Insertable<DB['purchase_order_lines']>[],
): Promise<number> {
  const { id } = await trx
    .insertInto('purchase_orders')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('purchase_order_lines').values(lines(id)).execute();
  return id;
}
