import type { Selectable } from 'kysely';
import { requireCustomer } from '../customers/customers.service.js';
import type { Db } from '../db/schema.js';
import type { MessageAttemptsTable } from '../db/tables/communication.js';
import type { AppContext } from '../kernel/context.js';
import type { OutboxRow } from '../kernel/outbox/outbox.repository.js';
import { decodeCursor, toPage } from '../shared/cursor.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import * as repo from './messages.repository.js';
import type {
  CustomerMessagesQuery,
  ListMessagesQuery,
  Message,
  MessageAttempt,
  MessageDetail,
  MessagePage,
} from './messages.schemas.js';

export function toMessage(row: OutboxRow): Message {
  return {
    id: Number(row.id),
    dedupeKey: row.dedupe_key,
    audience: row.audience,
    transport: row.transport,
    template: row.template,
    recipient: row.recipient,
    customerId: nullableId(row.customer_id),
    orderId: nullableId(row.order_id),
    subscriptionId: nullableId(row.subscription_id),
    webhookId: nullableId(row.webhook_id),
    alertId: nullableId(row.alert_id),
    state: row.state,
    attempts: Number(row.attempts),
    nextAttemptAt: row.state === 'pending' ? row.next_attempt_at : null,
    lastError: row.last_error,
    deliveredVia: row.delivered_via,
    subject: row.subject,
    text: row.body_text,
    html: row.body_html,
    data: parseData(row.data),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
  };
}

function nullableId(id: number | null): number | null {
  return id === null ? null : Number(id);
}

/** Written by this codebase as JSON; shown as the raw text should it ever not be. */
function parseData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

function toAttempt(row: Selectable<MessageAttemptsTable>): MessageAttempt {
  return {
    attempt: row.attempt,
    via: row.via,
    outcome: row.outcome,
    detail: row.detail,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    worker: row.worker,
  };
}

/** Newest first; the cursor is the last id seen, and the next page holds older ones. */
export async function listMessages(
  ctx: AppContext,
  query: ListMessagesQuery,
): Promise<MessagePage> {
  const [beforeId = 0] = decodeCursor(query.cursor);
  const rows = await repo.listMessages(ctx.db, {
    beforeId,
    limit: query.limit + 1,
    ...(query.state !== undefined && { state: query.state }),
    ...(query.audience !== undefined && { audience: query.audience }),
    ...(query.transport !== undefined && { transport: query.transport }),
    ...(query.template !== undefined && { template: query.template }),
    ...(query.customer !== undefined && { customerId: query.customer }),
    ...(query.order !== undefined && { orderId: query.order }),
    ...(query.subscription !== undefined && { subscriptionId: query.subscription }),
    ...(query.alert !== undefined && { alertId: query.alert }),
    ...(query.recipient !== undefined && { recipient: query.recipient }),
  });
  return toPage(rows, query.limit, toMessage, (row) => [Number(row.id)]);
}

/** A customer's messages: as listMessages with their id, after checking they exist. */
export async function listCustomerMessages(
  ctx: AppContext,
  id: number,
  query: CustomerMessagesQuery,
): Promise<MessagePage> {
  await requireCustomer(ctx.db, id);
  return listMessages(ctx, { ...query, customer: id });
}

export async function getMessage(ctx: AppContext, id: number): Promise<MessageDetail> {
  return detailOf(ctx.db, id);
}

async function detailOf(db: Db, id: number): Promise<MessageDetail> {
  const row = await repo.findMessage(db, id);
  if (!row) throw new NotFoundError('MESSAGE_NOT_FOUND', `No message with id ${id}`, { id });
  const attempts = await repo.listAttempts(db, id);
  return { ...toMessage(row), attemptLog: attempts.map(toAttempt) };
}

/**
 * Hands a dead letter back to the dispatcher, due now. Only a dead message: a pending
 * one is queued already and a sent one must not go twice.
 */
export async function retryMessage(ctx: AppContext, id: number): Promise<MessageDetail> {
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.requeueDead(trx, id, now))) {
      const row = await repo.findMessage(trx, id);
      if (!row) throw new NotFoundError('MESSAGE_NOT_FOUND', `No message with id ${id}`, { id });
      throw new ConflictError(
        'NOT_DEAD',
        `Message ${id} is ${row.state}: only a dead message can be retried`,
        { id, state: row.state },
      );
    }
    return detailOf(trx, id);
  });
}
