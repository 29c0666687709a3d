import { hostname } from 'node:os';
import type { Insertable } from 'kysely';
import { isConnectionLoss, isDatabaseBusy } from '../db/errors.js';
import type { Db } from '../db/schema.js';
import type { MessageAttemptsTable } from '../db/tables/communication.js';
import { afterFailure } from '../domain/retry-backoff.js';
import type { AppContext } from '../kernel/context.js';
import { linkSecret } from '../kernel/link-secret.repository.js';
import {
  DEFAULT_MESSAGING_SETTINGS,
  type MessagingSettings,
} from '../kernel/messaging-settings.js';
import type { OutboxRow } from '../kernel/outbox/outbox.repository.js';
import { type Delivered, DeliveryError, type Transport } from '../kernel/outbox/transport.js';
import type { Clock } from '../shared/clock.js';
import { unsubscribeToken } from '../shared/link-tokens.js';
import {
  claimDueMessages,
  insertAttempt,
  recordOutcome,
  webhookSecret,
} from './dispatcher.repository.js';

export interface DispatchConfig {
  /** Milliseconds between outbox polls when idle; 0 turns the dispatcher off in this process. */
  intervalMs: number;
  batchSize: number;
  /** Attempts before a message becomes a dead letter. */
  maxAttempts: number;
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  /** How long a claimed message stays claimed if its dispatcher dies mid-send. */
  leaseSeconds: number;
  /** Deliveries in flight at once per process. */
  concurrency: number;
}

/** Renders a message's subject and bodies from its template and data (message-view.ts). */
export type Renderer = (
  db: Db,
  message: { template: string; transport: 'email' | 'sms' | 'webhook'; data: string },
  settings: MessagingSettings,
  clock: Clock,
) => Promise<{ subject: string; text: string; html: string | null }>;

export interface Dispatcher {
  transports: { email: Transport; sms: Transport; webhook: Transport };
  render: Renderer;
  config: DispatchConfig;
  /** Names this process in claims and in the attempt log. */
  worker: string;
  random?: () => number;
}

export interface DispatchResult {
  claimed: number;
  delivered: number;
  retrying: number;
  dead: number;
}

export const defaultWorkerName = () => `${hostname()}:${process.pid}`;

/**
 * One pass: claims up to a batch of due messages, delivers them (a few at a time) and
 * records each outcome. Several processes may run it at once: on PostgreSQL the claim
 * skips rows another has locked, and a claim is a lease, so the messages of a process
 * that dies mid-send are claimed again once the lease has passed.
 *
 * Delivery is at-least-once at the transport and exactly-once in the outbox: a message is
 * marked sent in the same statement that checks this process still holds it. The only
 * window for a second copy is a crash after the receiver accepted and before that
 * statement; the copy then carries the same dedupe key (Message-ID, Idempotency-Key).
 */
export async function dispatchOnce(
  ctx: AppContext,
  dispatcher: Dispatcher,
): Promise<DispatchResult> {
  const claimed = await claimDue(ctx, dispatcher);
  const result: DispatchResult = { claimed: claimed.length, delivered: 0, retrying: 0, dead: 0 };
  let next = 0;
  const lanes = Array.from(
    { length: Math.min(dispatcher.config.concurrency, claimed.length) },
    async () => {
      while (next < claimed.length) {
        const outcome = await deliver(ctx, dispatcher, claimed[next++]!);
        result[outcome] += 1;
      }
    },
  );
  await Promise.all(lanes);
  return result;
}

function claimDue(ctx: AppContext, dispatcher: Dispatcher): Promise<OutboxRow[]> {
  const now = ctx.clock.now();
  return claimDueMessages(ctx.db, {
    now: now.toISOString(),
    until: new Date(now.getTime() + dispatcher.config.leaseSeconds * 1000).toISOString(),
    worker: dispatcher.worker,
    batchSize: dispatcher.config.batchSize,
    postgres: ctx.dbKind === 'postgres',
  });
}

type Outcome = 'delivered' | 'retrying' | 'dead';

/** Newly rendered words, stored with the outcome in the same statement. */
type Rendered = { subject: string; body_text: string; body_html: string | null } | object;

/** What the attempt log says about every attempt, whatever came of it. */
type AttemptLog = Omit<Insertable<MessageAttemptsTable>, 'via' | 'outcome' | 'detail'>;

