import type { Db } from '../db/schema.js';
import { reactToEvents } from '../messaging/event-reactions.js';

export interface NewDomainEvent {
  type: string;
  /** What it is about, e.g. "order:12" or "purchase_order:3". */
  subject: string;
  payload: unknown;
  actor: string;
  now: string;
  /** The channel it concerns; found from the order for order events when not given. */
  channel?: string | null;
}

/**
 * Records a fact in the same transaction as the change that caused it, so that it exists
 * exactly when the change does, and with it the outbox rows it causes (customer messages,
 * webhook deliveries): they commit together or not at all.
 */
export async function recordEvent(db: Db, event: NewDomainEvent): Promise<void> {
  await recordEvents(db, [event]);
}

/** Several facts in one statement, in the given order. */
export async function recordEvents(db: Db, events: readonly NewDomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  await reactToEvents(db, events, async (withChannels) => {
    const rows = await db
      .insertInto('domain_events')
      .values(
        withChannels.map((event) => ({
          type: event.type,
          subject: event.subject,
          payload: JSON.stringify(event.payload),
          actor: event.actor,
          created_at: event.now,
          channel: event.channel ?? null,
        })),
      )
      .returning('id')
      .execute();
    // One statement numbers its rows in VALUES order on both engines, even when other
    // sessions insert at the same time, but RETURNING's row order is unspecified: sort.
    return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  });
}
