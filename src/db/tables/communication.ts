import type { Generated } from 'kysely';

export type MessageAudience = 'customer' | 'staff' | 'integrator';
export type MessageTransport = 'email' | 'sms' | 'webhook';
export type MessageState = 'pending' | 'sent' | 'dead';

/**
 * The transactional outbox: one row per message or webhook delivery, written in the
 * same transaction as its cause. dedupe_key is unique, so re-running a cause adds nothing.
 * Subject and bodies are rendered once, at the first attempt, and kept: retries send the
 * same words, and staff read what went out.
 */
export interface OutboxMessagesTable {
  id: Generated<number>;
  dedupe_key: string;
  audience: MessageAudience;
  transport: MessageTransport;
  /** The message kind (see src/messaging/templates.ts) or, for a webhook, the event type. */
  template: string;
  /** Email address, phone number or webhook URL. */
  recipient: string;
  customer_id: number | null;
  order_id: number | null;
  subscription_id: number | null;
  webhook_id: number | null;
  alert_id: number | null;
  /** JSON: the facts the template renders (or the webhook's event envelope). */
  data: string;
  subject: string | null;
  body_text: string | null;
  body_html: string | null;
  state: MessageState;
  attempts: Generated<number>;
  next_attempt_at: string;
  /** A dispatcher's lease: another may claim the row once it has passed. */
  locked_until: string | null;
  locked_by: string | null;
  /** smtp, sms-http, webhook or log. */
  delivered_via: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

export interface MessageAttemptsTable {
  id: Generated<number>;
  message_id: number;
  attempt: number;
  via: string;
  outcome: 'delivered' | 'failed';
  /** The receiver's answer or the error. */
  detail: string | null;
  started_at: string;
  duration_ms: number;
  /** Which dispatcher (process) made the attempt. */
  worker: string;
}

export interface MessageTemplatesTable {
  kind: string;
  subject: string;
  text_body: string;
  html_body: string;
  sms_body: string;
  updated_by: string;
  updated_at: string;
}

/** Staff's translation of a template into a language other than the shop's own (0013). */
export interface MessageTemplateTranslationsTable extends MessageTemplatesTable {
  language: string;
}

/** Secrets the server made itself because the environment gave none (0013). */
export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: string;
}

export interface WebhooksTable {
  id: Generated<number>;
  url: string;
  /** HMAC-SHA256 key for the signature header; shown once, when created or rotated. */
  secret: string;
  description: string | null;
  active: Generated<number>;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface WebhookEventsTable {
  webhook_id: number;
  event_type: string;
}

export type SubscriptionState = 'waiting' | 'notified' | 'unsubscribed';

export interface SubscriptionsTable {
  id: Generated<number>;
  item_id: number;
  channel_id: number;
  name: string | null;
  email: string | null;
  phone: string | null;
  preferred_channel: 'email' | 'sms';
  /** The address messages go to, normalised (lower-case email or the phone number). */
  contact: string;
  customer_id: number | null;
  /** Secret that lets the subscriber unsubscribe without an account. */
  token: string;
  state: SubscriptionState;
  /** Which wave notified it (1 = first). */
  wave: number | null;
  created_at: string;
  notified_at: string | null;
  updated_at: string;
}

export type AlertKind = 'low_stock' | 'shortage_ahead' | 'po_overdue';

export interface StaffAlertsTable {
  id: Generated<number>;
  kind: AlertKind;
  /** What it is about, e.g. "item:KET-01/web" or "purchase_order:12". */
  subject: string;
  item_id: number | null;
  channel_id: number | null;
  purchase_order_id: number | null;
  /** kind:subject while open, null once resolved: at most one open alert per cause. */
  open_key: string | null;
  message: string;
  /** JSON. */
  details: string;
  created_at: string;
  resolved_at: string | null;
}

export interface AvailabilitySnapshotsTable {
  item_id: number;
  channel_id: number;
  state: string;
  available: number;
  next_wave_at: string | null;
  updated_at: string;
}

/** Appended by database triggers whenever stock, supply or an item's rules change. */
export interface AvailabilityChangesTable {
  id: Generated<number>;
  item_id: number;
}

/** What a periodic sweep last covered, e.g. the last day whose release dates were queued. */
export interface SweepMarksTable {
  name: string;
  value: string;
}
