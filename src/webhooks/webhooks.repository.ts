import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../db/schema.js';
import type { WebhooksTable } from '../db/tables/communication.js';

/** Webhook endpoints, the event types each takes, and their deliveries. SQL only. */

export type WebhookRow = Selectable<WebhooksTable> & { events: string[] };

export async function insertWebhook(db: Db, values: Insertable<WebhooksTable>): Promise<number> {
  const row = await db
    .insertInto('webhooks')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function updateWebhook(
  db: Db,
  id: number,
  values: Updateable<WebhooksTable>,
): Promise<number> {
  const result = await db
    .updateTable('webhooks')
    .set(values)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Replaces the event types a webhook takes. */
export async function replaceEvents(db: Db, webhookId: number, events: readonly string[]) {
  await db.deleteFrom('webhook_events').where('webhook_id', '=', webhookId).execute();
  if (events.length === 0) return;
  await db
    .insertInto('webhook_events')
    .values(events.map((event_type) => ({ webhook_id: webhookId, event_type })))
    .execute();
}

/**
 * Deletes a webhook and its event types (explicitly: the cascade needs foreign keys
 * switched on, which is a connection setting). Its deliveries stay in the outbox for the
 * log; any not yet sent are given up. Returns how many webhooks were deleted.
 */
export async function deleteWebhook(db: Db, id: number, now: string): Promise<number> {
  await db.deleteFrom('webhook_events').where('webhook_id', '=', id).execute();
  const result = await db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
  const deleted = Number(result.numDeletedRows);
  if (deleted > 0) {
    await db
      .updateTable('outbox_messages')
      .set({ state: 'dead', last_error: 'webhook deleted', updated_at: now })
      .where('webhook_id', '=', id)
      .where('transport', '=', 'webhook')
      .where('state', '=', 'pending')
      .execute();
  }
  return deleted;
}

export async function findWebhook(db: Db, id: number): Promise<WebhookRow | undefined> {
  const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const [withEvents] = await attachEvents(db, [row]);
  return withEvents;
}

export async function listWebhooks(
  db: Db,
  filter: { afterId: number; limit: number },
): Promise<WebhookRow[]> {
  const rows = await db
    .selectFrom('webhooks')
    .selectAll()
    .where('id', '>', filter.afterId)
    .orderBy('id')
    .limit(filter.limit)
    .execute();
  return attachEvents(db, rows);
}

async function attachEvents(db: Db, rows: Selectable<WebhooksTable>[]): Promise<WebhookRow[]> {
  if (rows.length === 0) return [];
  const events = await db
    .selectFrom('webhook_events')
    .select(['webhook_id', 'event_type'])
    .where(
      'webhook_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('event_type')
    .execute();
  const byWebhook = new Map<number, string[]>();
  for (const { webhook_id, event_type } of events) {
    const id = Number(webhook_id);
    const list = byWebhook.get(id);
    if (list) list.push(event_type);
    else byWebhook.set(id, [event_type]);
  }
  return rows.map((r) => ({ ...r, events: byWebhook.get(Number(r.id)) ?? [] }));
}

/** A webhook's deliveries, newest first. */
export function listDeliveries(
  db: Db,
  filter: { webhookId: number; beforeId?: number; limit: number },
) {
  let query = db
    .selectFrom('outbox_messages')
    .select(['id', 'template', 'data', 'state', 'attempts', 'last_error', 'created_at', 'sent_at'])
    .where('webhook_id', '=', filter.webhookId)
    .where('transport', '=', 'webhook')
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  return query.execute();
}

/** Active webhooks taking any of these event types (or '*'), one row per type taken. */
export function subscribedWebhooks(db: Db, types: readonly string[]) {
  return db
    .selectFrom('webhook_events as we')
    .innerJoin('webhooks as w', 'w.id', 'we.webhook_id')
    .select(['w.id', 'w.url', 'we.event_type'])
    .where('w.active', '=', 1)
    .where('we.event_type', 'in', [...types, '*'])
    .execute();
}
