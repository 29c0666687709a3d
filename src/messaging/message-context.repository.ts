import type { Db } from '../db/schema.js';

/** Who a message is for and where its order is: the language and time zone it is written in. SQL only. */

export async function languageOfCustomer(db: Db, id: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('customers')
    .select('language')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.language;
}

/**
 * The time zone of the place an order is served from: a location holding units for it,
 * else one its backorders are pegged to; undefined when neither (nothing reserved yet).
 */
export async function orderTimeZone(db: Db, orderId: number): Promise<string | undefined> {
  const allocated = await db
    .selectFrom('allocations as a')
    .innerJoin('order_lines as l', 'l.id', 'a.order_line_id')
    .innerJoin('locations as loc', 'loc.id', 'a.location_id')
    .select('loc.time_zone')
    .where('l.order_id', '=', orderId)
    .orderBy('l.line_no')
    .orderBy('loc.id')
    .limit(1)
    .executeTakeFirst();
  if (allocated) return allocated.time_zone;
  const pegged = await db
    .selectFrom('backorder_pegs as p')
    .innerJoin('order_lines as l', 'l.id', 'p.order_line_id')
    .innerJoin('locations as loc', 'loc.id', 'p.location_id')
    .select('loc.time_zone')
    .where('l.order_id', '=', orderId)
    .orderBy('l.line_no')
    .orderBy('loc.id')
    .limit(1)
    .executeTakeFirst();
  return pegged?.time_zone;
}
