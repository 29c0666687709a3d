import { type Insertable, type Selectable, sql } from 'kysely';
import type { Db } from '../db/schema.js';
import type { TransferReceiptsTable, TransferState, TransfersTable } from '../db/tables/stock.js';
import { OPEN_TRANSFER_STATES } from '../domain/transfer-lifecycle.js';

/**
 * SQL for transfers between locations. Receiving is one conditional UPDATE whose
 * affected-row count decides the outcome (DESIGN section 2): no read-then-write.
 */

export type TransferRow = Selectable<TransfersTable> & {
  sku: string;
  from_code: string;
  to_code: string;
  to_time_zone: string;
};

function selectTransfers(db: Db) {
  return db
    .selectFrom('transfers')
    .innerJoin('items', 'items.id', 'transfers.item_id')
    .innerJoin('locations as source', 'source.id', 'transfers.from_location_id')
    .innerJoin('locations as target', 'target.id', 'transfers.to_location_id')
    .selectAll('transfers')
    .select([
      'items.sku',
      'source.code as from_code',
      'target.code as to_code',
      'target.time_zone as to_time_zone',
    ]);
}

export function findTransfer(db: Db, id: number): Promise<TransferRow | undefined> {
  return selectTransfers(db).where('transfers.id', '=', id).executeTakeFirst();
}

export interface TransferFilter {
  afterId: number;
  limit: number;
  state?: TransferState;
  itemId?: number;
  /** Either end of the journey. */
  locationId?: number;
}

export function listTransfers(db: Db, filter: TransferFilter): Promise<TransferRow[]> {
  let query = selectTransfers(db)
    .where('transfers.id', '>', filter.afterId)
    .orderBy('transfers.id')
    .limit(filter.limit);
  if (filter.state !== undefined) query = query.where('transfers.state', '=', filter.state);
  if (filter.itemId !== undefined) query = query.where('transfers.item_id', '=', filter.itemId);
  const locationId = filter.locationId;
  if (locationId !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('transfers.from_location_id', '=', locationId),
        eb('transfers.to_location_id', '=', locationId),
      ]),
    );
  }
  return query.execute();
}

export async function insertTransfer(db: Db, values: Insertable<TransfersTable>): Promise<number> {
  const { id } = await db
    .insertInto('transfers')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/**
 * quantity_received += quantity, only while the transfer is on its way and only up to
 * what was sent. The state and received_at follow in the same statement: right-hand sides
 * see the row as it was before the update on both engines. Returns the row after the
 * change, or undefined when the condition refused it.
 */
export function receiveOnTransfer(db: Db, id: number, quantity: number, now: string) {
  return db
    .updateTable('transfers')
    .set((eb) => {
      const complete = eb(eb('quantity_received', '+', quantity), '=', eb.ref('quantity'));
      return {
        quantity_received: eb('quantity_received', '+', quantity),
        state: eb
          .case()
          .when(complete)
          .then(sql<TransferState>`'received'`)
          .else(sql<TransferState>`'partially_received'`)
          .end(),
        received_at: eb.case().when(complete).then(now).else(eb.ref('received_at')).end(),
      };
    })
    .where('id', '=', id)
    .where('state', 'in', OPEN_TRANSFER_STATES)
    .where((eb) => eb(eb('quantity_received', '+', quantity), '<=', eb.ref('quantity')))
    .returning(['id', 'quantity', 'quantity_received', 'state', 'received_at'])
    .executeTakeFirst();
}

/**
 * expected_date := next, only while the transfer is on its way and only if the date is
 * still `previous` (compare-and-set), so the event records the date really replaced.
 */
export async function rescheduleTransfer(
  db: Db,
  id: number,
  previous: string | null,
  next: string,
): Promise<boolean> {
  let query = db
    .updateTable('transfers')
    .set({ expected_date: next })
    .where('id', '=', id)
    .where('state', 'in', OPEN_TRANSFER_STATES);
  query =
    previous === null
      ? query.where('expected_date', 'is', null)
      : query.where('expected_date', '=', previous);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function findReceipt(db: Db, transferId: number, receiptId: string) {
  return db
    .selectFrom('transfer_receipts')
    .selectAll()
    .where('transfer_id', '=', transferId)
    .where('receipt_id', '=', receiptId)
    .executeTakeFirst();
}

export async function insertReceipt(
  db: Db,
  values: Insertable<TransferReceiptsTable>,
): Promise<void> {
  await db.insertInto('transfer_receipts').values(values).execute();
}
