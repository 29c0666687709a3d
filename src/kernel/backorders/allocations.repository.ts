import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { StockKey } from '../ledger/stock.repository.js';
import { chunks } from './queue-change.js';

/** SQL behind allocations: the units of a line reserved at a location. */

export async function addAllocation(
  trx: Transaction<DB>,
  lineId: number,
  itemId: number,
  locationId: number,
  quantity: number,
): Promise<void> {
  await trx
    .insertInto('allocations')
    .values({ order_line_id: lineId, location_id: locationId, item_id: itemId, quantity })
    .onConflict((oc) =>
      oc
        .columns(['order_line_id', 'location_id'])
        .doUpdateSet((eb) => ({ quantity: eb('allocations.quantity', '+', quantity) })),
    )
    .execute();
}

/** Adds each line's units to its allocation at the location, many lines per statement. */
export async function addAllocations(
  trx: Transaction<DB>,
  key: StockKey,
  lines: readonly { lineId: number; quantity: number }[],
): Promise<void> {
  for (const chunk of chunks(lines)) {
    await trx
      .insertInto('allocations')
      .values(
        chunk.map(({ lineId, quantity }) => ({
          order_line_id: lineId,
          location_id: key.locationId,
          item_id: key.itemId,
          quantity,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['order_line_id', 'location_id']).doUpdateSet((eb) => ({
          quantity: eb('allocations.quantity', '+', eb.ref('excluded.quantity')),
        })),
      )
      .execute();
  }
}

/** Allocations holding units at the location, the most recent line first. */
export function allocationsAt(trx: Transaction<DB>, key: StockKey) {
  return trx
    .selectFrom('allocations')
    .innerJoin('order_lines', 'order_lines.id', 'allocations.order_line_id')
    .select(['allocations.order_line_id', 'allocations.quantity', 'order_lines.order_id'])
    .where('allocations.item_id', '=', key.itemId)
    .where('allocations.location_id', '=', key.locationId)
    .where('allocations.quantity', '>', 0)
    .orderBy('allocations.order_line_id', 'desc')
    .execute();
}

/** Units no longer reserved for a line at a location: cancelled, fulfilled or lost. */
export async function takeFromAllocation(
  trx: Transaction<DB>,
  lineId: number,
  locationId: number,
  quantity: number,
): Promise<void> {
  await trx
    .updateTable('allocations')
    .set((eb) => ({ quantity: eb('quantity', '-', quantity) }))
    .where('order_line_id', '=', lineId)
    .where('location_id', '=', locationId)
    .execute();
}
