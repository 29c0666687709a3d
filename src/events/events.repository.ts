import type { Db } from '../db/schema.js';
import { publicEventType } from '../kernel/events/event-types.js';

/** One domain event as the live stream shows it: public type name, payload parsed. */
export interface StreamEvent {
  id: number;
  type: string;
  channel: string | null;
  subject: string;
  createdAt: string;
  data: unknown;
}

function selectEvents(db: Db) {
  return db
    .selectFrom('domain_events')
    .select(['id', 'type', 'channel', 'subject', 'created_at', 'payload']);
}

type EventRow = Awaited<ReturnType<ReturnType<typeof selectEvents>['execute']>>[number];

function toStreamEvent(row: EventRow): StreamEvent {
  return {
    id: Number(row.id),
    type: publicEventType(row.type),
    channel: row.channel,
    subject: row.subject,
    createdAt: row.created_at,
    data: JSON.parse(row.payload) as unknown,
  };
}

/** The newest event id, 0 when there is none: where a client asking for "from now" starts. */
export async function newestEventId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('domain_events')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

/** Events after `after` (and up to `upTo`), oldest first. */
export async function eventsAfter(
  db: Db,
  after: number,
  options: { limit: number; upTo?: number; channel?: string | null },
): Promise<StreamEvent[]> {
  let query = selectEvents(db).where('id', '>', after);
  if (options.upTo !== undefined) query = query.where('id', '<=', options.upTo);
  if (options.channel) query = query.where('channel', '=', options.channel);
  const rows = await query.orderBy('id').limit(options.limit).execute();
  return rows.map(toStreamEvent);
}

export async function eventsWithIds(db: Db, ids: readonly number[]): Promise<StreamEvent[]> {
  if (ids.length === 0) return [];
  const rows = await selectEvents(db).where('id', 'in', ids).orderBy('id').execute();
  return rows.map(toStreamEvent);
}

/** The first `limit` ids above `above`, ascending. */
export async function idsAbove(db: Db, above: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('domain_events')
    .select('id')
    .where('id', '>', above)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.id));
}
