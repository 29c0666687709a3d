import type { Db } from '../../db/schema.js';

/** Channel codes of the given orders, for events that do not name their channel. */
export async function orderChannels(
  db: Db,
  orderIds: readonly number[],
): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  const ids = [...new Set(orderIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('orders as o')
      .innerJoin('channels as ch', 'ch.id', 'o.channel_id')
      .select(['o.id', 'ch.code as channel'])
      .where('o.id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows) found.set(Number(row.id), row.channel);
  }
  return found;
}

/** An event as insertEvents takes it. */
export interface EventToWrite {
  type: string;
  subject: string;
  payload: unknown;
  actor: string;
  now: string;
  channel: string | null;
}

/** The domain_events row of an event. */
export const eventRow = (event: EventToWrite) => ({
  type: event.type,
  subject: event.subject,
  payload: JSON.stringify(event.payload),
  actor: event.actor,
  created_at: event.now,
  channel: event.channel,
});

/** Writes the events in one statement and returns their ids in the given order. */
export async function insertEvents(db: Db, events: readonly EventToWrite[]): Promise<number[]> {
  const rows = await db
    .insertInto('domain_events')
    .values(events.map(eventRow))
    .returning('id')
    .execute();
  // One statement numbers its rows in VALUES order on both engines, even when other
  // sessions insert at the same time, but RETURNING's row order is unspecified: sort.
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}
