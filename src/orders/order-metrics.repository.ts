import { sql } from 'kysely';
import type { Db } from '../db/schema.js';

/**
 * Order outcomes counted from what the database holds, for GET /metrics. Counted at scrape
 * time rather than in process memory, so every server process (and one restarted a moment
 * ago) reports the same totals; nothing here is ever deleted, so the totals only grow.
 */

/** Orders placed and orders placed with a backordered line, per channel. */
export async function countOrderEvents(db: Db) {
  const rows = await db
    .selectFrom('domain_events')
    .select(['channel', 'type', (eb) => eb.fn.countAll<number>().as('count')])
    .where('type', 'in', ['order.placed', 'order.backordered'])
    .groupBy(['channel', 'type'])
    .execute();
  return rows.map((row) => ({
    channel: row.channel ?? '',
    type: row.type as 'order.placed' | 'order.backordered',
    count: Number(row.count),
  }));
}

/**
 * Refused orders. A refusal writes no order, but it is stored as the answer to its
 * Idempotency-Key (a 409 whose JSON starts with the ORDER_REFUSED code; JSON.stringify keeps
 * the key order written in refuse-order.ts), exactly once however often it is retried.
 */
export async function countRefusedOrders(db: Db): Promise<number> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('status_code', '=', 409)
    .where('response', 'like', sql<string>`${'{"code":"ORDER_REFUSED"%'}`)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
