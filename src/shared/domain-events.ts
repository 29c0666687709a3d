import type { Db } from '../db/schema.js';

/**
 * Records a fact in the same transaction as the change that caused it, so that it exists
 * exactly when the change does. Re-promising and customer messages consume these later.
 */
export async function recordEvent(
  db: Db,
  event: { type: string; subject: string; payload: unknown; actor: string; now: string },
): Promise<void> {
  await db
    .insertInto('domain_events')
    .values({
      type: event.type,
      subject: event.subject,
      payload: JSON.stringify(event.payload),
      actor: event.actor,
      created_at: event.now,
    })
    .execute();
}

/** Several facts in one statement, in the given order. */
export async function recordEvents(
  db: Db,
  events: readonly {
    type: string;
    subject: string;
    payload: unknown;
    actor: string;
    now: string;
  }[],
): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('domain_events')
    .values(
      events.map((event) => ({
        type: event.type,
        subject: event.subject,
        payload: JSON.stringify(event.payload),
        actor: event.actor,
        created_at: event.now,
      })),
    )
    .execute();
}