async function deliver(ctx: AppContext, dispatcher: Dispatcher, row: OutboxRow): Promise<Outcome> {
  const started = ctx.clock.now();
  const t0 = performance.now();
  let delivered: Delivered | undefined;
  let failure: DeliveryError | undefined;
  let rendered: Rendered = {};
  try {
    const message = await renderedOnce(ctx, dispatcher, row);
    if (row.transport !== 'webhook' && row.subject === null) {
      rendered = { subject: message.subject, body_text: message.text, body_html: message.html };
    }
    delivered = await dispatcher.transports[row.transport].send(message);
  } catch (error) {
    // Rendering reads the database: an outage is no fault of the message. The pass
    // fails, the job backs off, and the lease hands the message back later.
    if (isConnectionLoss(error) || isDatabaseBusy(error)) throw error;
    failure =
      error instanceof DeliveryError
        ? error
        : // Not the receiver's fault: a template that cannot render, a missing webhook.
          new DeliveryError((error as Error).message, 'render', true);
  }
  const log: AttemptLog = {
    message_id: row.id,
    attempt: row.attempts + 1,
    started_at: started.toISOString(),
    duration_ms: Math.round(performance.now() - t0),
    worker: dispatcher.worker,
  };
  if (delivered) return recordDelivered(ctx, log, rendered, delivered);
  return recordFailure(ctx, dispatcher, log, rendered, failure!);
}

async function recordDelivered(
  ctx: AppContext,
  log: AttemptLog,
  rendered: Rendered,
  delivered: Delivered,
): Promise<Outcome> {
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await recordOutcome(trx, log.message_id, {
      ...rendered,
      state: 'sent',
      attempts: log.attempt,
      sent_at: now,
      updated_at: now,
      delivered_via: delivered.via,
      last_error: null,
      locked_until: null,
    });
    await insertAttempt(trx, {
      ...log,
      via: delivered.via,
      outcome: 'delivered',
      detail: delivered.detail,
    });
  });
  return 'delivered';
}

async function recordFailure(
  ctx: AppContext,
  dispatcher: Dispatcher,
  log: AttemptLog,
  rendered: Rendered,
  failure: DeliveryError,
): Promise<Outcome> {
  const now = ctx.clock.now().toISOString();
  const decision = afterFailure(
    log.attempt,
    {
      maxAttempts: dispatcher.config.maxAttempts,
      baseSeconds: dispatcher.config.retryBaseSeconds,
      maxSeconds: dispatcher.config.retryMaxSeconds,
    },
    failure.permanent,
    (dispatcher.random ?? Math.random)(),
  );
  const nextAt = decision.retry
    ? new Date(ctx.clock.now().getTime() + decision.delaySeconds * 1000).toISOString()
    : now;
  await ctx.db.transaction().execute(async (trx) => {
    await recordOutcome(
      trx,
      log.message_id,
      {
        ...rendered,
        state: decision.retry ? 'pending' : 'dead',
        attempts: log.attempt,
        next_attempt_at: nextAt,
        updated_at: now,
        last_error: failure.message.slice(0, 1000),
        locked_until: null,
      },
      dispatcher.worker,
    );
    await insertAttempt(trx, {
      ...log,
      via: failure.via,
      outcome: 'failed',
      detail: failure.message.slice(0, 1000),
    });
  });
  return decision.retry ? 'retrying' : 'dead';
}

/**
 * Subject and bodies are rendered at the first attempt and stored with its outcome, so
 * every retry sends the same words and staff can read what went out even if a template
 * changes later.
 */
async function renderedOnce(ctx: AppContext, dispatcher: Dispatcher, row: OutboxRow) {
  if (row.transport === 'webhook') {
    const secret = await webhookSecret(ctx.db, row.webhook_id ?? -1);
    if (secret === undefined) throw new DeliveryError('The webhook was deleted', 'webhook', true);
    return {
      id: row.id,
      dedupeKey: row.dedupe_key,
      recipient: row.recipient,
      subject: row.template,
      text: row.data,
      html: null,
      body: row.data,
      webhookSecret: secret,
    };
  }
  const settings = ctx.messaging ?? DEFAULT_MESSAGING_SETTINGS;
  let { subject, body_text: text, body_html: html } = row;
  if (subject === null || text === null) {
    const rendered = await dispatcher.render(ctx.db, row, settings, ctx.clock);
    ({ subject, text, html } = rendered);
  }
  const headers =
    row.transport === 'email' && row.subscription_id !== null
      ? await unsubscribeHeaders(ctx, settings, Number(row.subscription_id))
      : undefined;
  return {
    id: row.id,
    dedupeKey: row.dedupe_key,
    recipient: row.recipient,
    subject,
    text,
    html,
    body: text,
    ...(headers && { headers }),
  };
}

/**
 * RFC 8058 one-click unsubscribe for "notify me" mail: mail clients show an Unsubscribe
 * button and POST "List-Unsubscribe=One-Click" to the URL. The token never expires and
 * is made again at each attempt from the same secret, so every retry carries the same.
 */
async function unsubscribeHeaders(
  ctx: AppContext,
  settings: MessagingSettings,
  subscriptionId: number,
): Promise<Record<string, string>> {
  const token = unsubscribeToken(await linkSecret(ctx.db, settings.linkSecret), subscriptionId);
  return {
    'List-Unsubscribe': `<${settings.publicUrl}/v1/unsubscribe/${token}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
