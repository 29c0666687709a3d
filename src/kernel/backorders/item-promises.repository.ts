import type { Db } from '../../db/schema.js';

/**
 * Each item's running total of lead-time promises (item_promises, 0012): the units pegged
 * to no supply, which the backorder cap counts. It moves in the transaction that moves the
 * pegs, each change one atomic statement, so a new backorder reads one row instead of
 * summing the queue. No row reads as zero.
 */

export async function leadTimePromisedOf(db: Db, itemId: number): Promise<number> {
  const row = await db
    .selectFrom('item_promises')
    .select('lead_time_promised')
    .where('item_id', '=', itemId)
    .executeTakeFirst();
  return row?.lead_time_promised ?? 0;
}

/** Adds units pegged to lead time; the first for an item creates its row. */
export async function addLeadTimePromised(db: Db, itemId: number, quantity: number) {
  await db
    .insertInto('item_promises')
    .values({ item_id: itemId, lead_time_promised: quantity })
    .onConflict((oc) =>
      oc.column('item_id').doUpdateSet((eb) => ({
        lead_time_promised: eb(
          'item_promises.lead_time_promised',
          '+',
          eb.ref('excluded.lead_time_promised'),
        ),
      })),
    )
    .execute();
}

/** Takes units off the total, only if it holds them; false means the pegs and it disagree. */
export async function releaseLeadTimePromised(
  db: Db,
  itemId: number,
  quantity: number,
): Promise<boolean> {
  const result = await db
    .updateTable('item_promises')
    .set((eb) => ({ lead_time_promised: eb('lead_time_promised', '-', quantity) }))
    .where('item_id', '=', itemId)
    .where('lead_time_promised', '>=', quantity)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Every peg of the item is gone (a re-plan rewrites them all): nothing is promised. */
export async function clearLeadTimePromised(db: Db, itemId: number): Promise<void> {
  await db
    .updateTable('item_promises')
    .set({ lead_time_promised: 0 })
    .where('item_id', '=', itemId)
    .execute();
}
