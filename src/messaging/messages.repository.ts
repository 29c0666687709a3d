import type { Selectable } from 'kysely';
import type { Db } from '../db/schema.js';
import type {
  MessageAttemptsTable,
  MessageAudience,
  MessageState,
  MessageTransport,
} from '../db/tables/communication.js';
import type { OutboxRow } from '../kernel/outbox/outbox.repository.js';

/** Reading the outbox and its attempt log, and handing dead letters back. SQL only. */

export interface MessageFilter {
  state?: MessageState;
  audience?: MessageAudience;
  transport?: MessageTransport;
  template?: string;
  customerId?: number;
  orderId?: number;
  subscriptionId?: number;
  alertId?: number;
  recipient?: string;
  /** Only messages older than this id (the cursor); 0: from the newest. */
  beforeId: number;
  limit: number;
}

/** Newest first, by id: the latest messages are what staff look for. */
export function listMessages(db: Db, filter: MessageFilter): Promise<OutboxRow[]> {
  let query = db
    .selectFrom('outbox_messages')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.beforeId > 0) query = query.where('id', '<', filter.beforeId);
  if (filter.state !== undefined) query = query.where('state', '=', filter.state);
  if (filter.audience !== undefined) query = query.where('audience', '=', filter.audience);
  if (filter.transport !== undefined) query = query.where('transport', '=', filter.transport);
  if (filter.template !== undefined) query = query.where('template', '=', filter.template);
  if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId);
  if (filter.orderId !== undefined) query = query.where('order_id', '=', filter.orderId);
  if (filter.subscriptionId !== undefined)
    query = query.where('subscription_id', '=', filter.subscriptionId);
  if (filter.alertId !== undefined) query = query.where('alert_id', '=', filter.alertId);
  if (filter.recipient !== undefined) query = query.where('recipient', '=', filter.recipient);
  return query.execute();
}

export function findMessage(db: Db, id: number): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listAttempts(
  db: Db,
  messageId: number,
): Promise<Selectable<MessageAttemptsTable>[]> {
  return db
    .selectFrom('message_attempts')
    .selectAll()
    .where('message_id', '=', messageId)
    .orderBy('id')
    .execute();
}

/**
 * Puts a dead message back in the queue, due now. Conditional on its being dead, so two
 * staff retrying at once queue it once, and a message a dispatcher holds is never
 * touched. Attempts are kept: the log continues where it stopped. True when it was dead.
 */
export async function requeueDead(db: Db, id: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('outbox_messages')
    .set({
      state: 'pending',
      next_attempt_at: now,
      locked_until: null,
      locked_by: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('state', '=', 'dead')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
