import type { Selectable } from 'kysely';
import type { Db } from '../../db/schema.js';
import type {
  MessageAudience,
  MessageTransport,
  OutboxMessagesTable,
} from '../../db/tables/communication.js';

export type OutboxRow = Selectable<OutboxMessagesTable>;

/** A message to send, as its cause writes it into the outbox. */
export interface NewMessage {
  /** Unique per message: the same cause always makes the same key, so it is sent once. */
  dedupeKey: string;
  audience: MessageAudience;
  transport: MessageTransport;
  /** Message kind (templates.ts) or, for a webhook delivery, the public event type. */
  template: string;
  recipient: string;
  customerId?: number | null;
  orderId?: number | null;
  subscriptionId?: number | null;
  webhookId?: number | null;
  alertId?: number | null;
  /** The facts the message needs, as JSON-able data. */
  data: unknown;
}

/**
 * Adds messages to the outbox inside the caller's transaction. A key already there is
 * skipped, not an error: re-running a cause must not send twice. Returns how many were new.
 */
export async function enqueueMessages(
  db: Db,
  messages: readonly NewMessage[],
  now: string,
): Promise<number> {
  let added = 0;
  for (let i = 0; i < messages.length; i += 200) {
    const chunk = messages.slice(i, i + 200);
    const result = await db
      .insertInto('outbox_messages')
      .values(
        chunk.map((m) => ({
          dedupe_key: m.dedupeKey,
          audience: m.audience,
          transport: m.transport,
          template: m.template,
          recipient: m.recipient,
          customer_id: m.customerId ?? null,
          order_id: m.orderId ?? null,
          subscription_id: m.subscriptionId ?? null,
          webhook_id: m.webhookId ?? null,
          alert_id: m.alertId ?? null,
          data: JSON.stringify(m.data),
          state: 'pending' as const,
          next_attempt_at: now,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}
